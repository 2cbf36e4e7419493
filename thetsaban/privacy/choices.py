from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    """The rights of a data subject under the PDPA (ss. 30-36)."""

    ACCESS = "access", _("Access: a copy of my personal data")
    PORTABILITY = "portability", _("Portability: my data in a machine-readable form")
    CORRECTION = "correction", _("Correction of my personal data")
    ERASURE = "erasure", _("Erasure of my personal data")
    OBJECTION = "objection", _("Objection to the processing of my personal data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for staff")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class IdentityMethod(models.TextChoices):
    """How the person's identity was checked before a request is taken up."""

    SIGNED_IN = "signed_in", _("Signed in to their own account")
    ID_CARD = "id_card", _("National ID card seen in person")
    LETTER = "letter", _("Signed letter with a copy of the ID card")
    EMAIL = "email", _("E-mail from the address on record, confirmed by reply")
    OTHER = "other", _("Other (described in the note)")


class LegalBasis(models.TextChoices):
    """The legal bases of processing named in the register (PDPA s.24, s.26)."""

    CONSENT = "consent", _("Consent (s.19)")
    CONTRACT = "contract", _("Contract or service the person asked for (s.24(3))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (s.24(6))")
    VITAL_INTEREST = "vital_interest", _("Vital interest (s.24(2))")
    PUBLIC_TASK = "public_task", _("Public task of the LGU (s.24(4))")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (s.24(5))")


class ErasureAction(models.TextChoices):
    DELETE = "delete", _("Deleted")
    ANONYMISE = "anonymise", _("Personal fields blanked; the record stays")
    REASSIGN = "reassign", _("Kept as a civic record, shown as “a member”")
    KEEP = "keep", _("Kept on its legal basis")


class BreachRisk(models.TextChoices):
    NONE = "none", _("Unlikely to result in a risk (documented, not notified)")
    RISK = "risk", _("A risk to people's rights: notify the PDPC")
    HIGH = "high", _("A high risk: notify the PDPC and the people affected")
