"""Tables in and out of spreadsheets (CSV or XLSX): reading and checking imports, writing exports.

This layer knows nothing about any model, so every app's import and export reuses it:
read_table() turns a file into numbered rows keyed by canonical column names, the parse_*
helpers turn cells into values or raise CellError with a message, and Problems collects every
error with its row and column so that the whole file is reported at once. write_csv() and
write_xlsx() (and safe_row() for a workbook styled by hand) write exports.

A file is read within Limits taken from the settings (IMPORT_MAX_*, MAX_UPLOAD_MB), checked
before the work they bound is done: an XLSX workbook is a zip archive whose members are checked
from its directory before anything is decompressed, and whose first sheet is scanned as a
stream for its rows, columns and cells before openpyxl reads it (openpyxl would otherwise pad
every row to the dimension the sheet declares, however small the file).

Spreadsheets run a text cell that starts with =, +, -, @ (or a tab or carriage return) as a
formula. Exports write such text with a leading quote; imports refuse it in text columns, and
take the quoted form back as the text it stands for, so an exported file imports unchanged.

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
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from thetsaban import thai

# A member this small is read whatever its compression ratio (a blank sheet compresses well).
_RATIO_FREE_BYTES = 1024 * 1024
_MAX_ZIP_MEMBERS = 1_000
_CHUNK = 64 * 1024
_DIGITS = "0123456789"
# Text a spreadsheet runs as a formula when it starts a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


@dataclass(frozen=True)
class Limits:
    """How much of a file an import reads before refusing it; from_settings() gives the defaults."""

    bytes: int
    rows: int
    columns: int
    cells: int
    line_chars: int
    shared_strings: int
    uncompressed_bytes: int
    compression_ratio: int

    @classmethod
    def from_settings(cls, *, max_bytes: int | None = None) -> "Limits":
        return cls(
            bytes=max_bytes if max_bytes is not None else max_upload_bytes(),
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cells=settings.IMPORT_MAX_CELLS,
            line_chars=settings.IMPORT_MAX_LINE_CHARS,
            shared_strings=settings.IMPORT_MAX_SHARED_STRINGS,
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024,
            compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
        )


def max_upload_bytes() -> int:
    """The largest upload or imported file accepted (the MAX_UPLOAD_MB setting)."""
    return settings.MAX_UPLOAD_MB * 1024 * 1024


def too_big_message() -> str:
    """What a person is told when a file is over MAX_UPLOAD_MB."""
    return _("The file is larger than %(mb)s MB; split it into smaller files.") % {
        "mb": settings.MAX_UPLOAD_MB}


def _rejected(message, row=None, column="") -> ImportRejected:
    return ImportRejected([Problem(str(message), row, column)])


# -- reading ----------------------------------------------------------------------------------


def read_bytes(source, max_bytes: int | None = None) -> bytes:
    """The content of a path, bytes or file-like object (an upload), refusing oversized files.

    No more than max_bytes + 1 bytes are ever read (MAX_UPLOAD_MB by default)."""
    if max_bytes is None:
        max_bytes = max_upload_bytes()
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, str | Path):
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise ImportRejected([_too_big(max_bytes)])
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
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


def _unreadable_workbook(error) -> ImportRejected:
    return _rejected(_("The Excel workbook cannot be opened (%(error)s). Save it again as .xlsx "
                       "or as CSV.") % {"error": error})


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose members would decompress too large, judged from the zip directory."""
    members = archive.infolist()
    if len(members) > _MAX_ZIP_MEMBERS:
        raise _unreadable_workbook(_("it holds %(count)s files") % {"count": len(members)})
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FREE_BYTES and ratio > limits.compression_ratio:
            raise _rejected(_(
                "The Excel workbook is compressed %(ratio)s times (%(name)s); at most %(max)s "
                "times is accepted. Save it again from your spreadsheet, or as CSV.")
                % {"ratio": int(ratio), "name": member.filename, "max": limits.compression_ratio})
    if total > limits.uncompressed_bytes:
        raise _rejected(_(
            "The Excel workbook holds %(size)s MB once uncompressed; at most %(max)s MB is "
            "accepted. Split it into smaller files.")
            % {"size": total // (1024 * 1024), "max": limits.uncompressed_bytes // (1024 * 1024)})


def _scan_xml(archive: zipfile.ZipFile, name: str, on_start) -> None:
    """Stream one member of the archive through expat, calling on_start(tag, attributes).

    Reads are bounded by the member's size in the zip directory (already checked), and a
    document type declaration (the way to entity expansion) is refused."""
    def refuse_doctype(*args):
        raise _unreadable_workbook(_("it declares a document type"))

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda tag, attributes: on_start(tag.rpartition(":")[2], attributes)
    try:
        with archive.open(name) as member:
            while chunk := member.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable_workbook(error) from None


class _SheetScan:
    """Counts what a sheet holds while expat streams it, refusing it once over the limits."""

    def __init__(self, limits: Limits):
        from openpyxl.utils import cell

        self.cell = cell
        self.limits = limits
        self.row = 0
        self.column = 0
        self.cells = 0

    def _too_many_rows(self, rows):
        return _rejected(_("The sheet has %(rows)s rows; at most %(max)s can be imported. "
                           "Split the file.") % {"rows": rows, "max": self.limits.rows})

    def _too_many_columns(self, columns):
        return _rejected(_("The sheet has %(columns)s columns; at most %(max)s can be imported. "
                           "Delete the columns that are not needed.")
                         % {"columns": columns, "max": self.limits.columns})

    def __call__(self, tag, attributes):
        try:
            if tag == "c":  # a cell, by far the most frequent element: checked first
                reference = attributes.get("r")
                if reference:
                    self.column = self.cell.column_index_from_string(reference.rstrip(_DIGITS))
                else:
                    self.column += 1
                if self.column > self.limits.columns:
                    raise self._too_many_columns(self.column)
                self.cells += 1
                if self.cells > self.limits.cells:
                    raise _rejected(_("The sheet has more than %(max)s cells; split the file.")
                                    % {"max": self.limits.cells})
            elif tag == "row":
                self.row = int(attributes["r"]) if "r" in attributes else self.row + 1
                self.column = 0
                if self.row > self.limits.rows + 1:  # the header row besides the data rows
                    raise self._too_many_rows(self.row)
            elif tag == "dimension":
                # The size the sheet declares: openpyxl would pad every row to it.
                _min_col, _min_row, max_col, max_row = self.cell.range_boundaries(
                    attributes.get("ref", "A1"))
                if max_row is not None and max_row > self.limits.rows + 1:
                    raise self._too_many_rows(max_row)
                if max_col is not None and max_col > self.limits.columns:
                    raise self._too_many_columns(max_col)
        except ValueError as error:
            raise _unreadable_workbook(error) from None


def _xlsx_records(data: bytes, limits: Limits):
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable_workbook(error) from None
    _check_archive(archive, limits)
    names = set(archive.namelist())
    strings = 0

    def count_strings(tag, attributes):
        nonlocal strings
        strings += tag == "si"  # an entry of the shared strings table
        if strings > limits.shared_strings:
            raise _rejected(_("The Excel workbook holds more than %(max)s different texts; "
                              "split the file.") % {"max": limits.shared_strings})

    # What openpyxl parses whole when it opens the workbook (the workbook, its relations,
    # styles and shared strings) is streamed first; the sheets wait until one is chosen.
    for name in sorted(names):
        if name.endswith((".xml", ".rels")) and not name.startswith("xl/worksheets/"):
            _scan_xml(archive, name, count_strings)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        # openpyxl may read the sheets while opening (it does when defusedxml is installed) and
        # then only says the XML is invalid: the sheets' own scan names the reason if it can.
        for name in sorted(names):
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                _scan_xml(archive, name, lambda tag, attributes: None)
        raise _unreadable_workbook(error) from None
    try:
        sheet = workbook.worksheets[0]
        # openpyxl's path to the sheet's XML; the sheet is scanned before openpyxl reads it.
        path = sheet._worksheet_path
        if path not in names:
            raise _unreadable_workbook(_("the first sheet is missing"))
        _scan_xml(archive, path, _SheetScan(limits))
        # The dimension declared may be wrong: rows are as long as their own cells, no longer.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _csv_lines(text: str, limits: Limits):
    """The lines of a CSV text, refusing one longer than the limit before it is split."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limits.line_chars:
            raise _rejected(_("line %(line)s is %(length)s characters long; at most %(max)s are "
                              "accepted.") % {"line": number, "length": len(line),
                                              "max": limits.line_chars})
        yield line


def _csv_records(text: str, limits: Limits):
    first_line = text.split("\n", 1)[0][:limits.line_chars]
    # The delimiter is whichever candidate splits the header most (Thai Excel often uses ",").
    delimiter = max(_DELIMITERS, key=first_line.count) if first_line else ","
    try:
        yield from csv.reader(_csv_lines(text, limits), delimiter=delimiter)
    except csv.Error as error:
        raise ImportRejected([Problem(_("The CSV file is malformed: %(error)s") % {"error": error})]) from None


def normalise_header(text: str) -> str:
    """A header as compared with column names: folded, spaces and dashes as underscores."""
    return re.sub(r"[\s\-]+", "_", thai.fold(text)).strip("_")


# Any character besides printable ASCII and line ends.
_NOT_PLAIN = re.compile(r"[^\x20-\x7e\r\n]")


def _clean_plain(cell: str) -> str:
    """thai.clean of a cell of printable ASCII and line ends."""
    return thai.clean(cell) if "\r" in cell else cell.strip()


def read_table(source, columns: list[Column], *, filename: str = "",
               max_bytes: int | None = None) -> Table:
    """Read a CSV or XLSX file into rows keyed by the canonical names of `columns`.

    Raises ImportRejected for an empty, oversized, unreadable or binary file, an old .xls
    workbook, a file over the Limits (rows, columns, cells, line length, uncompressed size), a
    missing required column or a column given twice. Columns the import does not know are
    ignored and listed in Table.ignored_columns.
    """
    limits = Limits.from_settings(max_bytes=max_bytes)
    data = read_bytes(source, limits.bytes)
    if not data.strip():
        raise ImportRejected([Problem(_("The file is empty."))])
    if data.startswith(_XLS_MAGIC):
        raise ImportRejected([Problem(_(
            "Old Excel files (.xls) cannot be read. Save the sheet as an Excel workbook "
            "(.xlsx) or as CSV."))])
    clean_cell = thai.clean
    if data.startswith(_XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        records, encoding = _xlsx_records(data, limits), "XLSX"
    else:
        text, encoding = decode_text(data)
        records = _csv_records(text, limits)
        if _NOT_PLAIN.search(text) is None:
            # Printable ASCII and line ends only (codes and numbers, as large imports mostly
            # are): thai.clean would only strip each cell's ends.
            clean_cell = _clean_plain

    lookup = {}
    for column in columns:
        for name in (column.name, *column.aliases):
            lookup[normalise_header(name)] = column.name

    header = None
    rows: list[Row] = []
    problems = Problems()
    cell_count = 0
    for number, record in enumerate(records, start=1):
        if number > limits.rows + 1:  # the header row besides the data rows
            raise _rejected(_("The file has more than %(max)s rows; split it.") % {"max": limits.rows})
        while record and not record[-1]:
            record.pop()  # empty cells at the end of a row (a spreadsheet pads rows)
        if len(record) > limits.columns:
            raise _rejected(_("the row has %(columns)s columns; at most %(max)s can be imported")
                            % {"columns": len(record), "max": limits.columns}, row=number)
        cell_count += len(record)
        if cell_count > limits.cells:
            raise _rejected(_("The file has more than %(max)s cells; split it.")
                            % {"max": limits.cells})
        cells = [clean_cell(c) for c in record]
        if header is None:
            if not any(cells):
                continue  # blank lines above the header
            header, header_row = cells, number
            continue
        if not any(cells):
            continue
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


def check_formula(text: str) -> str:
    """Text that a spreadsheet will not run: a formula is refused, a quoted one unquoted.

    Exports write text starting with =, +, -, @ with a leading quote (safe_cell); such a cell
    comes back as the text without the quote, so an exported file imports unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    if text.startswith(FORMULA_STARTS):
        raise CellError(_("starts with %(sign)s, which spreadsheets run as a formula; remove it, "
                          "or write it with a quote before it ('%(sign)s)") % {"sign": text[0]})
    return text


# Yes and no as Thai and English spreadsheets write them; an empty cell is no.
YES_WORDS = frozenset({"1", "true", "yes", "y", "x", "ใช่", "จริง", "มี", "ยินยอม"})
NO_WORDS = frozenset({"", "0", "false", "no", "n", "ไม่", "ไม่ใช่", "เท็จ", "ไม่มี", "ไม่ยินยอม"})


def parse_bool(raw: str) -> bool:
    """Yes or no, in Thai or English (ใช่/ไม่ใช่, มี/ไม่มี, yes/no, true/false, 1/0); empty is no."""
    value = fold_value(raw)
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    raise CellError(_("'%(value)s' is not yes or no") % {"value": raw})


# The abbreviations of the kinds of local government (อปท.) written before a place name:
# "ทน.สงขลา" is เทศบาลนครสงขลา. Longest first, so that a longer form is tried before its prefix.
LGU_ABBREVIATIONS = {
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "ทน.": "เทศบาลนคร",
    "ทม.": "เทศบาลเมือง",
    "ทต.": "เทศบาลตำบล",
}
# Words before a province's name that are not part of it.
PROVINCE_PREFIXES = ("จังหวัด", "จ.", "changwat ", "province of ")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=16_384)
def place_key(raw: str) -> str:
    """A place name folded for look-up: Thai abbreviations spelled out, the word "province"
    (จังหวัด, จ.) and spaces dropped, so "ทน. สงขลา", "ทน.สงขลา" and "เทศบาลนครสงขลา" meet."""
    folded = fold_value(raw)
    for prefix in PROVINCE_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            folded = folded[len(prefix):].strip()
            break
    for short, full in LGU_ABBREVIATIONS.items():
        bare = short.rstrip(".")
        for form in (short, bare + " "):
            if folded.startswith(form) and len(folded) > len(form):
                folded = full + folded[len(form):]
                break
        else:
            continue
        break
    return _SPACES.sub("", folded)


class PlaceLookup:
    """Places (provinces, LGUs) found by code, Thai name, English name or Thai abbreviation.

    Built once per import from the rows (any objects with the attributes in `keys`), so an
    import reads them in one query; `find(raw)` returns the row or raises CellError with the
    caller's message for an unknown name, or for a name several places share (then the code is
    asked for). Both messages take %(value)s.
    """

    def __init__(self, rows, *, keys=("code", "name_th", "name_en"), unknown: str = "",
                 ambiguous: str = ""):
        self.unknown = unknown or _("'%(value)s' is not a known code or name")
        self.ambiguous = ambiguous or _("several places are called '%(value)s'; give the code")
        self.by_key: dict[str, dict] = {}
        for row in rows:
            for attribute in keys:
                value = getattr(row, attribute, "") or ""
                if value:
                    self.by_key.setdefault(place_key(value), {})[row.pk] = row

    def find(self, raw: str):
        key = place_key(raw)
        if not key:
            raise CellError(_("a value is required"))
        found = self.by_key.get(key, {})
        if not found:
            raise CellError(self.unknown % {"value": raw})
        if len(found) > 1:
            raise CellError(self.ambiguous % {"value": raw})
        return next(iter(found.values()))


def parse_text(raw: str, *, max_length: int, required: bool = False) -> str:
    """Cleaned text no longer than `max_length`, refusing a formula."""
    text = check_formula(thai.clean(raw))
    if required and not text:
        raise CellError(_("a value is required"))
    if len(text) > max_length:
        raise CellError(_("is %(length)s characters long; at most %(max)s are allowed")
                        % {"length": len(text), "max": max_length})
    return text


_url_validator = URLValidator(schemes=["http", "https"])


def parse_url(raw: str, *, max_length: int = 200) -> str:
    """A web address; one without a scheme ("www.example.go.th") gets https://."""
    text = check_formula(thai.clean(raw))
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


# -- writing ----------------------------------------------------------------------------------


def safe_cell(value):
    """A value as an export writes it: numbers, dates and booleans as they are; text without
    the characters XLSX cannot hold, and with a quote before it if a spreadsheet would run it
    as a formula (it starts with =, +, -, @, a tab or a carriage return)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    """A row of cells made safe by safe_cell(), for a sheet written by hand."""
    return [safe_cell(value) for value in values]


def write_csv(rows) -> bytes:
    """Rows (the header first) as CSV in UTF-8 with a byte-order mark, so that Excel shows the
    Thai correctly; every cell through safe_cell()."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(rows, *, sheet_title: str) -> bytes:
    """Rows (the header first) as a one-sheet Excel workbook; every cell through safe_cell()."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    # Excel: a sheet title has at most 31 characters and none of []:*?/\
    sheet = workbook.create_sheet("".join(c for c in sheet_title if c not in "[]:*?/\\")[:31])
    for row in rows:
        sheet.append(safe_row(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
