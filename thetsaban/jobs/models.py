from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thetsaban.jobs.choices import FINISHED, JobStatus
from thetsaban.permissions import RestrictedQuerySet, is_staff


class JobQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """League staff see every job; a signed-in user the jobs they started; nobody else any."""
        if is_staff(user):
            return self
        if user is not None and user.is_authenticated and user.is_active:
            return self.filter(started_by=user)
        return self.none()

    def waiting(self):
        return self.filter(status=JobStatus.QUEUED)


class Job(models.Model):
    """One run of a background job: who started it, how far it is, and how it ended."""

    name = models.CharField(_("job"), max_length=100, db_index=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=JobStatus, default=JobStatus.QUEUED)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("progress message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Rows of an import that were refused: [{"row": 3, "field": "code", "message": "…"}].
    row_errors = models.JSONField(_("errors by row"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("most attempts"), default=1)
    task_id = models.CharField(_("queue task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    # The arguments may carry a queued e-mail's text (a password-reset link): not in the audit
    # trail, and cleared once the e-mail is sent.
    not_audited = ("arguments",)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.label} #{self.pk}"

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def label(self) -> str:
        from thetsaban.jobs.registry import label_of

        return str(label_of(self.name))

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, round(100 * self.done / self.total))
