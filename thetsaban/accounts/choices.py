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
