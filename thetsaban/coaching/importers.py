"""Reading and writing lists of coaches as CSV or XLSX.

Files are read by the shared layer in thetsaban/tabular.py (encodings detected, every problem with
its row and column); this module checks each row into coach values. services.import_coaches()
writes them, all or nothing. The export writes the same columns, so an exported file can be
changed and imported again (rows are matched by id, else by e-mail).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from thetsaban import tabular, thai
from thetsaban.coaching.choices import Availability, CoachStatus
from thetsaban.coaching.models import Coach, Language
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import ContactDetail, Organisation
from thetsaban.places.models import Province
from thetsaban.practices.models import Theme
from thetsaban.tabular import (
    CellError,
    Column,
    Problems,
    Table,
    check_formula,
    fold_value,
    parse_text,
    parse_whole_number,
)

COACH_COLUMNS = [
    Column("id", aliases=("coach_id", "รหัส")),
    Column("name_th", required=True, aliases=("name", "ชื่อ", "ชื่อภาษาไทย", "ชื่อ_สกุล")),
    Column("name_en", aliases=("english_name", "ชื่อภาษาอังกฤษ")),
    Column("email", aliases=("e_mail", "อีเมล")),
    Column("home_province", required=True, aliases=("province", "จังหวัด")),
    Column("languages", required=True, aliases=("language", "ภาษา")),
    Column("themes", aliases=("theme", "expertise", "ประเด็น")),
    Column("capacity", aliases=("max_projects", "จำนวนโครงการ")),
    Column("availability", aliases=("ความพร้อม",)),
    Column("affiliation", aliases=("organisation", "organization", "สังกัด", "หน่วยงาน")),
    Column("status", aliases=("สถานะ",)),
    Column("listing_consent", aliases=("consent", "ยินยอม")),
    Column("visibility", aliases=("listed_for",)),
]
EXPORT_COLUMNS = [c.name for c in COACH_COLUMNS]

_LIST_SEPARATORS = (";", ",", "|")
# Capacity bounds mirror the model's validators.
MIN_CAPACITY, MAX_CAPACITY = 1, 20


@dataclass
class CoachRow:
    """The checked values of one row: the coach to update (if any), person and coach fields."""

    number: int
    coach_id: int | None
    person: dict = field(default_factory=dict)
    coach: dict = field(default_factory=dict)
    email: str | None = None
    languages: list[int] | None = None
    themes: list[int] | None = None


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[thai.fold(value)] = value
        lookup[thai.fold(str(label))] = value
    return lookup


class Lookups:
    """Everything a row refers to, read once per import (a fixed number of queries)."""

    def __init__(self):
        self.provinces = tabular.PlaceLookup(
            Province.objects.only("pk", "code", "name_th", "name_en"),
            unknown=_("'%(value)s' is not a known province code or name"))
        self.languages = {thai.fold(code): pk for pk, code in
                          Language.objects.values_list("pk", "code")}
        self.themes = {thai.fold(code): pk for pk, code in Theme.objects.values_list("pk", "code")}
        self.organisations, self.ambiguous = {}, set()
        for org in Organisation.objects.only("pk", "code", "name_th", "name_en", "abbreviation"):
            for key in {thai.fold(k) for k in (org.code, org.name_th, org.name_en,
                                                 org.abbreviation) if k}:
                if key in self.organisations and self.organisations[key] != org.pk:
                    self.ambiguous.add(key)
                self.organisations[key] = org.pk
        self.coach_ids = set(Coach.objects.values_list("pk", flat=True))
        self.coach_by_email = {}
        for coach_id, email in Coach.objects.exclude(user__email="").filter(
                user__isnull=False).values_list("pk", "user__email"):
            self.coach_by_email[email.lower()] = coach_id
        for coach_id, email in ContactDetail.objects.filter(
                kind=ContactKind.EMAIL, person__coach__isnull=False).values_list(
                "person__coach", "value"):
            self.coach_by_email.setdefault(email.lower(), coach_id)
        self.status = _choice_lookup(CoachStatus.choices)
        self.availability = _choice_lookup(Availability.choices)
        self.visibility = _choice_lookup(Visibility.choices)


def _codes(raw: str) -> list[str]:
    text = thai.clean(raw)
    for separator in _LIST_SEPARATORS[1:]:
        text = text.replace(separator, _LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(";") if part.strip()]


def _parse_codes(raw: str, known: dict[str, int], what: str, *, required: bool) -> list[int]:
    codes = _codes(raw)
    if required and not codes:
        raise CellError(_("give at least one %(what)s code, separated by ; (for example th;en)")
                        % {"what": what})
    unknown = [c for c in codes if thai.fold(c) not in known]
    if unknown:
        raise CellError(_("unknown %(what)s code(s): %(codes)s; use %(known)s")
                        % {"what": what, "codes": ", ".join(unknown),
                           "known": ", ".join(sorted(known))})
    return sorted({known[thai.fold(c)] for c in codes})


def _parse_choice(raw: str, lookup: dict[str, str], choices, default: str | None = None) -> str:
    folded = fold_value(raw)
    if not folded and default is not None:
        return default
    if folded in lookup:
        return lookup[folded]
    raise CellError(_("'%(value)s' is not one of %(choices)s")
                    % {"value": raw, "choices": ", ".join(v for v, _label in choices)})


def _parse_email(raw: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    text = check_formula(thai.clean(raw))
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(_("'%(value)s' is not an e-mail address") % {"value": raw}) from None
    return text


def check_rows(table: Table) -> list[CoachRow]:
    """Check every row of a list of coaches; raises ImportRejected listing every problem."""
    problems = Problems()
    lookups = Lookups()
    present = set(table.columns)
    rows: list[CoachRow] = []
    first_row_of: dict[tuple[str, object], int] = {}

    # (column, parser, where the value goes: "person"/"coach" field, or a CoachRow attribute)
    parsers = [
        ("id", lambda v: _coach_id(v, lookups), "coach_id"),
        ("name_th", lambda v: parse_text(v, max_length=200, required=True), "person.name_th"),
        ("name_en", lambda v: parse_text(v, max_length=200), "person.name_en"),
        ("email", _parse_email, "email"),
        ("home_province", lambda v: _province(v, lookups), "coach.home_province_id"),
        ("languages", lambda v: _parse_codes(v, lookups.languages, _("language"), required=True),
         "languages"),
        ("themes", lambda v: _parse_codes(v, lookups.themes, _("theme"), required=False),
         "themes"),
        ("capacity", _capacity, "coach.capacity"),
        ("availability", lambda v: _parse_choice(v, lookups.availability, Availability.choices,
                                                 Availability.AVAILABLE), "coach.availability"),
        ("affiliation", lambda v: _organisation(v, lookups), "coach.affiliation_id"),
        ("status", lambda v: _parse_choice(v, lookups.status, CoachStatus.choices,
                                           CoachStatus.APPLIED), "coach.status"),
        ("listing_consent", tabular.parse_bool, "person.listing_consent"),
        ("visibility", lambda v: _parse_choice(v, lookups.visibility, Visibility.choices,
                                               Visibility.MEMBERS), "person.visibility"),
    ]

    for row in table.rows:
        checked = CoachRow(number=row.number, coach_id=None)
        for column, parse, target in parsers:
            if column not in present:
                continue
            try:
                value = parse(row.values[column])
            except CellError as error:
                problems.add(error, row=row.number, column=column)
                continue
            if "." in target:
                part, name = target.split(".")
                getattr(checked, part)[name] = value
            else:
                setattr(checked, target, value)

        if checked.coach_id is None and checked.email:
            checked.coach_id = lookups.coach_by_email.get(checked.email.lower())
        for key, column in ((("id", checked.coach_id), "id"),
                            (("email", (checked.email or "").lower() or None), "email")):
            if key[1] is None:
                continue
            if key in first_row_of:
                problems.add(_("the same coach is already in row %(first)s")
                             % {"first": first_row_of[key]}, row=row.number, column=column)
            else:
                first_row_of[key] = row.number
        rows.append(checked)

    problems.raise_if_any()
    return rows


def _coach_id(raw: str, lookups: Lookups) -> int | None:
    value = parse_whole_number(raw, minimum=1)
    if value is not None and value not in lookups.coach_ids:
        raise CellError(_("there is no coach with the id %(id)s; leave it empty to add a new "
                          "coach") % {"id": value})
    return value


def _province(raw: str, lookups: Lookups) -> int:
    return lookups.provinces.find(raw).pk


def _organisation(raw: str, lookups: Lookups) -> int | None:
    folded = fold_value(raw)
    if not folded:
        return None
    if folded in lookups.ambiguous:
        raise CellError(_("'%(value)s' names more than one organisation; use its code")
                        % {"value": raw})
    if folded in lookups.organisations:
        return lookups.organisations[folded]
    raise CellError(_("'%(value)s' is not an organisation of the directory; give its code, name "
                      "or abbreviation, or add it to the directory first") % {"value": raw})


def _capacity(raw: str) -> int:
    value = parse_whole_number(raw, minimum=MIN_CAPACITY)
    if value is None:
        return 1
    if value > MAX_CAPACITY:
        raise CellError(_("%(value)s is more than %(max)s projects at once")
                        % {"value": raw, "max": MAX_CAPACITY})
    return value


# -- export -----------------------------------------------------------------------------------


def export_queryset(queryset):
    """Coaches with everything the export writes, in a fixed number of queries."""
    return queryset.select_related("person", "user", "home_province", "affiliation").prefetch_related(
        "languages", "themes",
        Prefetch("person__contact_details",
                 queryset=ContactDetail.objects.filter(kind=ContactKind.EMAIL),
                 to_attr="emails"))


def export_rows(queryset):
    """The header and one list of cells per coach, in the import's columns."""
    yield EXPORT_COLUMNS
    for coach in export_queryset(queryset):
        email = (coach.user.email if coach.user_id and coach.user.email
                 else next((c.value for c in coach.person.emails), ""))
        affiliation = coach.affiliation
        yield [
            coach.pk, coach.person.name_th, coach.person.name_en, email,
            coach.home_province.code,
            ";".join(sorted(lang.code for lang in coach.languages.all())),
            ";".join(sorted(theme.code for theme in coach.themes.all())),
            coach.capacity, coach.availability,
            (affiliation.code or affiliation.name_th) if affiliation else "",
            coach.status, "yes" if coach.person.listing_consent else "no",
            coach.person.visibility,
        ]


def write_csv(queryset) -> bytes:
    """The coaches as CSV (formula-safe, UTF-8 with a BOM for Excel)."""
    return tabular.write_csv(export_rows(queryset))


def write_xlsx(queryset) -> bytes:
    """The coaches as an Excel workbook (formula-safe)."""
    return tabular.write_xlsx(export_rows(queryset), sheet_title="coaches")
