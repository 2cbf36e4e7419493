"""Writes for accounts, and the audit record that every service function leaves."""

import json
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry, LeagueSettings, LguMembership, User
from thetsaban.permissions import is_staff

# Secrets never go into the audit trail.
_NOT_AUDITED = {"password", "last_login", "key"}


def snapshot(obj: models.Model) -> dict:
    """The stored values of a record's own fields and many-to-many ids, JSON-ready."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.attname in _NOT_AUDITED:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(obj, action: str, *, acting_user=None, before: dict | None = None, note: str = ""):
    """Write one audit entry for `obj`; `before` is its snapshot taken before the change."""
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    after = None if action == AuditAction.DELETE else snapshot(obj)
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        note=note,
    )


@transaction.atomic
def save_audited(obj: models.Model, *, acting_user, m2m: dict | None = None, note: str = ""):
    """Save a record (and its many-to-many values) and record what changed."""
    before = None
    if obj.pk:
        old = type(obj)._default_manager.filter(pk=obj.pk).first()
        before = snapshot(old) if old else None
    action = AuditAction.UPDATE if before is not None else AuditAction.CREATE
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    record(obj, action, acting_user=acting_user, before=before, note=note)
    return obj


@transaction.atomic
def delete_audited(obj: models.Model, *, acting_user, note: str = ""):
    """Delete a record, keeping its last values in the audit trail."""
    before = snapshot(obj)
    record(obj, AuditAction.DELETE, acting_user=acting_user, before=before, note=note)
    obj.delete()


@transaction.atomic
def ensure_staff_account(username: str = "staff", *, acting_user=None) -> tuple[User, str]:
    """Create or reset the league staff account with a freshly generated password."""
    password = secrets.token_urlsafe(12)
    user = User.objects.filter(username=username).first()
    before = snapshot(user) if user else None
    if user is None:
        user = User(username=username, email=f"{username}@localhost")
    user.is_staff = True
    user.is_superuser = True
    user.is_reviewer = True
    user.is_active = True
    user.set_password(password)
    user.save()
    record(user, AuditAction.UPDATE if before else AuditAction.CREATE,
           acting_user=acting_user, before=before, note="staff account (password generated)")
    return user, password


@transaction.atomic
def grant_lgu_editor(user: User, lgu, *, acting_user) -> LguMembership:
    """Make `user` an editor of `lgu`."""
    membership, created = LguMembership.objects.get_or_create(user=user, lgu=lgu)
    if created:
        record(membership, AuditAction.CREATE, acting_user=acting_user)
    return membership


@transaction.atomic
def save_league_settings(settings: LeagueSettings, *, acting_user, note: str = "") -> LeagueSettings:
    """Change the league's settings (staff only), recording who changed what and when."""
    if not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff can change the league settings."))
    return save_audited(settings, acting_user=acting_user, note=note)


# -- four eyes: nobody approves their own work -------------------------------------------------

class OwnWorkRefused(PermissionDenied):
    """An approval refused because the approver applied for or wrote the work (a 403)."""


# The note an approval's audit entry carries when the approver approved their own work.
SELF_APPROVAL_NOTE = "self-approval (allowed by the league settings)"


def _is_own(user, author_ids) -> bool:
    return user is not None and user.is_authenticated and user.pk in set(author_ids)


def own_work_reason(user, author_ids) -> str:
    """Why `user` may not approve this work (they applied for it or wrote it), or "" if they may.

    `author_ids` are the users who applied, authored, submitted or edited the work. When staff
    allow self-approval in the league settings (for a small league), nobody is refused.
    """
    if not _is_own(user, author_ids) or LeagueSettings.load().allow_self_approval:
        return ""
    return _("You cannot approve your own work: you applied for it, wrote it or edited it. "
             "Another reviewer must decide.")


def check_four_eyes(acting_user, author_ids, note: str = "") -> str:
    """Refuse an approval of one's own work; return the note for the approval's audit entry.

    `acting_user=None` (a trusted system process) is never refused. A self-approval that the
    league settings allow goes through, with SELF_APPROVAL_NOTE added to `note`.
    """
    author_ids = set(author_ids)
    reason = own_work_reason(acting_user, author_ids)
    if reason:
        raise OwnWorkRefused(reason)
    if _is_own(acting_user, author_ids):
        return f"{note}; {SELF_APPROVAL_NOTE}" if note else SELF_APPROVAL_NOTE
    return note


def audit_actor_ids(*objects, actions=(AuditAction.CREATE, AuditAction.UPDATE, AuditAction.SUBMIT,
                                        AuditAction.IMPORT), exclude_notes=()) -> set[int]:
    """The users whose audited writes (by default: creating, changing, submitting) touched these records."""
    if not objects:
        return set()
    query = models.Q()
    for obj in objects:
        query |= models.Q(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    entries = AuditEntry.objects.filter(query, action__in=actions, actor__isnull=False)
    if exclude_notes:
        entries = entries.exclude(note__in=exclude_notes)
    return set(entries.values_list("actor_id", flat=True))
