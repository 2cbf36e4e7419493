from django.db import models
from django.utils.translation import gettext_lazy as _


class LguRole(models.TextChoices):
    EDITOR = "editor", _("LGU editor")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    SUBMIT = "submit", _("Submitted for review")
    PUBLISH = "publish", _("Published")
    RETURN = "return", _("Returned with comments")
    IMPORT = "import", _("Imported")
    REDACT = "redact", _("Personal data redacted")


class RequestedRole(models.TextChoices):
    """The roles a member may ask staff for."""

    LGU_EDITOR = "lgu_editor", _("Editor of an LGU")
    REVIEWER = "reviewer", _("Reviewer")
    MODERATOR = "moderator", _("Moderator")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeletionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for staff")
    DONE = "done", _("Account deleted or anonymised")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn by the member")
