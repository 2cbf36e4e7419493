"""Writes for accounts, and the audit record that every service function leaves."""

import json
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban import hooks
from thetsaban.accounts.choices import AuditAction, DeletionStatus, RequestedRole, RequestStatus
from thetsaban.accounts.models import (
    AuditEntry,
    DeletionRequest,
    LeagueSettings,
    LguMembership,
    Profile,
    RoleRequest,
    User,
)
from thetsaban.permissions import is_staff

# The system actor: a trusted process (a management command, the demo loader, an import run
# from the command line) acts as `acting_user=None`. Services never refuse it, and its audit
# entries have no actor. The one definition for every app's services.
SYSTEM = None


def is_system(user) -> bool:
    """Whether `user` is the system actor (a trusted process, not a person)."""
    return user is SYSTEM


# Secrets never go into the audit trail.
_NOT_AUDITED = {"password", "last_login", "key"}


def snapshot(obj: models.Model) -> dict:
    """The stored values of a record's own fields and many-to-many ids, JSON-ready."""
    data = {}
    # A model may keep other fields out of the trail (a queued e-mail's text: jobs.Job).
    skipped = _NOT_AUDITED | set(getattr(obj, "not_audited", ()))
    for field in obj._meta.concrete_fields:
        if field.attname in skipped:
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


def profile_of(user: User) -> Profile:
    """The member's profile, or an unsaved empty one if they have never filled it in."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@transaction.atomic
def save_profile(profile: Profile, *, first_name: str, last_name: str, acting_user) -> Profile:
    """Save a member's profile and name (their own, or any for staff), both audited."""
    if not (is_staff(acting_user) or getattr(acting_user, "pk", None) == profile.user_id):
        raise PermissionDenied(_("You can change only your own profile."))
    user = User.objects.get(pk=profile.user_id)
    if (user.first_name, user.last_name) != (first_name, last_name):
        user.first_name, user.last_name = first_name, last_name
        save_audited(user, acting_user=acting_user, note="profile")
    return save_audited(profile, acting_user=acting_user)


@transaction.atomic
def request_role(user: User, role: str, *, lgu=None, reason: str, acting_user) -> RoleRequest:
    """File a member's request for a role (their own); staff decide it on the role requests page."""
    if getattr(acting_user, "pk", None) != user.pk:
        raise PermissionDenied(_("You can ask for a role only for yourself."))
    if role == RequestedRole.LGU_EDITOR and lgu is not None and \
            LguMembership.objects.filter(user=user, lgu=lgu).exists():
        raise ValidationError({"lgu": _("You already edit for this LGU.")})
    if role == RequestedRole.REVIEWER and user.is_reviewer or \
            role == RequestedRole.MODERATOR and user.is_moderator:
        raise ValidationError({"role": _("You already have this role.")})
    return save_audited(RoleRequest(user=user, role=role, lgu=lgu, reason=reason.strip()),
                        acting_user=acting_user)


@transaction.atomic
def withdraw_role_request(role_request: RoleRequest, *, acting_user) -> RoleRequest:
    """The member takes back a request staff have not decided yet."""
    if not RoleRequest.objects.restrict(acting_user, "withdraw").filter(pk=role_request.pk).exists():
        raise PermissionDenied(_("Only a request of yours still waiting for staff can be withdrawn."))
    role_request.status = RequestStatus.WITHDRAWN
    return save_audited(role_request, acting_user=acting_user)


@transaction.atomic
def decide_role_request(role_request: RoleRequest, *, approve: bool, note: str = "",
                        acting_user) -> RoleRequest:
    """Staff grant or refuse a role request; granting gives the same rights the admin gives.

    Four eyes: nobody grants their own request. The decision and the right it creates are
    both in the audit trail.
    """
    if not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff can grant roles."))
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if role_request.status != RequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided or withdrawn."))
    audit_note = ""
    if approve:
        audit_note = check_four_eyes(acting_user, {role_request.user_id})
        user = role_request.user
        if role_request.role == RequestedRole.LGU_EDITOR:
            grant_lgu_editor(user, role_request.lgu, acting_user=acting_user)
        elif role_request.role in (RequestedRole.REVIEWER, RequestedRole.MODERATOR):
            setattr(user, "is_" + role_request.role, True)
            save_audited(user, acting_user=acting_user, note=str(role_request))
    role_request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    role_request.decided_by = acting_user
    role_request.decided_at = timezone.now()
    role_request.decision_note = note.strip()
    return save_audited(role_request, acting_user=acting_user, note=audit_note)


@transaction.atomic
def request_deletion(user: User, *, reason: str = "", acting_user) -> DeletionRequest:
    """A member asks for their account to be deleted. The request is handled as a PDPA erasure
    request: hooks.account_deletion_requested lets the privacy app file it, and its decision
    erases the member and settles this request (settle_deletion_request)."""
    if getattr(acting_user, "pk", None) != user.pk:
        raise PermissionDenied(_("You can ask to delete only your own account."))
    if DeletionRequest.objects.filter(user=user, status=DeletionStatus.PENDING).exists():
        raise ValidationError(_("You have already asked for your account to be deleted; staff "
                                "will handle it."))
    deletion = save_audited(DeletionRequest(user=user, username=user.username, reason=reason.strip()),
                            acting_user=acting_user)
    hooks.account_deletion_requested.send(sender=DeletionRequest, deletion_request=deletion,
                                          acting_user=acting_user)
    return deletion


@transaction.atomic
def settle_deletion_request(deletion: DeletionRequest, *, status: str, note: str = "",
                            acting_user) -> DeletionRequest:
    """Record how a member's account deletion request ended, as the erasure request that carries
    it out ended (thetsaban.privacy): done or refused by staff, or withdrawn by the member."""
    deletion = DeletionRequest.objects.select_for_update().get(pk=deletion.pk)
    if deletion.status != DeletionStatus.PENDING:
        raise ValidationError(_("This account deletion request has already been handled or withdrawn."))
    if status == DeletionStatus.WITHDRAWN:
        allowed = is_staff(acting_user) or (deletion.user_id is not None
                                             and getattr(acting_user, "pk", None) == deletion.user_id)
    elif status in (DeletionStatus.DONE, DeletionStatus.REFUSED):
        allowed = is_system(acting_user) or is_staff(acting_user)
    else:
        raise ValidationError({"status": _("Status: choose done, refused or withdrawn.")})
    if not allowed:
        raise PermissionDenied(_("Only league staff handle account deletion requests."))
    deletion.status = status
    deletion.staff_note = note.strip()
    if status != DeletionStatus.WITHDRAWN:
        deletion.handled_by = acting_user
        deletion.handled_at = timezone.now()
    return save_audited(deletion, acting_user=acting_user)


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

# What a redacted value reads as; a changed field stays visible as changed.
REDACTED = "[redacted]"
REDACTED_CHANGED = "[redacted: changed]"
# Shorter quoted values (initials, "on", "TH") would blank unrelated text.
_SHORTEST_QUOTED_VALUE = 3
USER_PERSONAL_FIELDS = ("username", "first_name", "last_name", "email")


def values_in_audit(model, object_id, fields) -> set[str]:
    """The text values `fields` of one record held, now and in every audit entry about it."""
    values = set()
    row = model._default_manager.filter(pk=object_id).values(*fields).first()
    rows = [row] if row else []
    for entry in AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                           object_id=str(object_id)):
        rows += [entry.before or {}, entry.after or {}]
    for data in rows:
        values |= {data[f].strip() for f in fields if isinstance(data.get(f), str) and data[f].strip()}
    return {value for value in values if len(value) >= _SHORTEST_QUOTED_VALUE}


def _blank(entry: AuditEntry, redact) -> bool:
    """Replace the values `redact(key, value)` picks in an entry's before and after; True if any."""
    changed = {key for key, _before, _after in entry.changes}
    touched = False
    if entry.before is not None:
        for key, value in entry.before.items():
            if redact(key, value):
                entry.before[key], touched = REDACTED, True
    if entry.after is not None:
        for key, value in entry.after.items():
            if redact(key, value):
                was_changed = key in changed and entry.before is not None
                entry.after[key], touched = (REDACTED_CHANGED if was_changed else REDACTED), True
    return touched


def _mentions(value, quoted: list[str]) -> bool:
    if isinstance(value, list):
        return any(_mentions(item, quoted) for item in value)
    return isinstance(value, str) and any(q in value.casefold() for q in quoted)


@transaction.atomic
def redact_audit(records, *, personal_values=(), acting_user, reason: str) -> int:
    """Blank personal values from the audit trail on a data-protection (PDPA) request.

    `records` are (model, id) pairs, existing or deleted: every value in every audit entry about
    them is replaced, except the id. `personal_values` (names, e-mail addresses …) are also blanked
    wherever another entry quotes them. Who did what, when, and which fields changed all stay.
    Staff only; the redaction is itself recorded, with its reason and without the values.
    Returns the number of entries changed.
    """
    if not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff may redact the audit trail."))
    return _redact(records, personal_values, acting_user, reason)


@transaction.atomic
def redact_audit_by_rule(records, *, personal_values=(), reason: str) -> int:
    """The same redaction, done by the system actor on a rule: retention periods that ran out,
    erasures re-applied after a backup was restored (thetsaban.privacy)."""
    return _redact(records, personal_values, SYSTEM, reason)


def _redact(records, personal_values, acting_user, reason) -> int:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason, such as the reference of the request.")})
    quoted = sorted({v.casefold() for v in personal_values if len(v) >= _SHORTEST_QUOTED_VALUE})
    own = {(ContentType.objects.get_for_model(model).pk, str(pk)) for model, pk in records}
    changed = 0
    for entry in AuditEntry.objects.exclude(action=AuditAction.REDACT).select_for_update().iterator():
        if (entry.content_type_id, entry.object_id) in own:
            touched = _blank(entry, lambda key, value: key != "id" and value not in (None, "", [], REDACTED))
            entry.object_repr = REDACTED
        else:
            touched = bool(quoted) and _blank(entry, lambda key, value: _mentions(value, quoted))
            if quoted and _mentions(entry.object_repr, quoted):
                entry.object_repr, touched = REDACTED, True
        if touched or (entry.content_type_id, entry.object_id) in own:
            entry.save(update_fields=["before", "after", "object_repr"])
            changed += 1
    for content_type_id, object_id in sorted(own):
        AuditEntry.objects.create(
            actor=acting_user, action=AuditAction.REDACT, content_type_id=content_type_id,
            object_id=object_id, object_repr=REDACTED,
            after={"entries_redacted": changed, "values_quoted_elsewhere": len(quoted)}, note=reason)
    return changed


@transaction.atomic
def redact_audit_fields(model, object_ids, fields, *, acting_user, reason: str) -> int:
    """Blank only `fields` in the audit entries of these records, keeping the rest of their
    history: for a record that stays once its personal fields are blanked (a retention rule, an
    erasure that keeps a civic record). Staff or the system actor; recorded like redact_audit.
    Returns the number of entries changed."""
    if not (is_system(acting_user) or is_staff(acting_user)):
        raise PermissionDenied(_("Only league staff may redact the audit trail."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason, such as the reference of the request.")})
    content_type = ContentType.objects.get_for_model(model)
    names = set(fields) | {model._meta.get_field(name).attname for name in fields}
    ids = sorted({str(pk) for pk in object_ids})
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        entries = (AuditEntry.objects.filter(content_type=content_type, object_id__in=chunk)
                   .exclude(action=AuditAction.REDACT).select_for_update())
        for entry in entries:
            if _blank(entry, lambda key, value: key in names and value not in (None, "", [], REDACTED)):
                entry.save(update_fields=["before", "after"])
                changed += 1
        AuditEntry.objects.bulk_create(
            AuditEntry(actor=acting_user if not is_system(acting_user) else None, action=AuditAction.REDACT,
                       content_type=content_type, object_id=object_id, object_repr=REDACTED,
                       after={"fields": sorted(fields)}, note=reason)
            for object_id in chunk)
    return changed


def redact_user(user_id: int, *, acting_user, reason: str) -> int:
    """Redact a user account's personal data (names, e-mail, username) from the audit trail."""
    values = values_in_audit(User, user_id, USER_PERSONAL_FIELDS)
    return redact_audit([(User, user_id)], personal_values=values, acting_user=acting_user, reason=reason)
