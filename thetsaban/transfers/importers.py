"""Transfer projects in and out of spreadsheets (CSV and XLSX).

Files are read by the shared tabular kit (thetsaban.tabular: encodings detected,
every problem with its row and column, all or nothing); this module knows the columns of a
transfer project, checks each row and writes them, and writes the same columns on export so
that an exported file can be edited and imported back (rows with an id update that project).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thetsaban import thai
from thetsaban.accounts.services import save_audited
from thetsaban.coaching.models import Language
from thetsaban.permissions import is_staff
from thetsaban.places.models import Lgu
from thetsaban.practices.choices import ReviewStatus
from thetsaban.practices.models import Practice, Theme
from thetsaban.tabular import (
    CellError,
    Column,
    PlaceLookup,
    Problems,
    fold_value,
    parse_bool,
    parse_text,
    parse_whole_number,
    read_table,
    write_csv,
    write_xlsx,
)
from thetsaban.transfers.choices import Motivation, ProjectStatus
from thetsaban.transfers.models import TransferProject

COLUMNS = [
    Column("id", aliases=("project_id", "รหัสโครงการ")),
    Column("title", required=True, aliases=("project", "ชื่อโครงการ", "โครงการ")),
    Column("target_lgu", required=True, aliases=("lgu", "adopting_lgu", "lgu_code", "เทศบาล", "อปท")),
    Column("source_practice", aliases=("practice", "practice_id", "แนวปฏิบัติต้นแบบ")),
    Column("source_note", aliases=("source", "ที่มา")),
    Column("theme", aliases=("ประเด็น", "ประเด็นหลัก")),
    Column("language", aliases=("ภาษา",)),
    Column("motivation", aliases=("why", "เหตุผล")),
    Column("motivation_text", aliases=("แรงจูงใจ",)),
    Column("status", aliases=("สถานะ",)),
    Column("planned_start", aliases=("วันเริ่มตามแผน",)),
    Column("planned_end", aliases=("วันสิ้นสุดตามแผน",)),
    Column("actual_start", aliases=("วันเริ่มจริง",)),
    Column("actual_end", aliases=("วันสิ้นสุดจริง",)),
    Column("is_example", aliases=("example", "ข้อมูลตัวอย่าง")),
]
COLUMN_NAMES = [c.name for c in COLUMNS]
DATE_COLUMNS = ("planned_start", "planned_end", "actual_start", "actual_end")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# A year above this is in the Buddhist Era (พ.ศ.), as Thai spreadsheets often write dates.
_BUDDHIST_ERA_FROM = 2400


@dataclass
class ImportResult:
    """What an import did."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    encoding: str = ""
    ignored_columns: list = field(default_factory=list)


def parse_date(raw: str) -> datetime.date | None:
    """A date as 2024-03-31, 31/03/2024 or 31/03/2567 (Buddhist Era); empty is None."""
    text = thai.clean(raw).translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    if not text:
        return None
    text = text.split("T")[0].split(" ")[0]
    try:
        match = _DAY_FIRST.fullmatch(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
        else:
            year, month, day = (int(p) for p in text.split("-"))
        if year > _BUDDHIST_ERA_FROM:
            year -= 543
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("'%(value)s' is not a date; write it as 2024-03-31 or 31/03/2567")
                        % {"value": raw}) from None


def _choice(raw: str, choices) -> str:
    value = fold_value(raw)
    for key, label in choices.choices:
        if value in (fold_value(key), fold_value(str(label))):
            return key
    raise CellError(_("'%(value)s' is not one of %(choices)s")
                    % {"value": raw, "choices": ", ".join(choices.values)})


class _Lookups:
    """The related rows a file names, read in a few queries rather than one per row."""

    def __init__(self, rows):
        # By code, short name, Thai or English name, or abbreviation ("ทน.สงขลา"): the national
        # list is read once (a few thousand short rows).
        self.lgus = PlaceLookup(
            Lgu.objects.only("pk", "code", "short_name", "name_th", "name_en"),
            keys=("code", "short_name", "name_th", "name_en"),
            unknown=_("no LGU has the code or name '%(value)s'"),
            ambiguous=_("several LGUs are called '%(value)s'; give the code"))
        self.themes = {}
        for theme in Theme.objects.all():
            self.themes[fold_value(theme.code)] = theme
            self.themes[fold_value(theme.name_th)] = theme
            if theme.name_en:
                self.themes[fold_value(theme.name_en)] = theme
        self.languages = {fold_value(lang.code): lang for lang in Language.objects.all()}
        practice_ids = set()
        project_ids = set()
        for row in rows:
            for name, ids in (("source_practice", practice_ids), ("id", project_ids)):
                try:
                    value = parse_whole_number(row.values.get(name, ""), minimum=1)
                except CellError:
                    continue
                if value:
                    ids.add(value)
        self.practices = Practice.objects.select_related("lgu").in_bulk(practice_ids)
        self.projects = TransferProject.objects.in_bulk(project_ids)

    def lgu(self, raw):
        return self.lgus.find(raw)


def _parse_row(row, lookups: _Lookups, problems: Problems, seen_ids: dict):
    """The project a row describes (not saved), or None when the row has problems."""
    values = row.values
    ok = True

    def cell(name, parse):
        nonlocal ok
        if name not in values:
            return None
        try:
            return parse(values[name])
        except CellError as error:
            problems.add(str(error), row=row.number, column=name)
            ok = False
            return None

    project_id = cell("id", lambda v: parse_whole_number(v, minimum=1))
    if project_id:
        if project_id in seen_ids:
            problems.add(_("the id %(id)s is also on row %(other)s") % {"id": project_id, "other": seen_ids[project_id]},
                         row=row.number, column="id")
            ok = False
        seen_ids[project_id] = row.number
        project = lookups.projects.get(project_id)
        if project is None:
            problems.add(_("no project has the id %(id)s; leave the id empty to add a project")
                         % {"id": project_id}, row=row.number, column="id")
            return None
    else:
        project = TransferProject()
    source_before = project.source_practice_id

    title = cell("title", lambda v: parse_text(v, max_length=300, required=True))
    lgu = cell("target_lgu", lambda v: lookups.lgu(v) if thai.clean(v) else _required())

    def practice(v):
        number = parse_whole_number(v, minimum=1)
        if number is None:
            return None
        found = lookups.practices.get(number)
        if found is None:
            raise CellError(_("no practice has the id %(id)s") % {"id": number})
        if found.status != ReviewStatus.PUBLISHED and found.pk != source_before:
            raise CellError(_("practice %(id)s is not published; only published practices can be adopted")
                            % {"id": number})
        return found

    def theme(v):
        if not thai.clean(v):
            return None
        found = lookups.themes.get(fold_value(v))
        if found is None:
            raise CellError(_("no theme is called '%(value)s'") % {"value": v})
        return found

    def language(v):
        if not thai.clean(v):
            return None
        found = lookups.languages.get(fold_value(v))
        if found is None:
            raise CellError(_("no language has the code '%(value)s'") % {"value": v})
        return found

    parsed = {
        "title": title, "target_lgu": lgu,
        "source_practice": cell("source_practice", practice),
        "source_note": cell("source_note", lambda v: parse_text(v, max_length=300)),
        "theme": cell("theme", theme),
        "language": cell("language", language),
        "motivation": cell("motivation", lambda v: _choice(v, Motivation) if thai.clean(v) else ""),
        "motivation_text": cell("motivation_text", lambda v: parse_text(v, max_length=10_000)),
        "status": cell("status", lambda v: _choice(v, ProjectStatus) if thai.clean(v) else ProjectStatus.PIPELINE),
        "is_example": cell("is_example", parse_bool),
    }
    for name in DATE_COLUMNS:
        parsed[name] = cell(name, parse_date)
    if not ok:
        return None
    for name, value in parsed.items():
        if name in values:
            setattr(project, name, value)
    try:
        project.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = name if name in COLUMN_NAMES else ""
            for message in messages:
                problems.add(message, row=row.number, column=column)
        return None
    return project


def _required():
    raise CellError(_("a value is required"))


@transaction.atomic
def import_projects(source, *, acting_user, filename: str = "") -> ImportResult:
    """Create or update transfer projects from a CSV or XLSX file, all or nothing (league staff).

    Unlike the project form, the import sets the status directly: it loads programmes whose
    history happened elsewhere. Raises ImportRejected listing every problem with its row.
    """
    if acting_user is not None and not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff can import transfer projects."))
    table = read_table(source, COLUMNS, filename=filename)
    lookups = _Lookups(table.rows)
    problems = Problems()
    projects, seen_ids = [], {}
    for row in table.rows:
        project = _parse_row(row, lookups, problems, seen_ids)
        if project is not None:
            projects.append(project)
    problems.raise_if_any()
    result = ImportResult(rows=len(table.rows), encoding=table.encoding,
                          ignored_columns=table.ignored_columns)
    for project in projects:
        if project.pk:
            result.updated += 1
        else:
            result.created += 1
        save_audited(project, acting_user=acting_user, note="import")
    return result


# -- export -----------------------------------------------------------------------------------


def export_queryset(queryset):
    """The projects with what the export columns need, in one query."""
    return queryset.select_related("target_lgu", "theme", "language").order_by("pk")


def export_rows(projects):
    """The header and one row per project, in the columns the import reads."""
    yield COLUMN_NAMES
    for p in projects:
        yield [
            p.pk, p.title, p.target_lgu.code, p.source_practice_id or "", p.source_note,
            p.theme.code if p.theme_id else "", p.language.code if p.language_id else "",
            p.motivation, p.motivation_text, p.status,
            # Dates stay dates: a date cell in XLSX, ISO 8601 in CSV (both import back).
            *[getattr(p, name) or "" for name in DATE_COLUMNS],
            "true" if p.is_example else "false",
        ]


def export_csv(projects) -> bytes:
    """The projects as CSV (formula-safe, UTF-8 with a BOM for Excel)."""
    return write_csv(export_rows(projects))


def export_xlsx(projects) -> bytes:
    """The projects as an Excel workbook with one sheet (formula-safe)."""
    return write_xlsx(export_rows(projects), sheet_title=_("Transfer projects"))
