"""Retention rules: personal fields the register says are kept for a set time are blanked once
that time has passed (for example an e-service reporter's name, e-mail and phone, two years
after the request was closed). A plain function, run by `manage.py apply_retention` and ready
to be scheduled as a periodic job."""

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import record, redact_audit_fields
from thetsaban.privacy.register import blank_value, entries, retention_days

RETENTION_NOTE = "retention: personal fields blanked after %(days)s days"


def _holding_personal_data(entry) -> models.Q:
    query = models.Q()
    for name in entry.fields:
        model_field = entry.model._meta.get_field(name)
        held = models.Q(**{f"{model_field.attname}__isnull": False})
        if not model_field.is_relation:
            held &= ~models.Q(**{model_field.attname: ""})
        query |= held
    return query


def due_rows(entry, now=None):
    """The rows of a register entry whose personal fields have been kept long enough."""
    days = retention_days(entry)
    if days is None:
        return entry.model._default_manager.none()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return (entry.model._default_manager
            .filter(**{f"{entry.retention_from}__lt": cutoff})
            .filter(_holding_personal_data(entry)).order_by("pk"))


@transaction.atomic
def apply_retention(now=None) -> dict[str, int]:
    """Blank the personal fields of every row past its retention time, as the system actor:
    each row audited, and those fields blanked in the row's earlier audit entries (the rest of
    its history stays). Returns the rows changed per model."""
    counts = {}
    for entry in entries():
        note = RETENTION_NOTE % {"days": retention_days(entry)}
        changed = []
        for row in due_rows(entry, now).iterator(chunk_size=1000):
            for name in entry.fields:
                model_field = entry.model._meta.get_field(name)
                setattr(row, model_field.attname, blank_value(model_field))
            row.save(update_fields=list(entry.fields))
            changed.append(row.pk)
        if changed:
            redact_audit_fields(entry.model, changed, entry.fields, acting_user=None, reason=note)
            for row in entry.model._default_manager.filter(pk__in=changed).iterator(chunk_size=1000):
                record(row, AuditAction.UPDATE, acting_user=None, note=note)
            counts[entry.model_label] = len(changed)
    return counts
