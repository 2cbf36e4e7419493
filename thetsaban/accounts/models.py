from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.choices import (
    AuditAction,
    DeletionStatus,
    LguRole,
    RequestedRole,
    RequestStatus,
)
from thetsaban.permissions import RestrictedQuerySet, is_staff


class User(AbstractUser):
    """A person who signs in: a member, and by flags and memberships an editor, reviewer or staff."""

    is_reviewer = models.BooleanField(
        _("reviewer"), default=False, help_text=_("May publish or return submitted practices.")
    )
    is_moderator = models.BooleanField(
        _("moderator"), default=False, help_text=_("May hide or restore comments and proposals.")
    )
    person = models.OneToOneField(
        "directory.Person", verbose_name=_("directory entry"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class LguMembership(models.Model):
    """A user's role for one LGU: an editor drafts and keeps that LGU's records."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lgu_memberships",
        verbose_name=_("user"),
    )
    lgu = models.ForeignKey(
        "places.Lgu", on_delete=models.CASCADE, related_name="user_memberships",
        verbose_name=_("LGU"),
    )
    role = models.CharField(_("role"), max_length=20, choices=LguRole, default=LguRole.EDITOR)

    class Meta:
        verbose_name = _("LGU membership")
        verbose_name_plural = _("LGU memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lgu", "role"], name="accounts_lgu_membership_unique",
                violation_error_message=_("This user already has this role for this LGU."),
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.lgu} ({self.get_role_display()})"


class AuditEntryQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        return self if is_staff(user) and action == "view" else self.none()

    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One write: who did what to which record, when, with the values before and after."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """The fields whose values differ between before and after."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class LeagueSettings(models.Model):
    """Settings of the whole league that only staff change (one row, every change audited)."""

    allow_self_approval = models.BooleanField(
        _("allow self-approval"), default=False,
        help_text=_("For a small league with too few reviewers: let a reviewer approve, publish "
                    "or confirm their own work. Every such approval is marked in the audit trail."),
    )
    proposal_support_threshold = models.PositiveIntegerField(
        _("supporters a proposal needs"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1_000_000)],
        help_text=_("A member's proposal with this many supporters goes to the staff queue, and "
                    "staff and moderators are told."),
    )
    comment_edit_minutes = models.PositiveIntegerField(
        _("minutes to edit a comment"), default=30, validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_("How long after posting members may still correct their comment (while nobody "
                    "has replied to it). 0 means comments cannot be edited."),
    )

    class Meta:
        verbose_name = _("league settings")
        verbose_name_plural = _("league settings")

    def __str__(self):
        return str(_("League settings"))

    def save(self, *args, **kwargs):
        self.pk = 1  # there is only ever one row
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "LeagueSettings":
        """The league's settings (the defaults when staff have never saved them)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ProfileQuerySet(RestrictedQuerySet):
    def restrict(self, user, action="view"):
        if is_staff(user):
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Profile(models.Model):
    """What a member tells about themself beyond the account: affiliation, LGU, languages, notices."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile", verbose_name=_("user"))
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True,
        help_text=_("The body you work for, such as a municipality, a university or an NGO."))
    lgu = models.ForeignKey(
        "places.Lgu", verbose_name=_("my LGU"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("The municipality you work for or live in, if any."))
    languages = models.CharField(
        _("languages"), max_length=200, blank=True,
        help_text=_("The languages you can work in, such as Thai, English, Lao."))
    email_notifications = models.BooleanField(
        _("e-mail me about what I follow"), default=True,
        help_text=_("Changes on what you follow are always listed on your page; this also e-mails them."))

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class RequestQuerySet(RestrictedQuerySet):
    """Requests a member files and staff decide: the member sees their own, staff all."""

    def restrict(self, user, action="view"):
        if is_staff(user):
            return self
        if user is None or not user.is_authenticated:
            return self.none()
        if action == "view":
            return self.filter(user=user)
        if action == "withdraw":
            return self.filter(user=user, status=RequestStatus.PENDING)
        return self.none()

    def pending(self):
        return self.filter(status=RequestStatus.PENDING)


class RoleRequest(models.Model):
    """A member asks staff for a role: editor of an LGU, reviewer or moderator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="role_requests", verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=20, choices=RequestedRole)
    lgu = models.ForeignKey(
        "places.Lgu", verbose_name=_("LGU"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+", help_text=_("For an LGU editor: the LGU whose records you will keep."))
    reason = models.TextField(
        _("why"), max_length=2000,
        help_text=_("Your post and why you need the role, so that staff can check it."))
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus,
                              default=RequestStatus.PENDING)
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("staff note"), max_length=2000, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("role request")
        verbose_name_plural = _("role requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role=RequestedRole.LGU_EDITOR, lgu__isnull=False)
                | (~models.Q(role=RequestedRole.LGU_EDITOR) & models.Q(lgu__isnull=True)),
                name="accounts_role_request_lgu_for_editors_only",
                violation_error_message=_("Choose the LGU for an LGU editor, and only for one."),
            ),
            # One waiting request per role (and LGU): two constraints, as the LGU may be empty.
            models.UniqueConstraint(
                fields=["user", "role", "lgu"], condition=models.Q(status=RequestStatus.PENDING),
                name="accounts_role_request_one_pending_per_lgu",
                violation_error_message=_("You have already asked for this role; staff will decide."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(status=RequestStatus.PENDING, lgu__isnull=True),
                name="accounts_role_request_one_pending",
                violation_error_message=_("You have already asked for this role; staff will decide."),
            ),
        ]

    def __str__(self):
        role = self.get_role_display()
        if self.lgu_id:
            role = f"{role}: {self.lgu}"
        return f"{self.user} – {role}"


class DeletionRequest(models.Model):
    """A member asks for their account to be deleted; staff handle it (PDPA) and record how."""

    # Both blank once the member is erased (the register anonymises the request, which stays).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="deletion_requests", verbose_name=_("member"))
    username = models.CharField(_("username"), max_length=150, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DeletionStatus,
                              default=DeletionStatus.PENDING)
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"),
                                   null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField(_("handled on"), null=True, blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("account deletion request")
        verbose_name_plural = _("account deletion requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return str(_("Deletion of %(username)s") % {"username": self.username})
