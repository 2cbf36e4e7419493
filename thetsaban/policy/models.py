"""Policy recommendations at five levels, tracked from problem to outcome."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban.permissions import RestrictedQuerySet, is_staff
from thetsaban.policy.choices import ActorRole, Level, RecommendationStatus


class RecommendationQuerySet(RestrictedQuerySet):
    def visible(self):
        return self.exclude(status=RecommendationStatus.DRAFT)

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

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policy:recommendation", args=[self.pk])


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
    attachment = models.FileField(_("attachment"), upload_to=update_attachment_path, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("timeline")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"
