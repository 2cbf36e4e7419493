"""The shared tabular kit: hostile files are refused quickly, exports never carry a formula, and
imports refuse one in a text column while negative numbers stay numbers."""

import csv
import io
import re
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from thetsaban.places.models import Lgu
from thetsaban.places.services import import_lgus
from thetsaban.tabular import Column, ImportRejected, read_table, safe_cell, write_csv, write_xlsx
from thetsaban.testing import ThetsabanTestCase

COLUMNS = [Column("code", required=True), Column("name", required=True), Column("amount")]
# A generous bound: a refused file takes milliseconds; the old reader took minutes.
SECONDS = 5


def workbook_bytes(rows=(("code", "name", "amount"), ("A1", "first", -5))) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`, compressed hard."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            body = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(member.filename, body)
    return out.getvalue()


def declared_dimension(body: bytes) -> bytes:
    """The sheet claims A1:XFD100000 and has one cell on row 100000."""
    body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD100000"', body)
    return body.replace(b"</sheetData>", b'<row r="100000"><c r="A100000" t="inlineStr">'
                                          b"<is><t>x</t></is></c></row></sheetData>")


def whitespace_bomb(data: bytes, megabytes: int) -> bytes:
    """The workbook with `megabytes` of spaces inside sheetData, written as a stream."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            body = source.read(member.filename)
            if member.filename != "xl/worksheets/sheet1.xml":
                target.writestr(member.filename, body)
                continue
            head, tail = body.split(b"<sheetData>")
            with target.open(member.filename, "w", force_zip64=True) as stream:
                stream.write(head + b"<sheetData>")
                spaces = b" " * (1024 * 1024)
                for _ in range(megabytes):
                    stream.write(spaces)
                stream.write(tail)
    return out.getvalue()


class HostileWorkbookTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def refused(self, data, filename="file.xlsx"):
        started = time.monotonic()
        with self.assertRaises(ImportRejected) as caught:
            read_table(data, COLUMNS, filename=filename)
        self.assertLess(time.monotonic() - started, SECONDS)
        return str(caught.exception)

    def test_good_workbook_is_read_with_negative_numbers(self):
        table = read_table(workbook_bytes(), COLUMNS, filename="file.xlsx")
        self.assertEqual(table.rows[0].values, {"code": "A1", "name": "first", "amount": "-5"})

    def test_declared_dimension_of_the_whole_sheet_is_refused_quickly(self):
        data = with_sheet(workbook_bytes(), declared_dimension)
        self.assertLess(len(data), 8 * 1024)
        self.assertIn("16384 columns; at most 200 can be imported", self.refused(data))

    def test_declared_dimension_without_cells_is_refused(self):
        data = with_sheet(workbook_bytes(), lambda body: re.sub(
            rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD100000"', body))
        self.assertIn("16384 columns", self.refused(data))

    def test_cell_far_away_is_refused_without_a_dimension(self):
        far = b'<row r="1000000"><c r="XFD1000000" t="inlineStr"><is><t>x</t></is></c></row>'
        data = with_sheet(workbook_bytes(), lambda body: re.sub(
            rb"<dimension [^>]*/>", b"", body).replace(b"</sheetData>", far + b"</sheetData>"))
        self.assertIn("1000000 rows; at most 200000", self.refused(data))

    def test_whitespace_zip_bomb_is_refused_from_the_zip_directory(self):
        data = whitespace_bomb(workbook_bytes(), megabytes=100)
        self.assertLess(len(data), 200 * 1024)
        self.assertIn("is compressed", self.refused(data))

    @override_settings(IMPORT_MAX_UNCOMPRESSED_MB=0)
    def test_uncompressed_size_is_limited(self):
        self.assertIn("once uncompressed; at most 0 MB", self.refused(workbook_bytes()))

    @override_settings(IMPORT_MAX_SHARED_STRINGS=2)
    def test_shared_strings_are_limited(self):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(workbook_bytes())) as source, zipfile.ZipFile(out, "w") as target:
            for member in source.infolist():
                target.writestr(member.filename, source.read(member.filename))
            target.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/'
                            'spreadsheetml/2006/main">' + "<si><t>x</t></si>" * 3 + "</sst>")
        self.assertIn("more than 2 different texts", self.refused(out.getvalue()))

    @override_settings(IMPORT_MAX_CELLS=4)
    def test_cells_are_limited(self):
        self.assertIn("more than 4 cells", self.refused(workbook_bytes()))

    @override_settings(IMPORT_MAX_ROWS=1)
    def test_rows_are_limited(self):
        data = workbook_bytes([("code", "name"), ("A1", "first"), ("A2", "second")])
        self.assertIn("at most 1 can be imported", self.refused(data))

    def test_document_type_declarations_are_refused(self):
        data = with_sheet(workbook_bytes(), lambda body: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + body)
        self.assertIn("declares a document type", self.refused(data))


class HostileCsvTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def refused(self, text):
        with self.assertRaises(ImportRejected) as caught:
            read_table(text.encode(), COLUMNS, filename="file.csv")
        return str(caught.exception)

    @override_settings(IMPORT_MAX_LINE_CHARS=50)
    def test_long_line_is_refused_naming_the_line(self):
        self.assertIn("line 2 is 84 characters long; at most 50",
                      self.refused("code,name\nA1," + "x" * 80 + "\n"))

    @override_settings(IMPORT_MAX_COLUMNS=3)
    def test_too_many_fields_are_refused_naming_the_row(self):
        self.assertIn("row 2: the row has 5 columns; at most 3",
                      self.refused("code,name\nA1,a,b,c,d\n"))

    @override_settings(IMPORT_MAX_ROWS=2)
    def test_too_many_rows_are_refused(self):
        self.assertIn("more than 2 rows", self.refused("code,name\n1,a\n2,b\n3,c\n"))

    def test_trailing_empty_fields_do_not_count_as_columns(self):
        with override_settings(IMPORT_MAX_COLUMNS=2):
            table = read_table(("code,name" + "," * 50 + "\n1,a,,,\n").encode(), COLUMNS)
        self.assertEqual(table.rows[0].values, {"code": "1", "name": "a"})


class WriterTests(SimpleTestCase):
    ROWS = [["text", "number", "decimal"],
            ["=cmd|' /C calc'!A0", -5, -7.25], ["+1", 3, 0], ["-2", 0, 0], ["@SUM(A1)", 0, 0],
            ["\tx", 0, 0], ["\rx", 0, 0], ["plain - text", 0, 0]]

    def test_csv_neutralises_formulas_and_keeps_numbers(self):
        rows = list(csv.reader(io.StringIO(write_csv(self.ROWS).decode("utf-8-sig"))))
        self.assertEqual([row[0] for row in rows[1:]],
                         ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "plain - text"])
        self.assertEqual(rows[1][1:], ["-5", "-7.25"])

    def test_xlsx_neutralises_formulas_and_keeps_numbers_typed(self):
        sheet = load_workbook(io.BytesIO(write_xlsx(self.ROWS, sheet_title="t"))).active
        self.assertEqual(sheet["A2"].value, "'=cmd|' /C calc'!A0")
        self.assertEqual(sheet["A2"].data_type, "s")
        self.assertEqual([sheet[f"A{n}"].value for n in range(3, 6)], ["'+1", "'-2", "'@SUM(A1)"])
        self.assertEqual((sheet["B2"].value, sheet["B2"].data_type), (-5, "n"))
        self.assertEqual((sheet["C2"].value, sheet["C2"].data_type), (-7.25, "n"))

    def test_characters_xlsx_cannot_hold_are_dropped(self):
        self.assertEqual(safe_cell("a\x0bb"), "ab")
        self.assertEqual(safe_cell(-3), -3)


class LguImportPageTests(ThetsabanTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.before = Lgu.objects.count()

    def post(self, name, data):
        self.login(self.staff)
        return self.client.post(reverse("places:import"), {"file": SimpleUploadedFile(name, data)})

    def test_hostile_workbook_is_refused_on_the_staff_page_quickly(self):
        data = with_sheet(workbook_bytes([("code", "name_th", "type", "province"),
                                          ("X1", "ทดสอบ", "city", "90")]), declared_dimension)
        started = time.monotonic()
        response = self.post("lgus.xlsx", data)
        self.assertLess(time.monotonic() - started, SECONDS)
        self.assertContains(response, "16384 columns", status_code=400)
        self.assertEqual(Lgu.objects.count(), self.before)

    def test_formula_in_a_name_is_refused_with_row_and_column(self):
        text = ("code,name_th,type,province,latitude,longitude\n"
                "X1,ทดสอบ,city,90,-7.5,100.1\n"
                "X2,\"=cmd|' /C calc'!A0\",city,90,,\n")
        response = self.post("lgus.csv", text.encode())
        self.assertContains(response, "<td>3</td><td>name_th</td><td>starts with =, which "
                            "spreadsheets run as a formula", status_code=400)
        self.assertEqual(Lgu.objects.count(), self.before)  # all or nothing

    def test_negative_coordinates_and_quoted_text_import(self):
        text = "code,name_th,type,province,latitude,longitude\nX1,'-ทดสอบ,city,90,-7.5,-100.1\n"
        import_lgus(text.encode(), acting_user=self.staff, filename="lgus.csv")
        lgu = Lgu.objects.get(code="X1")
        self.assertEqual((lgu.name_th, str(lgu.latitude), str(lgu.longitude)),
                         ("-ทดสอบ", "-7.500000", "-100.100000"))
