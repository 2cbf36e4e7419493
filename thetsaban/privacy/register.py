"""The register of personal data (every app's `privacy` declarations, thetsaban/hooks.py) and what
it finds for one data subject: the rows, their copy as a ZIP of JSON and CSV, and how a field is
blanked."""

import io
import json
import zipfile
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban import hooks, tabular
from thetsaban.privacy.choices import ErasureAction, LegalBasis


def entries() -> list[hooks.PersonalData]:
    """The register: where personal data lives, per model, in INSTALLED_APPS order."""
    return hooks.personal_data()


@dataclass
class Subject:
    """The person a request is about: their account (if any) and their e-mail addresses."""

    user_id: int | None = None
    emails: set = field(default_factory=set)

    @classmethod
    def of(cls, user=None, email: str = "") -> "Subject":
        """The subject behind an account (with every address it has used) or an address alone."""
        emails = {email.strip().casefold()} if email.strip() else set()
        if user is not None:
            emails |= {user.email.strip().casefold()} if user.email else set()
            emails |= {address.casefold() for address in
                       EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
        return cls(user_id=getattr(user, "pk", None), emails=emails)


def rows_of(entry: hooks.PersonalData, subject: Subject):
    """The rows of one register entry that are about `subject`."""
    query = models.Q()
    if entry.subject and subject.user_id is not None:
        query |= models.Q(**{entry.subject: subject.user_id})
    if entry.subject_email:
        for email in sorted(subject.emails):
            query |= models.Q(**{f"{entry.subject_email}__iexact": email})
    manager = entry.model._default_manager
    return manager.filter(query).order_by("pk") if query else manager.none()


def _field(entry, name):
    return entry.model._meta.get_field(name)


def row_data(entry: hooks.PersonalData, row) -> dict:
    """The personal fields of one row, JSON-ready (a link to another record is its number)."""
    data = {"id": row.pk}
    for name in entry.fields:
        data[name] = _field(entry, name).value_from_object(row)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def blank_value(model_field):
    """What a personal field reads once blanked: empty, or NULL where the column allows it."""
    return None if model_field.null else ""


def describe(entry: hooks.PersonalData) -> dict:
    """One register entry as people read it (the register page and its export)."""
    meta = entry.model._meta
    return {
        "model": entry.model_label,
        "name": str(meta.verbose_name_plural),
        "fields": [str(_field(entry, name).verbose_name) for name in entry.fields],
        "field_names": list(entry.fields),
        "purpose": str(entry.purpose),
        "legal_basis": str(LegalBasis(entry.legal_basis).label),
        "erasure": str(ErasureAction(entry.erasure).label),
        "keep_reason": str(entry.keep_reason),
        "retention_days": retention_days(entry),
    }


def retention_days(entry: hooks.PersonalData) -> int | None:
    """How long the entry's personal fields are kept (the setting PRIVACY_RETENTION_DAYS wins)."""
    return settings.PRIVACY_RETENTION_DAYS.get(entry.model_label, entry.retention_days)


def register_csv() -> bytes:
    """The register as a spreadsheet (CSV)."""
    header = [_("Record"), _("Model"), _("Personal fields"), _("Purpose"), _("Legal basis"),
              _("On erasure"), _("Kept after erasure because"), _("Blanked after (days)")]
    rows = [[d["name"], d["model"], ", ".join(d["fields"]), d["purpose"], d["legal_basis"],
             d["erasure"], d["keep_reason"], d["retention_days"] or ""]
            for d in map(describe, entries())]
    return tabular.write_csv([header, *rows])


def found_for(subject: Subject) -> list[tuple[hooks.PersonalData, list[dict]]]:
    """Every register entry with the subject's rows in it."""
    found = []
    for entry in entries():
        rows = [row_data(entry, row) for row in rows_of(entry, subject)]
        if rows:
            found.append((entry, rows))
    return found


def export_zip(subject: Subject, *, reference: str) -> bytes:
    """A copy of everything the register finds about `subject`: data.json (all of it, with each
    record's purpose and legal basis) and one CSV per kind of record."""
    found = found_for(subject)
    document = {
        "reference": reference,
        "generated_at": timezone.now().isoformat(),
        "records": [{**describe(entry), "rows": rows} for entry, rows in found],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=1,
                                                  cls=DjangoJSONEncoder))
        for entry, rows in found:
            columns = ["id", *entry.fields]
            table = [columns, *([row[c] if not isinstance(row[c], (dict, list)) else json.dumps(row[c], ensure_ascii=False)
                                 for c in columns] for row in rows)]
            archive.writestr(f"{entry.model_label}.csv", tabular.write_csv(table))
    return buffer.getvalue()
