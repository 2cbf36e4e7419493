from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    """IATI activity status codes."""

    PIPELINE = "pipeline", _("Pipeline/identification")
    IMPLEMENTATION = "implementation", _("Implementation")
    FINALISATION = "finalisation", _("Finalisation")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    SUSPENDED = "suspended", _("Suspended")


ACTIVE_STATUSES = [ProjectStatus.PIPELINE, ProjectStatus.IMPLEMENTATION, ProjectStatus.FINALISATION]


class Motivation(models.TextChoices):
    """Why a pilot is done: the seed asks this of every pilot municipality."""

    KPI = "kpi", _("A performance indicator (KPI)")
    RESPONSIVENESS = "responsiveness", _("Responsiveness to citizens")
    BOTH = "both", _("Both")


class LogframeLevel(models.TextChoices):
    GOAL = "goal", _("Goal")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")
    ACTIVITY = "activity", _("Activity")


class ActivityProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class IssueLevel(models.TextChoices):
    """The five levels of the seed's recommendations."""

    PROJECT = "project", _("Project")
    MUNICIPALITY = "municipality", _("Agency (municipality)")
    LEAGUE = "league", _("League of municipalities")
    PARTNER = "partner", _("Partner network")
    POLICY = "policy", _("Policy and regulation")


# The status changes IATI allows: forward through the life cycle, cancelled or suspended from
# any active state, a suspended project resumed (or, when it will not resume, cancelled).
TRANSITIONS = {
    ProjectStatus.PIPELINE: (ProjectStatus.IMPLEMENTATION, ProjectStatus.CANCELLED, ProjectStatus.SUSPENDED),
    ProjectStatus.IMPLEMENTATION: (ProjectStatus.FINALISATION, ProjectStatus.CANCELLED, ProjectStatus.SUSPENDED),
    ProjectStatus.FINALISATION: (ProjectStatus.CLOSED, ProjectStatus.CANCELLED, ProjectStatus.SUSPENDED),
    ProjectStatus.SUSPENDED: (ProjectStatus.IMPLEMENTATION, ProjectStatus.CANCELLED),
    ProjectStatus.CLOSED: (),
    ProjectStatus.CANCELLED: (),
}

# Activity progress that counts as finished when flagging activities past their end date.
FINISHED_PROGRESS = (ActivityProgress.DONE, ActivityProgress.DROPPED)

# The seed's question to every pilot, quoted where a project's motivation is not recorded.
MOTIVATION_QUESTION_TH = ("โครงการของแต่ละเทศบาลนําร่อง ต้องถามว่า ทำเพราะอะไร เพราะ KPI หรือ เพื่อ "
                          "Responsiveness ของท้องถิ่นที่ต้องให้บริการประชาชน")
