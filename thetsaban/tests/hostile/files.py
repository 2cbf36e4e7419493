"""Hostile files: the small ones stored beside this module, the large ones built on demand."""

import functools
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"),
}


def workbook(sheet_data: str, dimension: str = "A1:B2") -> bytes:
    """A minimal .xlsx whose one sheet declares `dimension` and holds `sheet_data`."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in WORKBOOK_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


@functools.cache
def build() -> dict[str, bytes]:
    """Every hostile file by name: its extension is what the importer is told it is."""
    files = {path.name: path.read_bytes() for path in sorted(HERE.iterdir())
             if path.suffix in (".csv", ".xlsx")}
    files["one-megabyte-line.csv"] = b"code,name_th\n" + b"x" * (1024 * 1024) + b",y\n"
    files["many-fields.csv"] = b",".join(b"f%d" % i for i in range(20000)) + b"\n"
    files["huge-dimension.xlsx"] = workbook('<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>',
                                            dimension="A1:XFD100000")
    # 50 MB of whitespace inside sheetData, deflated to about 50 KB.
    files["zip-bomb.xlsx"] = workbook(" " * (50 * 1024 * 1024))
    files["junk-named.xlsx"] = files["junk.csv"]
    return files


NAMES = ["empty.csv", "junk.csv", "utf32.csv", "malformed.xlsx", "truncated.xlsx", "one-megabyte-line.csv",
         "many-fields.csv", "huge-dimension.xlsx", "zip-bomb.xlsx", "junk-named.xlsx"]
