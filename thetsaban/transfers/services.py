"""Writes of transfer projects: the project and its status, the logframe, the team, the logbook,
monitoring reports, study visits, the issue log and the final evaluation.

Every function checks the one permission rule (TransferProject.objects.restrict(user, action):
"change" for the target LGU's editors and staff, "log" for those and the project's active
coaches), runs in a transaction and leaves an audit record. `acting_user=None` means a trusted
system process (a management command, the demo loader); views and the API always pass the
request's user, which may be anonymous.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban import thai
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import (
    audit_actor_ids,
    check_four_eyes,
    delete_audited,
    is_system,
    own_work_reason,
    save_audited,
)
from thetsaban.coaching.models import Coach
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.practices.choices import ReviewStatus
from thetsaban.transfers.choices import (
    FINISHED_PROGRESS,
    TRANSITIONS,
    LogframeLevel,
    ProjectStatus,
)
from thetsaban.transfers.models import (
    ActivityStatus,
    FinalEvaluation,
    Indicator,
    IndicatorReading,
    Issue,
    LogbookEntry,
    LogframeItem,
    Milestone,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)


def may(user, project: TransferProject, action: str = "change") -> bool:
    """Whether `user` may do `action` ("change" or "log") on this project, by restrict()."""
    if is_system(user):
        return True
    if project is None or project.pk is None:
        return False
    return TransferProject.objects.restrict(user, action).filter(pk=project.pk).exists()


def may_create_for(user, lgu) -> bool:
    """Whether `user` may start a transfer project for `lgu` (its editors, or staff)."""
    if is_system(user) or is_staff(user):
        return True
    return lgu is not None and lgu.pk in editable_lgu_ids(user)


def _require(user, project, action: str):
    if not may(user, project, action):
        if action == "log":
            raise PermissionDenied(_("Only the project's coaches, its LGU's editors and league staff "
                                     "can do this."))
        raise PermissionDenied(_("Only the adopting LGU's editors and league staff can do this."))


def _clean_text(obj: models.Model) -> None:
    """Thai text is cleaned (NFC, sara am recomposed, no zero-width characters) before storage."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and field.choices is None:
            value = getattr(obj, field.attname)
            if isinstance(value, str):
                setattr(obj, field.attname, thai.clean(value))


# -- the project ------------------------------------------------------------------------------


def source_practice_check(practice) -> None:
    """Only a published practice is adopted (a project's source practice)."""
    if practice is not None and practice.status != ReviewStatus.PUBLISHED:
        raise ValidationError({"source_practice": _(
            "Only a published practice can be adopted; this one is %(status)s.")
            % {"status": practice.get_status_display()}})


@transaction.atomic
def save_project(project: TransferProject, *, acting_user, note: str = "") -> TransferProject:
    """Create or change a transfer project (its target LGU's editors or staff)."""
    source_changed = True
    if project.pk is not None:
        stored = TransferProject.objects.filter(pk=project.pk).first()
        if stored is None:
            raise ValidationError(_("This project no longer exists."))
        _require(acting_user, stored, "change")
        if stored.status != project.status:
            raise ValidationError({"status": _("Change the status with a status change, not by editing.")})
        source_changed = stored.source_practice_id != project.source_practice_id
    if project.target_lgu_id is None:
        raise ValidationError({"target_lgu": _("Choose the adopting LGU.")})
    if not may_create_for(acting_user, project.target_lgu):
        raise PermissionDenied(_("You can only run projects of the LGUs you edit for."))
    if source_changed:
        source_practice_check(project.source_practice)
    _clean_text(project)
    return save_audited(project, acting_user=acting_user, note=note)


def allowed_statuses(project: TransferProject) -> tuple:
    """The statuses this project may move to next."""
    return TRANSITIONS.get(project.status, ())


@transaction.atomic
def change_status(project: TransferProject, status: str, *, acting_user, on=None,
                  note: str = "") -> TransferProject:
    """Move a project to another IATI status, filling the actual start or end date."""
    _require(acting_user, project, "change")
    project = TransferProject.objects.select_for_update().get(pk=project.pk)
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("'%(status)s' is not a status; use one of %(choices)s.")
                               % {"status": status, "choices": ", ".join(ProjectStatus.values)}})
    allowed = allowed_statuses(project)
    if status not in allowed:
        names = ", ".join(str(ProjectStatus(s).label) for s in allowed) or _("none (it is final)")
        raise ValidationError({"status": _(
            "A project in %(current)s cannot move to %(new)s; it can move to: %(allowed)s.")
            % {"current": project.get_status_display(), "new": ProjectStatus(status).label,
               "allowed": names}})
    day = on or timezone.localdate()
    old = project.status
    if status == ProjectStatus.IMPLEMENTATION and project.actual_start is None:
        project.actual_start = day
    if status in (ProjectStatus.CLOSED, ProjectStatus.CANCELLED) and project.actual_end is None:
        project.actual_end = day
    project.status = status
    return save_audited(project, acting_user=acting_user,
                        note=f"status: {old} -> {status}" + (f" ({note})" if note else ""))


# -- parts of a project -----------------------------------------------------------------------


def _save_part(obj, *, acting_user, action: str, note: str = "", m2m=None):
    project = obj.project
    if obj.pk is not None:
        stored_project = type(obj).objects.filter(pk=obj.pk).values_list("project_id", flat=True).first()
        if stored_project is None:
            raise ValidationError(_("This record no longer exists."))
        if stored_project != obj.project_id:
            raise ValidationError({"project": _("A record cannot be moved to another project.")})
    _require(acting_user, project, action)
    _clean_text(obj)
    return save_audited(obj, acting_user=acting_user, m2m=m2m, note=note)


@transaction.atomic
def save_logframe_item(item: LogframeItem, *, acting_user) -> LogframeItem:
    """Add or change a goal, outcome, output or activity of the logframe."""
    return _save_part(item, acting_user=acting_user, action="change")


@transaction.atomic
def save_indicator(indicator: Indicator, *, acting_user) -> Indicator:
    """Add or change an indicator with its baseline and target."""
    return _save_part(indicator, acting_user=acting_user, action="change")


@transaction.atomic
def save_taskforce_member(member: TaskforceMember, *, acting_user) -> TaskforceMember:
    """Add a directory person to the local taskforce, or change their role."""
    if TaskforceMember.objects.filter(project_id=member.project_id, person_id=member.person_id) \
            .exclude(pk=member.pk).exists():
        raise ValidationError({"person": _("This person is already on the taskforce.")})
    return _save_part(member, acting_user=acting_user, action="change")


@transaction.atomic
def save_milestone(milestone: Milestone, *, acting_user) -> Milestone:
    """Add or change a milestone."""
    return _save_part(milestone, acting_user=acting_user, action="change")


def coach_of(user, project: TransferProject):
    """The coach profile through which `user` actively coaches `project`, if any."""
    if user is None or not user.is_authenticated:
        return None
    return (Coach.objects.filter(user=user, assignments__project=project,
                                 assignments__ended_on__isnull=True).order_by("pk").first())


@transaction.atomic
def save_logbook_entry(entry: LogbookEntry, *, acting_user) -> LogbookEntry:
    """Add or change a logbook line (the project's coaches, its LGU's editors or staff)."""
    if entry.pk is None:
        if acting_user is not None and acting_user.is_authenticated:
            entry.created_by = acting_user
        if entry.coach_id is None:
            entry.coach = coach_of(acting_user, entry.project)
    return _save_part(entry, acting_user=acting_user, action="log")


@dataclass
class Reading:
    """An indicator's actual value given for a report."""

    indicator: Indicator
    actual: Decimal
    comment: str = ""


@dataclass
class Progress:
    """An activity's progress given for a report."""

    item: LogframeItem
    progress: str
    comment: str = ""


@transaction.atomic
def save_report(report: MonitoringReport, *, acting_user, readings=None, statuses=None) -> MonitoringReport:
    """Write a monitoring report: its narrative, indicator readings and activity progress.

    `readings` and `statuses` replace the report's matrix when given (None leaves it).
    """
    if report.pk is None and acting_user is not None and acting_user.is_authenticated:
        report.author = acting_user
    errors = {}
    for reading in readings or ():
        if reading.indicator.project_id != report.project_id:
            errors["readings"] = _("Indicator %(name)s is not one of this project's.") % {
                "name": reading.indicator.name}
    for status in statuses or ():
        if status.item.project_id != report.project_id or status.item.level != LogframeLevel.ACTIVITY:
            errors["statuses"] = _("%(item)s is not an activity of this project.") % {"item": status.item.text[:60]}
    if errors:
        raise ValidationError(errors)
    report = _save_part(report, acting_user=acting_user, action="log")
    if readings is not None:
        IndicatorReading.objects.filter(report=report).delete()
        for reading in readings:
            save_audited(IndicatorReading(report=report, indicator=reading.indicator,
                                          actual=reading.actual, comment=thai.clean(reading.comment)),
                         acting_user=acting_user)
    if statuses is not None:
        ActivityStatus.objects.filter(report=report).delete()
        for status in statuses:
            save_audited(ActivityStatus(report=report, item=status.item, progress=status.progress,
                                        comment=thai.clean(status.comment)),
                         acting_user=acting_user)
    return report


@transaction.atomic
def save_study_visit(visit: StudyVisit, *, acting_user, participants=None) -> StudyVisit:
    """Record a study visit; the host defaults to the LGU the source practice comes from."""
    if visit.host_lgu_id is None and visit.project.source_practice_id is not None:
        visit.host_lgu_id = visit.project.source_practice.lgu_id
    m2m = {"participants": participants} if participants is not None else None
    return _save_part(visit, acting_user=acting_user, action="change", m2m=m2m)


@transaction.atomic
def save_issue(issue: Issue, *, acting_user) -> Issue:
    """Add or change a line of the issue log (problem -> effect -> recommendation)."""
    if not issue.lgu_code:
        # The deck codes LGUs by short Latin codes (SK, CR …); other short names don't fit.
        short = issue.project.target_lgu.short_name
        if short and short.isascii() and len(short) <= 20:
            issue.lgu_code = short
    return _save_part(issue, acting_user=acting_user, action="log")


def project_author_ids(project: TransferProject) -> set[int]:
    """Who did the project's work, and so does not evaluate it: whoever started the project,
    its coaches (past and present) and the authors of its monitoring reports."""
    ids = audit_actor_ids(project, actions=(AuditAction.CREATE, AuditAction.IMPORT))
    ids |= set(Coach.objects.filter(assignments__project=project).exclude(user=None)
               .values_list("user_id", flat=True))
    ids |= set(project.reports.exclude(author=None).values_list("author_id", flat=True))
    return ids


def evaluation_refusal(user, project: TransferProject) -> str:
    """Why `user` may not write this project's final evaluation (their own work), or ""."""
    return own_work_reason(user, project_author_ids(project))


@transaction.atomic
def save_evaluation(evaluation: FinalEvaluation, *, acting_user) -> FinalEvaluation:
    """Write the project's final evaluation (not by those who did the project's work)."""
    if acting_user is not None and acting_user.is_authenticated:
        evaluation.evaluator = acting_user
    _require(acting_user, evaluation.project, "change")
    note = check_four_eyes(acting_user, project_author_ids(evaluation.project))
    return _save_part(evaluation, acting_user=acting_user, action="change", note=note)


# Which project action lets a user delete a part of each kind.
_DELETE_ACTION = {LogbookEntry: "log", MonitoringReport: "log", Issue: "log"}


@transaction.atomic
def delete_part(obj, *, acting_user) -> None:
    """Delete a part of a project (logframe item, milestone, logbook entry …), audited."""
    _require(acting_user, obj.project, _DELETE_ACTION.get(type(obj), "change"))
    delete_audited(obj, acting_user=acting_user)


# -- the monitoring matrix --------------------------------------------------------------------


@dataclass
class IndicatorRow:
    """One indicator in a report's matrix: baseline, target and the actual value."""

    indicator: Indicator
    reading: IndicatorReading | None

    @property
    def actual(self):
        return self.reading.actual if self.reading else None

    @property
    def share_of_target(self) -> int | None:
        """How far from baseline to target the actual value has come, in per cent."""
        ind = self.indicator
        if self.actual is None or ind.target is None or ind.baseline is None or ind.target == ind.baseline:
            return None
        return round((self.actual - ind.baseline) / (ind.target - ind.baseline) * 100)

    @property
    def target_met(self) -> bool | None:
        ind = self.indicator
        if self.actual is None or ind.target is None:
            return None
        if ind.baseline is not None and ind.target < ind.baseline:
            return self.actual <= ind.target  # a target that goes down, such as waste or cost
        return self.actual >= ind.target


@dataclass
class ActivityRow:
    """One activity in a report's matrix: its time frame, its progress and whether it is late."""

    item: LogframeItem
    status: ActivityStatus | None
    overdue: bool


def report_matrix(report: MonitoringReport, indicators, activities, today=None) -> dict:
    """The matrix of a report, mirroring the logframe: indicators (target against actual) and
    activities (progress against the time frame), flagging activities past their end date that
    are not done as of the report's end (or today, if that is earlier)."""
    as_of = min(report.period_end, today or timezone.localdate())
    readings = {r.indicator_id: r for r in report.readings.all()}
    statuses = {s.item_id: s for s in report.activity_statuses.all()}
    indicator_rows = [IndicatorRow(ind, readings.get(ind.pk)) for ind in indicators]
    activity_rows = []
    for item in activities:
        status = statuses.get(item.pk)
        finished = status is not None and status.progress in FINISHED_PROGRESS
        overdue = bool(item.ends_on and item.ends_on < as_of and not finished)
        activity_rows.append(ActivityRow(item, status, overdue))
    return {"indicators": indicator_rows, "activities": activity_rows, "as_of": as_of,
            "overdue": sum(1 for row in activity_rows if row.overdue)}
