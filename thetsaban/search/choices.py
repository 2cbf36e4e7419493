from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")
    LGU = "lgu", _("LGU")
    COACH = "coach", _("Coach")
    TRANSFER = "transfer", _("Transfer project")
    RECOMMENDATION = "recommendation", _("Recommendation")
    PROPOSAL = "proposal", _("Proposal")
