"""Writes for places: importing the national list of LGUs."""

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
from thetsaban.places.importers import LGU_COLUMNS, check_rows, same_value
from thetsaban.places.models import Lgu, Province
from thetsaban.places.pickers import LGUS
from thetsaban.search.services import bulk_index
from thetsaban.tabular import ImportRejected, Problem, read_table

BATCH_SIZE = 500
# Lookups of existing codes go in chunks below SQLite's old limit of 999 query parameters.
LOOKUP_CHUNK = 900


@dataclass
class ImportResult:
    """What an import did: rows read, LGUs created, updated and left unchanged."""

    rows: int
    created: int
    updated: int
    unchanged: int
    encoding: str
    ignored_columns: list[str] = field(default_factory=list)
    audit_entry: AuditEntry | None = None


class _Progress:
    """Progress over the stages of an import, through a tqdm-like factory (or none)."""

    def __init__(self, factory):
        self.factory = factory

    def stage(self, total: int, description: str):
        if self.factory is None:
            return nullcontext(None)
        return self.factory(total=total, desc=description)


def import_lgus(source, *, acting_user, filename: str = "", progress=None,
                max_bytes: int | None = None) -> ImportResult:
    """Create or update LGUs from the national list (CSV or XLSX), all rows or none.

    Every row is checked first and every problem is reported at once (ImportRejected); only a
    clean file is written, in one transaction: new codes are created, changed LGUs updated,
    unchanged ones left alone. Columns missing from the file leave those fields as they are.
    `progress` is a tqdm-like factory called as progress(total=..., desc=...).
    """
    stages = _Progress(progress)
    table = read_table(source, LGU_COLUMNS, filename=filename, max_bytes=max_bytes)
    provinces = list(Province.objects.only("pk", "code", "name_th", "name_en"))
    with stages.stage(len(table.rows), _("Checking rows")) as bar:
        rows = check_rows(table, provinces, progress=bar.update if bar is not None else None)
    try:
        return _write_lgus(rows, table, filename=filename, acting_user=acting_user, stages=stages)
    except IntegrityError:
        # Only a concurrent import or edit adding the same code can get here: rows were checked.
        raise ImportRejected([Problem(_(
            "The list of LGUs was changed by someone else during the import; nothing was "
            "imported. Please try again."))]) from None


@transaction.atomic
def _write_lgus(rows, table, *, filename, acting_user, stages) -> ImportResult:
    """Write checked rows with bulk operations, index the LGUs touched, and audit the import."""
    codes = [row.values["code"] for row in rows]
    existing: dict[str, Lgu] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for lgu in Lgu.objects.filter(code__in=codes[start:start + LOOKUP_CHUNK]):
            existing[lgu.code] = lgu

    to_create: list[Lgu] = []
    to_update: list[Lgu] = []
    changed_fields: set[str] = set()
    for row in rows:
        values = row.values
        lgu = existing.get(values["code"])
        if lgu is None:
            to_create.append(Lgu(**values))
            continue
        changed = [name for name, value in values.items()
                   if not same_value(getattr(lgu, name), value)]
        if changed:
            for name in changed:
                setattr(lgu, name, values[name])
            changed_fields.update(changed)
            to_update.append(lgu)

    with stages.stage(len(to_create) + len(to_update), _("Writing LGUs")) as bar:
        for start in range(0, len(to_create), BATCH_SIZE):
            batch = to_create[start:start + BATCH_SIZE]
            Lgu.objects.bulk_create(batch)
            if bar is not None:
                bar.update(len(batch))
        for start in range(0, len(to_update), BATCH_SIZE):
            batch = to_update[start:start + BATCH_SIZE]
            Lgu.objects.bulk_update(batch, sorted(changed_fields))
            if bar is not None:
                bar.update(len(batch))

    # bulk_create returns primary keys on both databases (RETURNING), so no lookup is needed.
    touched_ids = [lgu.pk for lgu in to_create] + [lgu.pk for lgu in to_update]
    with stages.stage(len(touched_ids), _("Updating the search index")) as bar:
        _index(touched_ids, updated_ids=[lgu.pk for lgu in to_update],
               progress=bar.update if bar is not None else None)

    result = ImportResult(rows=len(rows), created=len(to_create), updated=len(to_update),
                          unchanged=len(rows) - len(to_create) - len(to_update),
                          encoding=table.encoding, ignored_columns=table.ignored_columns)
    result.audit_entry = _audit(result, filename=filename, acting_user=acting_user,
                                created=[lgu.code for lgu in to_create],
                                updated=[lgu.code for lgu in to_update])
    return result


def _index(lgu_ids: list[int], *, updated_ids: list[int], progress=None) -> None:
    """Index the LGUs a bulk write touched (bulk operations send no post_save signal)."""
    # Upward (practices sits above places): a reasoned exception in .importlinter.
    from thetsaban.practices.models import Practice
    bulk_index("lgu", lgu_ids, progress=progress)
    # The LGU picker's name words (post_save, which keeps them current, is not sent in bulk).
    LGUS.refresh_words(lgu_ids)
    # A practice is found by its LGU's name too, so practices of changed LGUs are re-indexed.
    practice_ids = []
    for start in range(0, len(updated_ids), LOOKUP_CHUNK):
        chunk = updated_ids[start:start + LOOKUP_CHUNK]
        practice_ids += Practice.objects.filter(lgu_id__in=chunk).values_list("pk", flat=True)
    if practice_ids:
        bulk_index("practice", practice_ids)


def _audit(result: ImportResult, *, filename, acting_user, created, updated) -> AuditEntry:
    """One audit entry summarising an import, with the codes created and updated."""
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    summary = _("LGU list imported from %(file)s: %(rows)s rows, %(created)s created, "
                "%(updated)s updated, %(unchanged)s unchanged") % {
        "file": filename or "-", "rows": result.rows, "created": result.created,
        "updated": result.updated, "unchanged": result.unchanged}
    return AuditEntry.objects.create(
        actor=actor,
        action=AuditAction.IMPORT,
        content_type=ContentType.objects.get_for_model(Lgu),
        object_id="",
        object_repr=summary[:300],
        after={"file": filename, "encoding": result.encoding, "rows": result.rows,
               "created": created, "updated": updated, "unchanged": result.unchanged},
        note=summary,
    )
