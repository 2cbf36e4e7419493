from django.db import models
from django.utils.translation import gettext_lazy as _


class Maturity(models.TextChoices):
    IDEA = "idea", _("Idea")
    INNOVATION = "innovation", _("Innovation")
    PILOT = "pilot", _("Pilot")
    PROVEN = "proven", _("Proven")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned with comments")
    PUBLISHED = "published", _("Published")


class Tier(models.TextChoices):
    """The level at which a reviewer publishes a practice."""

    PROMISING = "promising", _("Promising practice")
    GOOD = "good", _("Good practice")
    BEST = "best", _("Best practice")


class Recognition(models.TextChoices):
    NONE = "", _("None")
    LOCAL = "local", _("Provincial or local award")
    NATIONAL = "national", _("National award")
    INTERNATIONAL = "international", _("International award")
    PROGRAMME = "programme", _("Selected by a programme")


class SupportKind(models.TextChoices):
    FUNDING = "funding", _("Funding")
    TECHNICAL = "technical", _("Technical advice")
    TRAINING = "training", _("Training")
    COACHING = "coaching", _("Coaching")
    RESEARCH = "research", _("Research")
    PUBLICITY = "publicity", _("Publicity")
    OTHER = "other", _("Other")


class AttachmentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    PRESENTATION = "presentation", _("Presentation")
    IMAGE = "image", _("Photo")
    DATA = "data", _("Data")
