"""The audit trail of one record told as sentences people read.

An audit entry stores raw values (attribute names, choice codes, foreign-key ids, ISO dates);
the history page shows each change with the field's translated name, the choice's label, the
related record's name and dates in the reader's calendar, in local time.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban.accounts.choices import AuditAction
from thetsaban.dates import format_date

_SENTENCES = {
    AuditAction.CREATE: gettext_lazy("%(who)s created this record."),
    AuditAction.UPDATE: gettext_lazy("%(who)s changed %(fields)s."),
    AuditAction.DELETE: gettext_lazy("%(who)s deleted this record."),
    AuditAction.SUBMIT: gettext_lazy("%(who)s submitted it for review."),
    AuditAction.PUBLISH: gettext_lazy("%(who)s published it."),
    AuditAction.RETURN: gettext_lazy("%(who)s returned it with comments."),
    AuditAction.IMPORT: gettext_lazy("%(who)s imported it."),
}


@dataclass
class Change:
    """One field's change: its name as people know it, the value before and after."""

    label: str
    name: str
    before: str
    after: str


@dataclass
class Step:
    """One entry of the history: when (local time), who, a sentence, and the changes."""

    when: str
    who: str
    sentence: str
    note: str
    changes: list[Change] = field(default_factory=list)


def _field(model, key: str):
    """The model field stored under `key` (an attribute name such as lgu_id, or an m2m name)."""
    if model is None:
        return None
    for candidate in model._meta.concrete_fields:
        if candidate.attname == key:
            return candidate
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _names(model, entries) -> dict:
    """{related model: {pk: name}} for every foreign key and many-to-many id in the entries."""
    wanted = defaultdict(set)
    for entry in entries:
        for key, old, new in entry.changes:
            target = _field(model, key)
            if target is None or not target.is_relation or target.related_model is None:
                continue
            for value in (old, new):
                wanted[target.related_model].update(value if isinstance(value, list) else [value])
    names = {}
    for related, pks in wanted.items():
        pks = {pk for pk in pks if pk is not None}
        names[related] = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=pks)}
    return names


def _display(target, value, names) -> str:
    if value in (None, "", []):
        return "–"
    if target is None:
        return str(value)
    if target.is_relation and target.related_model is not None:
        known = names.get(target.related_model, {})
        values = value if isinstance(value, list) else [value]
        return ", ".join(known.get(pk, _("#%(id)s (deleted)") % {"id": pk}) for pk in values)
    if target.choices:
        return str(dict(target.flatchoices).get(value, value))
    if isinstance(target, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(target, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return f"{format_date(moment, 'short')} {timezone.localtime(moment):%H:%M}"
    elif isinstance(target, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return format_date(day)
    return str(value)


def _join(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def describe(entries, model) -> list[Step]:
    """The entries of one record (of `model`, None if gone) as steps people read."""
    entries = list(entries)
    names = _names(model, entries)
    steps = []
    for entry in entries:
        changes = []
        for key, old, new in entry.changes:
            target = _field(model, key)
            name = str(target.verbose_name) if target is not None else key
            changes.append(Change(capfirst(name), name, _display(target, old, names),
                                  _display(target, new, names)))
        who = str(entry.actor) if entry.actor_id else _("The system")
        sentence = str(_SENTENCES.get(entry.action, gettext_lazy("%(who)s: %(action)s.")))
        steps.append(Step(
            when=f"{format_date(entry.at, 'short')} {timezone.localtime(entry.at):%H:%M}",
            who=who,
            sentence=sentence % {"who": who, "action": entry.get_action_display(),
                                 "fields": _join([c.name for c in changes]) or _("nothing")},
            note=entry.note, changes=changes))
    return steps
