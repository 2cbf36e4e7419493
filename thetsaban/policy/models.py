"""Policy recommendations at five levels, tracked from problem to outcome."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.permissions import RestrictedQuerySet, is_staff
from thetsaban.policy.choices import (
    CLOSED_STATUSES,
    LEVEL_ORDER,
    ActorRole,
    Level,
    RecommendationStatus,
)
from thetsaban.practices.models import validate_attachment


class RecommendationQuerySet(RestrictedQuerySet):
    def visible(self):
        return self.exclude(status=RecommendationStatus.DRAFT)

    def open(self):
        """Recommendations still on their way (not implemented, not rejected)."""
        return self.exclude(status__in=CLOSED_STATUSES)

    def in_level_order(self):
        """Ordered as the deck is: project, municipality, league, partner network, policy."""
        rank = Case(*[When(level=level, then=Value(i)) for i, level in enumerate(LEVEL_ORDER)],
                    default=Value(len(LEVEL_ORDER)), output_field=IntegerField())
        return self.annotate(level_rank=rank).order_by("level_rank", "position", "pk")

    def with_checks(self):
        """Annotate what the coverage checks need, in the same single query."""
        actors = RecommendationActor.objects.filter(recommendation=OuterRef("pk"))
        last_update = (RecommendationUpdate.objects.filter(recommendation=OuterRef("pk"))
                       .order_by("-date").values("date")[:1])
        return self.annotate(
            has_agency=Exists(actors.filter(role=ActorRole.ACCOUNTABLE)),
            has_partner=Exists(actors.exclude(role=ActorRole.ACCOUNTABLE)),
            last_update_on=Subquery(last_update),
        )

    def restrict(self, user, action="view"):
        """Everything but drafts is public; staff and the owner change a recommendation."""
        if is_staff(user):
            return self
        owner = Q(owner=user) if user is not None and user.is_authenticated else Q(pk__in=[])
        if action == "view":
            return self.filter(~Q(status=RecommendationStatus.DRAFT) | owner)
        if action == "change":
            return self.filter(owner)
        return self.none()


class Recommendation(models.Model):
    """A policy recommendation: the problem, its effect, what should change, who, by when."""

    level = models.CharField(_("level"), max_length=20, choices=Level, db_index=True)
    themes = models.ManyToManyField("practices.Theme", blank=True, related_name="recommendations",
                                    verbose_name=_("themes"))
    title = models.CharField(_("short title"), max_length=300)
    issue = models.CharField(_("issue"), max_length=300, blank=True)
    sub_issue = models.CharField(_("sub-issue"), max_length=300, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    recommendation = models.TextField(_("recommendation"))
    lgu_codes = models.CharField(_("source LGU codes"), max_length=100, blank=True,
                                 help_text=_("As in the deck: SK, CR, YL, PK …"))
    lgus = models.ManyToManyField("places.Lgu", blank=True, related_name="recommendations",
                                  verbose_name=_("LGUs"))
    issues = models.ManyToManyField("transfers.Issue", blank=True, related_name="recommendations",
                                    verbose_name=_("issue-log evidence"))
    practices = models.ManyToManyField("practices.Practice", blank=True,
                                       related_name="recommendations", verbose_name=_("practices"))
    projects = models.ManyToManyField("transfers.TransferProject", blank=True,
                                      related_name="recommendations",
                                      verbose_name=_("transfer projects"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="owned_recommendations",
                              verbose_name=_("owner"))
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    target_what = models.CharField(_("target: what"), max_length=300, blank=True)
    target_amount = models.CharField(_("target: how much"), max_length=100, blank=True)
    target_date = models.DateField(_("target: by when"), null=True, blank=True)
    target_source = models.CharField(_("target: where it comes from"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=RecommendationStatus,
                              default=RecommendationStatus.PROPOSED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("Where it was made: a document, a meeting, a proposal."))
    documents = models.TextField(_("evidence documents"), blank=True,
                                 help_text=_("One per line: a document's title or web address."))
    is_example = models.BooleanField(_("example data"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["level", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="policy_progress_at_most_100",
                                   violation_error_message=_("Progress is at most 100%.")),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="policy_planned_dates_ordered",
                violation_error_message=_("The planned end cannot be before the planned start.")),
        ]

    TEXT_FIELDS = ("title", "issue", "sub_issue", "problem", "effect", "recommendation",
                   "lgu_codes", "target_what", "target_amount", "target_source", "source",
                   "documents")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Text pasted from slides carries decomposed vowels and invisible characters.
        for name in self.TEXT_FIELDS:
            setattr(self, name, thai.clean(getattr(self, name)))
        self.lgu_codes = ", ".join(code.strip().upper() for code in self.lgu_codes.replace(";", ",")
                                   .split(",") if code.strip())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("policy:recommendation", args=[self.pk])

    def clean(self):
        errors = {}
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end cannot be before the actual start.")
        if errors:
            raise ValidationError(errors)

    @property
    def lgu_code_list(self) -> list[str]:
        return [code.strip() for code in self.lgu_codes.split(",") if code.strip()]

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class RecommendationActor(models.Model):
    """An organisation's part in a recommendation: the responsible agency or a partner."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actors")
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.PROTECT,
                                     related_name="recommendation_roles",
                                     verbose_name=_("organisation"))
    role = models.CharField(_("role"), max_length=20, choices=ActorRole)
    note = models.CharField(_("what they do"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agency or partner")
        verbose_name_plural = _("agencies and partners")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "organisation", "role"],
                                    name="policy_actor_unique",
                                    violation_error_message=_("This organisation already has this role."))
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


def update_attachment_path(instance, filename):
    return f"recommendations/{instance.recommendation_id}/{filename}"


class RecommendationUpdate(models.Model):
    """A dated step on a recommendation's timeline, optionally with a status change and a file."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    status = models.CharField(_("new status"), max_length=30, choices=RecommendationStatus, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True,
                                                validators=[MaxValueValidator(100)])
    attachment = models.FileField(_("attachment"), upload_to=update_attachment_path, blank=True,
                                  max_length=255, validators=[validate_attachment])
    attachment_size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("timeline")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        self.text = thai.clean(self.text)
        if self.attachment:
            try:
                self.attachment_size = self.attachment.size
            except (FileNotFoundError, OSError):
                pass  # the stored file went missing; keep the size recorded at upload
        super().save(*args, **kwargs)

    @property
    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""
