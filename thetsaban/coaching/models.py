"""The national pool of coaches (วิทยากรพี่เลี้ยง), their vetting, and their assignment to pilots."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.coaching.choices import (
    AssignmentRole,
    Availability,
    CoachStatus,
    ProposalDecision,
    TrainingKind,
)
from thetsaban.directory.models import ContactDetail, Person
from thetsaban.permissions import RestrictedQuerySet, is_reviewer, is_staff


class LanguageQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Languages are public reference data that only staff change."""
        return self if action == "view" or is_staff(user) else self.none()


class Language(models.Model):
    """A working language a coach can coach in (ISO 639-1 code)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    objects = LanguageQuerySet.as_manager()

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["code"]

    def __str__(self):
        return self.name_en if get_language() == "en" else self.name_th


def _own(user, prefix: str = "") -> Q:
    """Rows of the coach profiles that belong to `user`."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(**{f"{prefix}user": user})


class CoachQuerySet(RestrictedQuerySet):
    def approved(self):
        return self.filter(status=CoachStatus.APPROVED)

    def active(self):
        """Approved coaches who can take work now (not marked unavailable)."""
        return self.approved().exclude(availability=Availability.UNAVAILABLE)

    def pending(self):
        return self.filter(status=CoachStatus.APPLIED)

    def with_details(self, user):
        """Coaches with their place, themes, languages and the contact details `user` may see
        (in `person.visible_contacts`); the query count does not grow with the data."""
        from django.db.models import Prefetch

        return self.select_related(
            "person", "home_province", "home_province__region", "affiliation",
        ).prefetch_related(
            "themes", "languages",
            Prefetch("person__contact_details",
                     queryset=ContactDetail.objects.restrict(user, "view"),
                     to_attr="visible_contacts"),
        )

    def restrict(self, user, action="view"):
        """Approved coaches whom the viewer may see in the directory (PDPA consent and
        visibility of their person); applicants see their own; reviewers vet; staff all."""
        if is_staff(user):
            return self
        mine = _own(user)
        if action == "view":
            if is_reviewer(user):
                return self
            listed = Q(status=CoachStatus.APPROVED,
                       person__in=Person.objects.restrict(user, "view").values("pk"))
            return self.filter(listed | mine)
        if action == "change":
            return self.filter(mine)
        if action == "review":
            return self if is_reviewer(user) else self.none()
        return self.none()


class Coach(models.Model):
    """A registered coach: a person who guides municipalities through copying a practice."""

    person = models.OneToOneField("directory.Person", on_delete=models.PROTECT,
                                  related_name="coach", verbose_name=_("person"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="coach_profiles", verbose_name=_("account"))
    status = models.CharField(_("status"), max_length=20, choices=CoachStatus,
                              default=CoachStatus.APPLIED, db_index=True)
    themes = models.ManyToManyField("practices.Theme", blank=True, related_name="coaches",
                                    verbose_name=_("expertise themes"))
    languages = models.ManyToManyField(Language, related_name="coaches",
                                       verbose_name=_("languages"))
    home_province = models.ForeignKey("places.Province", on_delete=models.PROTECT,
                                      related_name="coaches", verbose_name=_("home province"))
    affiliation = models.ForeignKey("directory.Organisation", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="coaches",
                                    verbose_name=_("affiliation"))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The most projects this coach takes at once."))
    availability = models.CharField(_("availability"), max_length=20, choices=Availability,
                                    default=Availability.AVAILABLE)
    motivation = models.TextField(_("motivation and experience"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    is_example = models.BooleanField(_("example data"), default=False)

    objects = CoachQuerySet.as_manager()

    class Meta:
        verbose_name = _("coach")
        verbose_name_plural = _("coaches")
        ordering = ["person__sort_name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="coaching_coach_capacity_positive",
                                   violation_error_message=_("Capacity must be at least 1."))
        ]

    def __str__(self):
        return str(self.person)

    def save(self, *args, **kwargs):
        self.motivation = thai.clean(self.motivation)
        self.decision_reason = thai.clean(self.decision_reason)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("coaching:coach", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.status == CoachStatus.APPROVED


class CoachPartQuerySet(RestrictedQuerySet):
    """Competencies and trainings: seen with their coach; reviewers and staff change them."""

    def restrict(self, user, action="view"):
        if is_staff(user):
            return self
        if action == "view":
            return self.filter(coach__in=Coach.objects.restrict(user, "view").values("pk"))
        if action in ("change", "review"):
            return self if is_reviewer(user) else self.none()
        return self.none()


class Competency(models.Model):
    """A competency a coach declares, with evidence; a reviewer may confirm it."""

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="competencies")
    theme = models.ForeignKey("practices.Theme", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="competencies", verbose_name=_("theme"))
    title = models.CharField(_("competency"), max_length=200)
    evidence = models.TextField(_("evidence"), blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = CoachPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Training(models.Model):
    """A training or certificate a coach holds, such as a training of trainers."""

    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind)
    title = models.CharField(_("title"), max_length=200)
    provider = models.ForeignKey("directory.Organisation", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("provider"))
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)

    objects = CoachPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-completed_on", "pk"]

    def __str__(self):
        return self.title


class AssignmentQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)

    def restrict(self, user, action="view"):
        if action == "view" or is_staff(user):
            return self
        return self.none()


class Assignment(models.Model):
    """A coach on a transfer project's coach team."""

    coach = models.ForeignKey(Coach, on_delete=models.PROTECT, related_name="assignments",
                              verbose_name=_("coach"))
    project = models.ForeignKey("transfers.TransferProject", on_delete=models.CASCADE,
                                related_name="assignments", verbose_name=_("project"))
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole,
                            default=AssignmentRole.LEAD)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    proposal = models.OneToOneField("MatchProposal", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="assignment")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "project"], name="coaching_assignment_unique",
                                    violation_error_message=_("This coach is already on this project."))
        ]

    def __str__(self):
        return f"{self.coach} → {self.project}"


def coached_work():
    """The model of the records coaches are assigned to: transfer projects, which live in an app
    above this one. It is the model Assignment's foreign key names by its label, so this app
    imports none of it (.importlinter forbids it); matching and coverage read through it what
    such a record has: `objects.active()`, `is_active`, `target_lgu`, `theme`, `language` and its
    `assignments` (this app's own relation)."""
    return Assignment._meta.get_field("project").related_model


class StaffOnlyQuerySet(RestrictedQuerySet):
    """Matching is league staff's work: only they see runs and proposals."""

    def restrict(self, user, action="view"):
        return self if is_staff(user) else self.none()


class MatchingRun(models.Model):
    """One solve of the coach-to-project assignment problem, kept with its proposals."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    total_cost = models.BigIntegerField(_("total cost"), default=0)
    solve_ms = models.PositiveIntegerField(_("solve time (ms)"), default=0)
    projects_without_coach = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(_("projects left unmatched"), default=0)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class MatchProposal(models.Model):
    """A proposed coach for a project, with its cost and the reasons, for staff to decide."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    project = models.ForeignKey("transfers.TransferProject", on_delete=models.CASCADE,
                                related_name="match_proposals")
    coach = models.ForeignKey(Coach, on_delete=models.CASCADE, related_name="match_proposals")
    cost = models.IntegerField(_("cost"))
    explanation = models.JSONField(_("explanation"), default=dict)
    decision = models.CharField(_("decision"), max_length=20, choices=ProposalDecision,
                                default=ProposalDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["cost", "pk"]

    def __str__(self):
        return f"{self.coach} → {self.project}"
