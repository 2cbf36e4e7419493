"""Writes for accounts, and the audit record that every service function leaves."""

import json
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry, LguMembership, User

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
