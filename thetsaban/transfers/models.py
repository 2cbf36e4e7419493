"""Transfer projects: a practice copied by another LGU with a coach, from logframe to evaluation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban.permissions import RestrictedQuerySet, editable_lgu_ids, is_staff
from thetsaban.transfers.choices import (
    ACTIVE_STATUSES,
    ActivityProgress,
    IssueLevel,
    LogframeLevel,
    Motivation,
    ProjectStatus,
)


def coach_project_q(user, prefix: str = "") -> Q:
    """Projects on which `user` is an active coach."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}assignments__coach__user": user, f"{prefix}assignments__ended_on__isnull": True})


class TransferProjectQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def restrict(self, user, action="view"):
        """Projects are public; the target LGU's editors change them; coaches keep their logbook."""
        if action == "view" or is_staff(user):
            return self
        own_lgu = Q(target_lgu_id__in=editable_lgu_ids(user))
        if action == "change":
            return self.filter(own_lgu)
        if action == "log":  # logbook entries and monitoring reports
            return self.filter(own_lgu | coach_project_q(user)).distinct()
        return self.none()


class ProjectPartQuerySet(RestrictedQuerySet):
    """Rows that belong to a project: readable by all, written by whoever may write the project.

    `write_action` names the project action that grants writing: "change" (the target LGU's
    editors and staff) or "log" (those plus the project's active coaches). The rule itself
    lives only in TransferProjectQuerySet.restrict().
    """

    write_action = "change"

    def restrict(self, user, action="view"):
        if action == "view":
            return self
        if action in ("change", "delete"):
            return self.filter(project__in=TransferProject.objects.restrict(user, self.write_action))
        return self.none()


class LogPartQuerySet(ProjectPartQuerySet):
    """Logbook entries and monitoring reports: the project's coaches write them too."""

    write_action = "log"


class ReportPartQuerySet(RestrictedQuerySet):
    """Readings and activity statuses follow their report."""

    def restrict(self, user, action="view"):
        if action == "view":
            return self
        if action in ("change", "delete"):
            return self.filter(report__project__in=TransferProject.objects.restrict(user, "log"))
        return self.none()


def _check_dates(errors: dict, start, end, end_field: str):
    if start and end and end < start:
        errors[end_field] = _("The end date cannot be before the start date.")


class TransferProject(models.Model):
    """A published practice adopted by a target LGU, with a coach beside it."""

    title = models.CharField(_("title"), max_length=300)
    source_practice = models.ForeignKey("practices.Practice", on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="transfers",
                                        verbose_name=_("source practice"))
    source_note = models.CharField(_("source (if not in the catalogue)"), max_length=300, blank=True)
    target_lgu = models.ForeignKey("places.Lgu", on_delete=models.PROTECT, related_name="transfers",
                                   verbose_name=_("adopting LGU"))
    theme = models.ForeignKey("practices.Theme", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="transfers", verbose_name=_("main theme"))
    language = models.ForeignKey("coaching.Language", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("working language"))
    motivation = models.CharField(_("why"), max_length=20, choices=Motivation, blank=True)
    motivation_text = models.TextField(_("motivation"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus,
                              default=ProjectStatus.PIPELINE, db_index=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TransferProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer project")
        verbose_name_plural = _("transfer projects")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("transfers:project", args=[self.pk])

    def clean(self):
        errors = {}
        _check_dates(errors, self.planned_start, self.planned_end, "planned_end")
        _check_dates(errors, self.actual_start, self.actual_end, "actual_end")
        if self.source_practice_id and self.target_lgu_id and self.source_practice.lgu_id == self.target_lgu_id:
            errors["source_practice"] = _("An LGU cannot adopt its own practice.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class LogframeItem(models.Model):
    """A line of the transfer concept's logframe: goal, outcome, output or activity."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="logframe")
    level = models.CharField(_("level"), max_length=20, choices=LogframeLevel)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("description"))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    budget_baht = models.DecimalField(_("budget (baht)"), max_digits=14, decimal_places=2,
                                      null=True, blank=True, validators=[MinValueValidator(0)])
    assumptions = models.TextField(_("assumptions"), blank=True)
    risks = models.TextField(_("risks"), blank=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("logframe item")
        verbose_name_plural = _("logframe")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.get_level_display()}: {self.text[:60]}"

    # The level a parent must have: the logframe is a tree goal > outcome > output > activity.
    PARENT_LEVEL = {LogframeLevel.OUTCOME: LogframeLevel.GOAL, LogframeLevel.OUTPUT: LogframeLevel.OUTCOME,
                    LogframeLevel.ACTIVITY: LogframeLevel.OUTPUT}

    def clean(self):
        errors = {}
        _check_dates(errors, self.starts_on, self.ends_on, "ends_on")
        if self.parent_id:
            if self.parent.project_id != self.project_id:
                errors["parent"] = _("The parent must belong to the same project.")
            elif self.level not in self.PARENT_LEVEL:
                errors["parent"] = _("A goal is the top of the logframe and has no parent.")
            elif self.parent.level != self.PARENT_LEVEL[self.level]:
                errors["parent"] = _("A %(level)s belongs under a %(parent)s.") % {
                    "level": self.get_level_display(),
                    "parent": LogframeLevel(self.PARENT_LEVEL[self.level]).label}
        if errors:
            raise ValidationError(errors)

    @property
    def time_frame(self) -> tuple:
        return (self.starts_on, self.ends_on)


class Indicator(models.Model):
    """An indicator of the logframe with its baseline and target."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="indicators")
    item = models.ForeignKey(LogframeItem, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    source = models.CharField(_("source of data"), max_length=200, blank=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.item_id and self.item.project_id != self.project_id:
            raise ValidationError({"item": _("The logframe item must belong to the same project.")})


class TaskforceMember(models.Model):
    """A member of the adopting LGU's local taskforce."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="taskforce")
    person = models.ForeignKey("directory.Person", on_delete=models.PROTECT, related_name="taskforces")
    role = models.CharField(_("role"), max_length=200, blank=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("taskforce member")
        verbose_name_plural = _("local taskforce")
        ordering = ["pk"]

    def __str__(self):
        return str(self.person)


class Milestone(models.Model):
    """A milestone of a project, planned and achieved."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_on = models.DateField(_("due"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved"), null=True, blank=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class LogbookEntry(models.Model):
    """A coach's logbook line: what was done, toward which milestone, with what outcome, what next."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="logbook")
    coach = models.ForeignKey("coaching.Coach", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="logbook_entries")
    date = models.DateField(_("date"))
    activity = models.TextField(_("activity"))
    milestone = models.ForeignKey(Milestone, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="logbook_entries", verbose_name=_("milestone"))
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LogPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date}: {self.activity[:60]}"

    def clean(self):
        if self.milestone_id and self.milestone.project_id != self.project_id:
            raise ValidationError({"milestone": _("The milestone must belong to the same project.")})


class MonitoringReport(models.Model):
    """A monitoring report: a narrative and a matrix mirroring the logframe."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    narrative = models.TextField(_("narrative"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LogPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="transfers_report_period_ordered",
                                   violation_error_message=_("The period cannot end before it starts."))
        ]

    def __str__(self):
        return f"{self.project} {self.period_start}–{self.period_end}"


class IndicatorReading(models.Model):
    """The actual value of an indicator in a report, against its target."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="readings")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="transfers_reading_unique")]

    def __str__(self):
        return f"{self.indicator}: {self.actual}"


class ActivityStatus(models.Model):
    """The state of one logframe activity in a report, against its time frame."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="activity_statuses")
    item = models.ForeignKey(LogframeItem, on_delete=models.CASCADE, related_name="statuses")
    progress = models.CharField(_("progress"), max_length=20, choices=ActivityProgress)
    comment = models.TextField(_("comment"), blank=True)

    objects = ReportPartQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "item"], name="transfers_activity_status_unique")]

    def __str__(self):
        return f"{self.item}: {self.get_progress_display()}"


class StudyVisit(models.Model):
    """A study visit of the pilot to the LGU the practice came from."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="study_visits")
    host_lgu = models.ForeignKey("places.Lgu", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="hosted_visits", verbose_name=_("visited LGU"))
    visited_on = models.DateField(_("date"))
    participants = models.ManyToManyField("directory.Person", blank=True, related_name="study_visits",
                                          verbose_name=_("participants"))
    participant_count = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    findings = models.TextField(_("what was learnt"), blank=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")
        ordering = ["-visited_on"]

    def __str__(self):
        return f"{self.project} – {self.visited_on}"


class IssueQuerySet(LogPartQuerySet):
    """The issue log is kept by the project's coaches and its LGU's editors."""


class Issue(models.Model):
    """An issue-log line: problem -> effect -> recommendation, at one of the five levels."""

    project = models.ForeignKey(TransferProject, on_delete=models.CASCADE, related_name="issues")
    level = models.CharField(_("level"), max_length=20, choices=IssueLevel, db_index=True)
    problem = models.TextField(_("problem"))
    effect = models.TextField(_("effect"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    lgu_code = models.CharField(_("LGU code"), max_length=20, blank=True,
                                help_text=_("The deck's short code: SK, CR, YL, PK …"))
    raised_on = models.DateField(_("raised"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issue log")
        ordering = ["level", "position", "pk"]

    def __str__(self):
        return self.problem[:80]


class FinalEvaluation(models.Model):
    """The final evaluation of a transfer project."""

    project = models.OneToOneField(TransferProject, on_delete=models.CASCADE, related_name="evaluation")
    summary = models.TextField(_("summary"))
    achievements = models.TextField(_("what was achieved"), blank=True)
    lessons = models.TextField(_("lessons"), blank=True)
    sustainability = models.TextField(_("will it last"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    evaluated_on = models.DateField(_("date"), null=True, blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("final evaluation")
        verbose_name_plural = _("final evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="transfers_evaluation_rating_range",
                                   violation_error_message=_("The rating is from 1 to 5."))
        ]

    def __str__(self):
        return str(self.project)
