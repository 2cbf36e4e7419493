"""Reading and checking uploaded tables (CSV or XLSX) for imports.

This layer knows nothing about any model, so every app's import reuses it: read_table()
turns a file into numbered rows keyed by canonical column names, the parse_* helpers turn
cells into values or raise CellError with a message, and Problems collects every error with
its row and column so that the whole file is reported at once.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from thetsaban import thai

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (OLE2)
# Thai combining marks (above/below vowels, tone marks) must sit on a consonant or another mark.
_THAI_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_STRAY_MARK = re.compile(f"(?<![\u0e01-\u0e2e{_THAI_MARKS}])[{_THAI_MARKS}]")
# A Thai letter between two Latin letters: what accented Latin text becomes when misread as cp874.
_THAI_IN_LATIN = re.compile("[A-Za-z][\u0e01-\u0e5b][A-Za-z]")
_THAI_CHAR = re.compile("[\u0e01-\u0e5b]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DELIMITERS = ",;\t|"
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file, with the row and column where known."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self):
        if self.row is not None and self.column:
            return _("row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        if self.row is not None:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ImportRejected(Exception):
    """The file cannot be imported; `problems` lists everything that is wrong with it."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why, for the person who fixes it."""


@dataclass(frozen=True)
class Column:
    """A column an import understands: its canonical name and the other headers it accepts."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Row:
    """One data row: its spreadsheet row number and its cells by canonical column name."""

    number: int
    values: dict[str, str]


@dataclass
class Table:
    """A read file: the canonical columns present, the data rows and how the file was read."""

    columns: list[str]
    rows: list[Row]
    encoding: str
    ignored_columns: list[str] = field(default_factory=list)


class Problems:
    """Collects problems while rows are checked, and rejects the file if there are any."""

    def __init__(self):
        self.items: list[Problem] = []

    def add(self, message, row=None, column=""):
        self.items.append(Problem(str(message), row, column))

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self):
        if self.items:
            raise ImportRejected(self.items)


# -- reading ----------------------------------------------------------------------------------


def read_bytes(source, max_bytes: int = MAX_BYTES) -> bytes:
    """The content of a path, bytes or file-like object (an upload), refusing oversized files."""
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise ImportRejected([_too_big(max_bytes)])
        data = path.read_bytes()
    else:
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportRejected([_too_big(max_bytes)])
    return data


def _too_big(max_bytes: int) -> Problem:
    return Problem(_("The file is larger than %(mb)s MB; split it into smaller files.")
                   % {"mb": max_bytes // (1024 * 1024)})


def _implausible_thai(text: str) -> bool:
    """Whether text decoded as Windows-874 is really another encoding misread."""
    thai_chars = len(_THAI_CHAR.findall(text))
    if not thai_chars:
        return False
    odd = len(_STRAY_MARK.findall(text)) + len(_THAI_IN_LATIN.findall(text))
    return odd > thai_chars * 0.01


def _not_text() -> ImportRejected:
    return ImportRejected([Problem(_(
        "The file is neither a CSV text file nor an XLSX workbook (it contains binary data). "
        "Save it from your spreadsheet as CSV (UTF-8) or as an Excel workbook (.xlsx)."))])


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM) strictly first, then Windows-874/TIS-620.

    UTF-8 is tried first because a Thai text in UTF-8 never decodes as valid Windows-874 by
    accident in practice, while the reverse is not true. Windows-874 (a superset of TIS-620)
    is accepted only if the Thai in it is well-formed, so that text in another single-byte
    encoding (such as accented Latin in Windows-1252) is refused instead of stored garbled.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise _not_text() from None
    if b"\x00" in data:
        raise _not_text()
    try:
        text = data.decode("utf-8-sig")
        encoding = "UTF-8 with BOM" if data.startswith(codecs.BOM_UTF8) else "UTF-8"
    except UnicodeDecodeError:
        text, encoding = None, ""
    if text is None:
        try:
            text = data.decode("cp874")
            encoding = "Windows-874 (TIS-620)"
        except UnicodeDecodeError:
            text = None
        if text is not None and _implausible_thai(text):
            text = None
    if text is None:
        raise ImportRejected([Problem(_(
            "The file's characters cannot be read as UTF-8 or Windows-874 (TIS-620)%(guess)s. "
            "Save it from your spreadsheet as CSV UTF-8.") % {"guess": _guess_encoding(data)})])
    if len(_CONTROL.findall(text[:100_000])) > 10:
        raise _not_text()
    return text, encoding


def _guess_encoding(data: bytes) -> str:
    """A hint naming the encoding the file seems to be in, for the error message."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:100_000]).best()
    if best is None:
        return ""
    return _("; it looks like %(encoding)s") % {"encoding": best.encoding}


def _cell_text(value) -> str:
    """A spreadsheet cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _xlsx_records(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRejected([Problem(_(
            "The Excel workbook cannot be opened (%(error)s). Save it again as .xlsx or as CSV.")
            % {"error": error})]) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _csv_records(text: str):
    first_line = text.split("\n", 1)[0]
    # The delimiter is whichever candidate splits the header most (Thai Excel often uses ",").
    delimiter = max(_DELIMITERS, key=first_line.count) if first_line else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportRejected([Problem(_("The CSV file is malformed: %(error)s") % {"error": error})]) from None


def normalise_header(text: str) -> str:
    """A header as compared with column names: folded, spaces and dashes as underscores."""
    return re.sub(r"[\s\-]+", "_", thai.fold(text)).strip("_")


def read_table(source, columns: list[Column], *, filename: str = "",
               max_bytes: int = MAX_BYTES) -> Table:
    """Read a CSV or XLSX file into rows keyed by the canonical names of `columns`.

    Raises ImportRejected for an empty, oversized, unreadable or binary file, an old .xls
    workbook, a missing required column or a column given twice. Columns the import does not
    know are ignored and listed in Table.ignored_columns.
    """
    data = read_bytes(source, max_bytes)
    if not data.strip():
        raise ImportRejected([Problem(_("The file is empty."))])
    if data.startswith(_XLS_MAGIC):
        raise ImportRejected([Problem(_(
            "Old Excel files (.xls) cannot be read. Save the sheet as an Excel workbook "
            "(.xlsx) or as CSV."))])
    if data.startswith(_XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        records, encoding = _xlsx_records(data), "XLSX"
    else:
        text, encoding = decode_text(data)
        records = _csv_records(text)

    lookup = {}
    for column in columns:
        for name in (column.name, *column.aliases):
            lookup[normalise_header(name)] = column.name

    header = None
    rows: list[Row] = []
    problems = Problems()
    for number, record in enumerate(records, start=1):
        cells = [thai.clean(c) for c in record]
        if header is None:
            if not any(cells):
                continue  # blank lines above the header
            header, header_row = cells, number
            continue
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRejected([Problem(_("The file has more than %(max)s rows; split it.")
                                          % {"max": MAX_ROWS})])
        rows.append(Row(number, cells))  # mapped to names below, once the header is known
    if header is None:
        raise ImportRejected([Problem(_("The file is empty."))])

    positions: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        name = lookup.get(normalise_header(title))
        if name is None:
            if title:
                ignored.append(title)
            continue
        if name in positions:
            problems.add(_("the column %(name)s is given twice (columns %(first)s and %(second)s)")
                         % {"name": name, "first": positions[name] + 1, "second": index + 1},
                         row=header_row)
            continue
        positions[name] = index
    missing = [c.name for c in columns if c.required and c.name not in positions]
    if missing:
        problems.add(_("Required column missing: %(columns)s. The first row must name the "
                       "columns, for example: %(example)s.")
                     % {"columns": ", ".join(missing),
                        "example": ",".join(c.name for c in columns)})
    problems.raise_if_any()

    for row in rows:
        cells = row.values
        row.values = {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}
    present = [c.name for c in columns if c.name in positions]
    return Table(columns=present, rows=rows, encoding=encoding, ignored_columns=ignored)


# -- parsing cells ----------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def fold_value(raw: str) -> str:
    """thai.fold() remembered: categorical cells (types, provinces) repeat on thousands of rows."""
    return thai.fold(raw)


def _number_text(raw: str) -> str:
    return thai.clean(raw).translate(_THAI_DIGITS).replace(" ", "")


def parse_whole_number(raw: str, *, minimum: int | None = 0) -> int | None:
    """A whole number such as "12,345" or Thai digits; empty is None."""
    text = _number_text(raw).replace(",", "")
    if not text:
        return None
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text) is None:
        raise CellError(_("'%(value)s' is not a whole number") % {"value": raw})
    value = int(Decimal(text))
    if minimum is not None and value < minimum:
        raise CellError(_("%(value)s is less than %(minimum)s") % {"value": raw, "minimum": minimum})
    return value


def parse_decimal(raw: str, *, minimum=None, maximum=None, places: int | None = None) -> Decimal | None:
    """A decimal number within bounds, rounded to `places`; empty is None."""
    text = _number_text(raw)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a number") % {"value": raw}) from None
    if not value.is_finite():
        raise CellError(_("'%(value)s' is not a number") % {"value": raw})
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise CellError(_("%(value)s is outside the range %(minimum)s to %(maximum)s")
                        % {"value": raw, "minimum": minimum, "maximum": maximum})
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return value


def parse_text(raw: str, *, max_length: int, required: bool = False) -> str:
    """Cleaned text no longer than `max_length`."""
    text = thai.clean(raw)
    if required and not text:
        raise CellError(_("a value is required"))
    if len(text) > max_length:
        raise CellError(_("is %(length)s characters long; at most %(max)s are allowed")
                        % {"length": len(text), "max": max_length})
    return text


_url_validator = URLValidator(schemes=["http", "https"])


def parse_url(raw: str, *, max_length: int = 200) -> str:
    """A web address; one without a scheme ("www.example.go.th") gets https://."""
    text = thai.clean(raw)
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        _url_validator(text)
    except ValidationError:
        raise CellError(_("'%(value)s' is not a web address") % {"value": raw}) from None
    if len(text) > max_length:
        raise CellError(_("is %(length)s characters long; at most %(max)s are allowed")
                        % {"length": len(text), "max": max_length})
    return text
