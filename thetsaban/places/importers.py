"""Reading the national list of LGUs: the columns it has and how each row is checked.

The file is read by the shared tabular kit (thetsaban/tabular.py); this module turns its rows into LGU
values, reporting every problem with its row and column. services.import_lgus() writes them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from thetsaban import thai
from thetsaban.places.choices import LGU_TYPE_ALIASES, LguType
from thetsaban.places.models import Lgu
from thetsaban.tabular import (
    CellError,
    Column,
    PlaceLookup,
    Problems,
    Table,
    fold_value,
    parse_decimal,
    parse_text,
    parse_url,
    parse_whole_number,
)

LGU_COLUMNS = [
    Column("code", required=True, aliases=("lgu_code", "รหัส", "รหัส_อปท", "รหัสองค์กรปกครองส่วนท้องถิ่น")),
    Column("name_th", required=True, aliases=("name", "thai_name", "ชื่อ", "ชื่อ_อปท", "ชื่อภาษาไทย", "ชื่อไทย")),
    Column("name_en", aliases=("english_name", "name_english", "ชื่อภาษาอังกฤษ", "ชื่ออังกฤษ")),
    Column("short_name", aliases=("abbreviation", "ชื่อย่อ")),
    Column("type", required=True, aliases=("lgu_type", "kind", "ประเภท", "ประเภท_อปท")),
    Column("province", required=True, aliases=("province_code", "province_name", "จังหวัด", "รหัสจังหวัด")),
    Column("population", aliases=("ประชากร", "จำนวนประชากร")),
    Column("website", aliases=("url", "web", "เว็บไซต์")),
    Column("latitude", aliases=("lat", "ละติจูด")),
    Column("longitude", aliases=("lon", "lng", "long", "ลองจิจูด")),
]

# Model field written from each column (only columns present in the file are written).
FIELD_OF_COLUMN = {
    "code": "code", "name_th": "name_th", "name_en": "name_en", "short_name": "short_name",
    "type": "lgu_type", "province": "province_id", "population": "population",
    "website": "website", "latitude": "latitude", "longitude": "longitude",
}



@dataclass
class LguRow:
    """The checked values of one row, by model field (sort_name computed, as save() would)."""

    number: int
    values: dict


def type_lookup() -> dict[str, str]:
    """Every accepted spelling of an LGU type, folded, to its LguType value."""
    lookup = {}
    for lgu_type, aliases in LGU_TYPE_ALIASES.items():
        for alias in (lgu_type.value, lgu_type.label, *aliases):
            lookup[thai.fold(str(alias))] = lgu_type.value
    return lookup


def province_lookup(provinces) -> PlaceLookup:
    """Provinces by code, Thai name or English name (with or without จังหวัด)."""
    return PlaceLookup(provinces, unknown=_("'%(value)s' is not a known province code or name"))


def _max_length(name: str) -> int:
    return Lgu._meta.get_field(name).max_length


def check_rows(table: Table, provinces, progress=None) -> list[LguRow]:
    """Check every row of the national LGU list; raises ImportRejected listing every problem."""
    problems = Problems()
    types = type_lookup()
    province_ids = province_lookup(provinces)
    first_row_of_code: dict[str, int] = {}
    checked: list[LguRow] = []
    present = set(table.columns)

    for row in table.rows:
        raw = row.values
        values = {}

        def cell(column, parse, row=row, values=values, raw=raw):
            if column not in present:
                return
            try:
                values[FIELD_OF_COLUMN[column]] = parse(raw[column])
            except CellError as error:
                problems.add(error, row=row.number, column=column)

        cell("code", lambda v: parse_text(v, max_length=_max_length("code"), required=True))
        cell("name_th", lambda v: parse_text(v, max_length=_max_length("name_th"), required=True))
        cell("name_en", lambda v: parse_text(v, max_length=_max_length("name_en")))
        cell("short_name", lambda v: parse_text(v, max_length=_max_length("short_name")))
        cell("type", lambda v: _parse_type(v, types))
        cell("province", lambda v: province_ids.find(v).pk)
        cell("population", lambda v: parse_whole_number(v, minimum=0))
        cell("website", lambda v: parse_url(v, max_length=_max_length("website")))
        cell("latitude", lambda v: parse_decimal(v, minimum=-90, maximum=90, places=6))
        cell("longitude", lambda v: parse_decimal(v, minimum=-180, maximum=180, places=6))

        if "latitude" in present and "longitude" in present:
            latitude, longitude = raw["latitude"].strip(), raw["longitude"].strip()
            if bool(latitude) != bool(longitude):
                missing = "longitude" if latitude else "latitude"
                problems.add(_("latitude and longitude go together: give both or neither"),
                             row=row.number, column=missing)

        code = values.get("code")
        if code:
            if code in first_row_of_code:
                problems.add(_("the code %(code)s is already used in row %(first)s")
                             % {"code": code, "first": first_row_of_code[code]},
                             row=row.number, column="code")
            else:
                first_row_of_code[code] = row.number
        if "name_th" in values:
            values["sort_name"] = thai.sort_key(values["name_th"])
        checked.append(LguRow(row.number, values))
        if progress:
            progress(1)

    problems.raise_if_any()
    return checked


def _parse_type(raw: str, types: dict[str, str]) -> str:
    folded = fold_value(raw)
    if not folded:
        raise CellError(_("a value is required"))
    if folded in types:
        return types[folded]
    raise CellError(_("'%(value)s' is not an LGU type; use one of %(choices)s")
                    % {"value": raw, "choices": ", ".join(LguType.values)})


def same_value(old, new) -> bool:
    """Whether a stored value equals an imported one (decimals compared by value)."""
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return old == new
