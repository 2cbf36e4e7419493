from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban.permissions import RestrictedQuerySet, is_staff
from thetsaban.privacy.choices import BreachRisk, IdentityMethod, RequestKind, RequestStatus

# The PDPA gives the controller 30 days to answer a subject's request (s.30) and 72 hours to
# notify the PDPC of a breach (s.37(4)).
ANSWER_WITHIN_DAYS = 30
NOTIFY_WITHIN = timedelta(hours=72)


class SubjectRequestQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Staff see and handle every request; a member sees their own and may withdraw it."""
        if is_staff(user):
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        if action == "view":
            return self.filter(subject=user)
        if action == "withdraw":
            return self.filter(subject=user, status=RequestStatus.OPEN)
        return self.none()

    def open(self):
        return self.filter(status=RequestStatus.OPEN)


class SubjectRequest(models.Model):
    """A data subject's request under the PDPA: access, portability, correction, erasure or objection."""

    kind = models.CharField(_("request"), max_length=20, choices=RequestKind)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="privacy_requests")
    # Someone without an account (an e-service reporter, for instance) is found by address.
    subject_name = models.CharField(_("name"), max_length=200, blank=True)
    subject_email = models.EmailField(_("e-mail"), blank=True)
    details = models.TextField(
        _("details"), max_length=4000, blank=True,
        help_text=_("What the request is about: for a correction, what is wrong and what it should "
                    "say; for an objection, which use of the data and why."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    identity_method = models.CharField(_("identity checked by"), max_length=20, choices=IdentityMethod)
    identity_note = models.TextField(_("identity check"), max_length=2000, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_on = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus, default=RequestStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome = models.TextField(_("what was done"), max_length=4000, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), max_length=4000, blank=True)
    # The member's request on the "Delete my account" page this erasure request carries out (those
    # made before this app existed were moved here by migration 0003). The accounts app reads the
    # link back as `deletion_request.privacy_request` without importing this app.
    account_deletion = models.OneToOneField(
        "accounts.DeletionRequest", verbose_name=_("account deletion request"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="privacy_request")

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("PDPA request")
        verbose_name_plural = _("PDPA requests")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=RequestStatus.REFUSED) | ~models.Q(refusal_reason=""),
                name="privacy_request_refusal_has_reason",
                violation_error_message=_("Give the reason for the refusal.")),
        ]

    def __str__(self):
        return f"{self.reference} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("privacy:request", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"PDPA-{self.pk}"

    @property
    def overdue(self) -> bool:
        return self.status == RequestStatus.OPEN and timezone.localdate() > self.due_on

    @property
    def gives_a_copy(self) -> bool:
        return self.kind in (RequestKind.ACCESS, RequestKind.PORTABILITY)


class BreachQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """Only league staff see and keep the breach log."""
        return self if is_staff(user) else self.none()


class Breach(models.Model):
    """A personal data breach: what happened, whom it touches, and the 72-hour notification."""

    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("description"), max_length=8000)
    discovered_at = models.DateTimeField(_("discovered"))
    data_affected = models.TextField(_("personal data affected"), max_length=4000)
    people_affected = models.PositiveIntegerField(_("people affected (estimate)"), null=True, blank=True)
    risk = models.CharField(_("risk"), max_length=10, choices=BreachRisk)
    measures = models.TextField(_("measures taken"), max_length=8000, blank=True)
    pdpc_notified_at = models.DateTimeField(_("PDPC notified"), null=True, blank=True)
    subjects_notified_at = models.DateTimeField(_("people affected notified"), null=True, blank=True)
    no_notice_reason = models.TextField(
        _("why the PDPC is not notified"), max_length=4000, blank=True,
        help_text=_("For a breach unlikely to result in a risk: why (it stays documented here)."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = BreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-discovered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(risk=BreachRisk.NONE) | ~models.Q(no_notice_reason=""),
                name="privacy_breach_no_notice_has_reason",
                violation_error_message=_("Say why a breach without risk is not notified to the PDPC.")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("privacy:breach", args=[self.pk])

    @property
    def notify_by(self):
        return self.discovered_at + NOTIFY_WITHIN

    @property
    def must_notify(self) -> bool:
        return self.risk != BreachRisk.NONE

    @property
    def notification_overdue(self) -> bool:
        return self.must_notify and self.pdpc_notified_at is None and timezone.now() > self.notify_by

    @property
    def notified_late(self) -> bool:
        return self.pdpc_notified_at is not None and self.pdpc_notified_at > self.notify_by


class ErasureQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        """The erasures done: staff only (it proves the league answered)."""
        return self if is_staff(user) and action == "view" else self.none()


class Erasure(models.Model):
    """One erasure carried out, mirrored from the erasure ledger file that outlives a restore."""

    ledger_id = models.CharField(max_length=40, unique=True, editable=False)
    request = models.ForeignKey(SubjectRequest, verbose_name=_("request"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="erasures")
    # The id of the deleted account (the account itself is gone).
    subject_user_id = models.PositiveIntegerField(_("account number"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"))
    rows = models.JSONField(_("rows changed"), default=dict)
    replayed_at = models.DateTimeField(_("re-applied after a restore"), null=True, blank=True)

    objects = ErasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"{self.ledger_id} {self.erased_at:%Y-%m-%d}"
