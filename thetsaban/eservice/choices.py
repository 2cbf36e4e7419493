from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceGroup(models.TextChoices):
    """The groups of the league-wide catalogue (Open311 `group`)."""

    STREETS = "streets", _("Streets and lighting")
    WATER = "water", _("Water and drainage")
    ENVIRONMENT = "environment", _("Environment and cleanliness")
    PUBLIC_ORDER = "public_order", _("Public order")
    OTHER = "other", _("Other")


class Datatype(models.TextChoices):
    """The Open311 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One of a list")
    MULTI = "multivaluelist", _("Several of a list")


class Status(models.TextChoices):
    """Where a request stands; Open311 sees the first three as open, the rest as closed."""

    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    FIXED = "fixed", _("Fixed")
    CLOSED = "closed", _("Closed without fix")
    DUPLICATE = "duplicate", _("Duplicate")
    REFERRED = "referred", _("Referred")


OPEN_STATUSES = (Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.FIXED, Status.CLOSED, Status.DUPLICATE, Status.REFERRED)

# mySociety's servicerequestupdates statuses (upper case on the wire) -> ours.
UPDATE_STATUSES = {
    "OPEN": Status.OPEN, "REOPEN": Status.OPEN, "FOR_TRIAGE": Status.OPEN,
    "INVESTIGATING": Status.ACKNOWLEDGED, "ACTION_SCHEDULED": Status.IN_PROGRESS,
    "IN_PROGRESS": Status.IN_PROGRESS, "FIXED": Status.FIXED, "CLOSED": Status.CLOSED,
    "NO_FURTHER_ACTION": Status.CLOSED, "DUPLICATE": Status.DUPLICATE,
    "NOT_COUNCILS_RESPONSIBILITY": Status.REFERRED, "INTERNAL_REFERRAL": Status.REFERRED,
}
OUR_UPDATE_STATUS = {
    Status.OPEN: "OPEN", Status.ACKNOWLEDGED: "INVESTIGATING", Status.IN_PROGRESS: "IN_PROGRESS",
    Status.FIXED: "FIXED", Status.CLOSED: "NO_FURTHER_ACTION", Status.DUPLICATE: "DUPLICATE",
    Status.REFERRED: "NOT_COUNCILS_RESPONSIBILITY",
}


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("As reported")
    AFTER = "after", _("After the fix")
