"""Erasing a data subject by the register (PDPA s.33): used by the decision on an erasure
request and by the replay of the erasure ledger after a restore."""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import User
from thetsaban.accounts.services import (
    USER_PERSONAL_FIELDS,
    record,
    redact_audit,
    redact_audit_by_rule,
    redact_audit_fields,
    values_in_audit,
)
from thetsaban.permissions import is_staff
from thetsaban.privacy.choices import ErasureAction
from thetsaban.privacy.register import Subject, blank_value, entries, rows_of

# The account that civic records of erased members are credited to: pages show its name where
# the member's was. It cannot sign in.
ERASED_MEMBER_USERNAME = "สมาชิก (a member)"
# Shorter values (initials, "TH") would blank unrelated text in the audit trail.
_SHORTEST_QUOTED_VALUE = 3


def erased_member() -> User:
    """The account civic records of erased members are credited to (made on first use)."""
    user, _created = User.objects.get_or_create(
        username=ERASED_MEMBER_USERNAME,
        defaults={"is_active": False, "password": make_password(None)})
    return user


def _text_values(entry, row) -> set[str]:
    """The names, addresses and numbers in a row's personal fields (not free text, whose words
    could be anyone's)."""
    values = set()
    for name in entry.fields:
        model_field = entry.model._meta.get_field(name)
        if isinstance(model_field, models.TextField):
            continue
        value = getattr(row, model_field.attname)
        if isinstance(value, str) and len(value.strip()) >= _SHORTEST_QUOTED_VALUE:
            values.add(value.strip())
    return values


def has_rows(subject: Subject) -> bool:
    """Whether the register finds anything to erase about `subject`."""
    if subject.user_id is not None and User.objects.filter(pk=subject.user_id).exists():
        return True
    return any(rows_of(entry, subject).exists() for entry in entries()
               if entry.erasure != ErasureAction.KEEP and entry.model is not User)


@transaction.atomic
def erase_subject(subject: Subject, *, acting_user, reason: str) -> dict[str, int]:
    """Erase a data subject (PDPA s.33) by the register: personal rows deleted, personal fields
    of civic records blanked, their comments and proposals credited to "a member", the account
    deleted, and their values redacted from the audit trail. Returns the rows changed per model.

    Idempotent: erasing someone already erased finds nothing and changes nothing.
    """
    if not (acting_user is None or is_staff(acting_user)):
        raise PermissionDenied(_("Only league staff may erase personal data."))
    personal_values = {email for email in subject.emails if len(email) >= _SHORTEST_QUOTED_VALUE}
    user = User.objects.filter(pk=subject.user_id).first() if subject.user_id else None
    if user is not None:
        personal_values |= values_in_audit(User, user.pk, USER_PERSONAL_FIELDS)
    own_records, kept_records, counts = [], [], {}
    for entry in entries():
        if entry.erasure == ErasureAction.KEEP or entry.model is User:
            continue
        changed = 0
        for row in rows_of(entry, subject):
            if entry.erasure == ErasureAction.DELETE:
                own_records.append((entry.model, row.pk))
                record(row, AuditAction.DELETE, acting_user=acting_user, note=reason)
                row.delete()
            elif entry.erasure == ErasureAction.ANONYMISE:
                # Names, addresses and numbers are blanked wherever the audit trail quotes them;
                # a deleted row's whole history is redacted instead (own_records), and a civic
                # record's text stays public, so neither is quoted.
                personal_values |= _text_values(entry, row)
                for name in entry.fields:
                    model_field = entry.model._meta.get_field(name)
                    setattr(row, model_field.attname, blank_value(model_field))
                row.save(update_fields=list(entry.fields))
                record(row, AuditAction.UPDATE, acting_user=acting_user, note=reason)
                kept_records.append((entry, row.pk))
            else:
                _reassign(entry, row, acting_user=acting_user, reason=reason)
            entry.erased(row, acting_user=acting_user, reason=reason)
            changed += 1
        if changed:
            counts[entry.model_label] = changed
    if user is not None:
        own_records.append((User, user.pk))
        record(user, AuditAction.DELETE, acting_user=acting_user, note=reason)
        user.delete()
        counts[User._meta.label] = 1
    # An anonymised record keeps its history, without the blanked fields.
    for entry, pk in kept_records:
        redact_audit_fields(entry.model, [pk], entry.fields, acting_user=acting_user, reason=reason)
    if own_records or personal_values:
        if acting_user is None:
            redact_audit_by_rule(own_records, personal_values=personal_values, reason=reason)
        else:
            redact_audit(own_records, personal_values=personal_values, acting_user=acting_user, reason=reason)
    return counts


def _reassign(entry, row, *, acting_user, reason):
    """Credit a civic record to the erased member; a row the erased member already has (one
    support per proposal) is deleted instead."""
    attname = entry.model._meta.get_field(entry.subject).attname
    setattr(row, attname, erased_member().pk)
    try:
        with transaction.atomic():
            row.save(update_fields=[entry.subject])
    except IntegrityError:
        record(row, AuditAction.DELETE, acting_user=acting_user, note=reason)
        row.delete()
    else:
        record(row, AuditAction.UPDATE, acting_user=acting_user, note=reason)
