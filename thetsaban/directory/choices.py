from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LEAGUE = "league", _("League of municipalities")
    AGENCY = "agency", _("Government agency")
    ACADEMIC = "academic", _("Academic institution")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    MEDIA = "media", _("Media")
    INTERNATIONAL = "international", _("International partner")
    LGU_ADMINISTRATION = "lgu", _("LGU administration")
    PRIVATE = "private", _("Private sector")


class Visibility(models.TextChoices):
    """Who may see a person or a contact detail (with the person's consent, PDPA)."""

    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Signed-in members")
    STAFF = "staff", _("League staff only")


class ContactKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telephone")
    MOBILE = "mobile", _("Mobile")
    FAX = "fax", _("Fax")
    LINE = "line", _("LINE")
    WEBSITE = "website", _("Website")
    ADDRESS = "address", _("Address")
