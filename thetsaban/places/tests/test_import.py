from decimal import Decimal
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.utils import translation

from thetsaban.accounts.models import AuditEntry
from thetsaban.places import demo
from thetsaban.places.models import Lgu
from thetsaban.places.services import import_lgus
from thetsaban.places.tests.helpers import GOOD_ROWS, csv_bytes, xlsx_bytes
from thetsaban.search.models import SearchDocument
from thetsaban.tabular import ImportRejected
from thetsaban.testing import ThetsabanTestCase


class ImportTestCase(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        demo.load()

    def setUp(self):
        self.lgus_before = Lgu.objects.count()
        # Messages are compared in English, whatever the Thai catalogue says.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def run_import(self, data, filename="lgus.csv", **kwargs):
        return import_lgus(data, acting_user=self.staff, filename=filename, **kwargs)

    def rejected(self, data, filename="lgus.csv", **kwargs):
        """The problems of a rejected import, as text; checks that nothing was written."""
        audits = AuditEntry.objects.count()
        with self.assertRaises(ImportRejected) as caught:
            self.run_import(data, filename, **kwargs)
        self.assertEqual(Lgu.objects.count(), self.lgus_before)
        self.assertEqual(AuditEntry.objects.count(), audits)
        return [str(p) for p in caught.exception.problems]


class GoodFileTests(ImportTestCase):
    def assert_good_rows_imported(self, result):
        self.assertEqual((result.rows, result.created, result.updated, result.unchanged), (4, 4, 0, 0))
        hat_yai = Lgu.objects.get(code="9001")
        self.assertEqual(hat_yai.name_th, "เทศบาลนครหาดใหญ่")
        self.assertEqual(hat_yai.lgu_type, "city")
        self.assertEqual(hat_yai.province.code, "90")
        self.assertEqual(hat_yai.population, 149459)
        self.assertEqual(hat_yai.website, "https://www.hatyaicity.go.th")
        self.assertEqual(hat_yai.latitude, Decimal("7.008600"))
        self.assertEqual(hat_yai.longitude, Decimal("100.474700"))
        self.assertTrue(hat_yai.sort_name)
        kho_hong = Lgu.objects.get(code="9002")
        self.assertEqual((kho_hong.lgu_type, kho_hong.province.code), ("town", "90"))
        self.assertIsNone(kho_hong.population)
        self.assertIsNone(kho_hong.latitude)
        mae_yao = Lgu.objects.get(code="5701")
        self.assertEqual((mae_yao.lgu_type, mae_yao.province.code, mae_yao.population), ("sao", "57", 1234))
        bang_kruai = Lgu.objects.get(code="1201")
        self.assertEqual((bang_kruai.lgu_type, bang_kruai.province.code), ("subdistrict", "12"))

    def test_utf8_file_is_imported(self):
        result = self.run_import(csv_bytes(GOOD_ROWS, encoding="utf-8"))
        self.assertEqual(result.encoding, "UTF-8")
        self.assert_good_rows_imported(result)

    def test_utf8_file_with_bom_is_imported(self):
        result = self.run_import(csv_bytes(GOOD_ROWS, encoding="utf-8-sig"))
        self.assertEqual(result.encoding, "UTF-8 with BOM")
        self.assert_good_rows_imported(result)

    def test_windows_874_file_is_detected_and_imported(self):
        result = self.run_import(csv_bytes(GOOD_ROWS, encoding="cp874"))
        self.assertEqual(result.encoding, "Windows-874 (TIS-620)")
        self.assert_good_rows_imported(result)

    def test_tis_620_file_is_imported(self):
        result = self.run_import(csv_bytes(GOOD_ROWS, encoding="tis-620"))
        self.assert_good_rows_imported(result)

    def test_xlsx_file_is_imported(self):
        result = self.run_import(xlsx_bytes(GOOD_ROWS), filename="lgus.xlsx")
        self.assertEqual(result.encoding, "XLSX")
        self.assert_good_rows_imported(result)

    def test_thai_headers_and_semicolons_are_understood(self):
        header = ["รหัส", "ชื่อ", "ประเภท", "จังหวัด", "หมายเหตุ"]
        data = csv_bytes([["9001", "เทศบาลนครหาดใหญ่", "ทน.", "สงขลา", "x"]], header=header)
        result = self.run_import(data.replace(b",", b";"))
        self.assertEqual(result.created, 1)
        self.assertEqual(result.ignored_columns, ["หมายเหตุ"])

    def test_decomposed_sara_am_is_cleaned_before_storage(self):
        rows = [["9001", "เทศบาลตําบลทดสอบ", "", "", "ทต.", "90", "", "", "", ""]]
        self.run_import(csv_bytes(rows))
        self.assertEqual(Lgu.objects.get(code="9001").name_th, "เทศบาลตำบลทดสอบ")

    def test_import_is_audited_once_with_counts_and_user(self):
        self.run_import(csv_bytes(GOOD_ROWS))
        entry = AuditEntry.objects.get(action="import")
        self.assertEqual(entry.actor, self.staff)
        self.assertEqual(entry.after["created"], ["9001", "9002", "5701", "1201"])
        self.assertIn("4", entry.note)

    def test_imported_lgus_are_in_the_search_index(self):
        self.run_import(csv_bytes(GOOD_ROWS))
        ids = set(Lgu.objects.filter(code__in=["9001", "5701"]).values_list("pk", flat=True))
        indexed = set(SearchDocument.objects.filter(kind="lgu", object_id__in=ids)
                      .values_list("object_id", flat=True))
        self.assertEqual(indexed, ids)


class ReimportTests(ImportTestCase):
    def test_reimport_updates_changed_rows_by_code_and_leaves_others(self):
        self.run_import(csv_bytes(GOOD_ROWS))
        hat_yai = Lgu.objects.get(code="9001")
        rows = [list(r) for r in GOOD_ROWS]
        rows[0][6] = "150000"
        rows[1][1] = "เทศบาลเมืองคอหงส์ใหม่"
        rows.append(["9603", "เทศบาลเมืองนราธิวาส", "", "", "ทม.", "96", "", "", "", ""])
        result = self.run_import(csv_bytes(rows))
        self.assertEqual((result.created, result.updated, result.unchanged), (1, 2, 2))
        hat_yai.refresh_from_db()
        self.assertEqual(hat_yai.population, 150000)
        self.assertEqual(Lgu.objects.get(code="9002").name_th, "เทศบาลเมืองคอหงส์ใหม่")

    def test_sort_name_follows_a_renamed_lgu(self):
        self.run_import(csv_bytes(GOOD_ROWS))
        rows = [list(r) for r in GOOD_ROWS]
        rows[1][1] = "เทศบาลเมืองกขค"
        self.run_import(csv_bytes(rows))
        renamed = Lgu.objects.get(code="9002")
        old_key = renamed.sort_name
        renamed.save()
        renamed.refresh_from_db()
        self.assertEqual(renamed.sort_name, old_key)

    def test_same_file_twice_changes_nothing(self):
        self.run_import(csv_bytes(GOOD_ROWS))
        result = self.run_import(csv_bytes(GOOD_ROWS))
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 4))

    def test_columns_missing_from_the_file_are_left_as_they_are(self):
        self.run_import(csv_bytes(GOOD_ROWS))
        rows = [[r[0], r[1], r[4], r[5]] for r in GOOD_ROWS]
        result = self.run_import(csv_bytes(rows, header=["code", "name_th", "type", "province"]))
        self.assertEqual(result.unchanged, 4)
        self.assertEqual(Lgu.objects.get(code="9001").population, 149459)

    def test_existing_demo_lgu_is_updated_by_its_code(self):
        rows = [["DEMO-SK", "เทศบาลนครสงขลา", "Songkhla City Municipality", "SK", "ทน.", "90",
                 "60000", "", "7.1988", "100.5951"]]
        result = self.run_import(csv_bytes(rows))
        self.assertEqual((result.created, result.updated), (0, 1))
        self.assertEqual(Lgu.objects.get(code="DEMO-SK").population, 60000)


class BadFileTests(ImportTestCase):
    def test_wrong_encoding_is_refused_clearly(self):
        # Accented Latin in Windows-1252 is valid Windows-874 byte by byte, but not Thai.
        rows = [["9001", "Mairie de Sérignan-du-Comtat", "Commune à côté", "", "town", "90",
                 "", "", "", ""]] * 3
        problems = self.rejected(csv_bytes(rows, encoding="cp1252"))
        self.assertEqual(len(problems), 1)
        self.assertIn("UTF-8", problems[0])
        self.assertIn("Windows-874", problems[0])

    def test_binary_garbage_is_refused_clearly(self):
        problems = self.rejected(bytes(range(256)) * 40)
        self.assertEqual(len(problems), 1)
        self.assertIn("binary", problems[0])

    def test_utf16_text_without_header_columns_reports_the_missing_columns(self):
        problems = self.rejected("hello,world\n1,2\n".encode("utf-16"))
        self.assertIn("code", problems[0])

    def test_old_xls_workbook_is_refused_clearly(self):
        problems = self.rejected(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "lgus.xls")
        self.assertIn(".xls", problems[0])

    def test_broken_xlsx_is_refused_clearly(self):
        problems = self.rejected(b"PK\x03\x04 not really a zip", "lgus.xlsx")
        self.assertIn("Excel", problems[0])

    def test_missing_required_column_is_one_clear_error(self):
        header = ["code", "name_th", "name_en"]
        problems = self.rejected(csv_bytes([["9001", "เทศบาล", "x"]], header=header))
        self.assertEqual(len(problems), 1)
        self.assertIn("type", problems[0])
        self.assertIn("province", problems[0])

    def test_duplicate_code_names_both_rows(self):
        rows = [GOOD_ROWS[0], GOOD_ROWS[1], [GOOD_ROWS[0][0], *GOOD_ROWS[2][1:]]]
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(problems, ["row 4, column code: the code 9001 is already used in row 2"])

    def test_bad_number_reports_row_and_column(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[2][6] = "abc"
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(problems, ["row 4, column population: 'abc' is not a whole number"])

    def test_negative_and_fractional_population_are_errors(self):
        rows = [list(r) for r in GOOD_ROWS[:2]]
        rows[0][6] = "-5"
        rows[1][6] = "12.5"
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(len(problems), 2)
        self.assertTrue(problems[0].startswith("row 2, column population:"))
        self.assertTrue(problems[1].startswith("row 3, column population:"))

    def test_empty_file_is_an_error(self):
        self.assertEqual(self.rejected(b""), ["The file is empty."])
        self.assertEqual(self.rejected(b"\xef\xbb\xbf \n\n"), ["The file is empty."])

    def test_header_only_file_imports_nothing(self):
        result = self.run_import(csv_bytes([]))
        self.assertEqual(result.rows, 0)

    def test_unknown_province_reports_row_and_column(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[1][5] = "แอตแลนติส"
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(problems, ["row 3, column province: 'แอตแลนติส' is not a known province code or name"])

    def test_bad_type_reports_row_and_column(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[0][4] = "หมู่บ้าน"
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(len(problems), 1)
        self.assertTrue(problems[0].startswith("row 2, column type: 'หมู่บ้าน' is not an LGU type"))

    def test_bad_coordinates_report_row_and_column(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[0][8] = "97.5"
        rows[1][9] = "east"
        rows[1][8] = "7.1"
        rows[2][8] = "18.0"
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(problems, [
            "row 2, column latitude: 97.5 is outside the range -90 to 90",
            "row 3, column longitude: 'east' is not a number",
            "row 4, column longitude: latitude and longitude go together: give both or neither",
        ])

    def test_every_error_of_every_row_is_reported(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[0][1] = ""
        rows[0][7] = "not a site"
        rows[3][0] = ""
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(problems, [
            "row 2, column name_th: a value is required",
            "row 2, column website: 'not a site' is not a web address",
            "row 5, column code: a value is required",
        ])

    def test_too_long_text_is_an_error(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[0][3] = "ก" * 61
        problems = self.rejected(csv_bytes(rows))
        self.assertEqual(problems, ["row 2, column short_name: is 61 characters long; at most 60 are allowed"])

    def test_xlsx_errors_use_spreadsheet_row_numbers(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[3][6] = "many"
        problems = self.rejected(xlsx_bytes(rows), "lgus.xlsx")
        self.assertEqual(problems, ["row 5, column population: 'many' is not a whole number"])

    def test_oversized_file_is_refused(self):
        problems = self.rejected(csv_bytes(GOOD_ROWS), max_bytes=100)
        self.assertEqual(len(problems), 1)
        self.assertIn("larger than", problems[0])

    def test_column_given_twice_is_an_error(self):
        header = ["code", "name_th", "type", "province", "รหัส"]
        problems = self.rejected(csv_bytes([["1", "ก", "ทน.", "90", "2"]], header=header))
        self.assertIn("code", problems[0])
        self.assertTrue(problems[0].startswith("row 1:"))


class ImportCommandTests(ImportTestCase):
    def test_command_imports_a_file_and_reports_counts(self):
        with TemporaryDirectory() as tmp:
            path = Path(tmp) / "lgus.csv"
            path.write_bytes(csv_bytes(GOOD_ROWS, encoding="cp874"))
            out = StringIO()
            call_command("import_lgus", str(path), stdout=out, stderr=StringIO())
        self.assertIn("4 created", out.getvalue())
        self.assertEqual(Lgu.objects.count(), self.lgus_before + 4)
        self.assertIsNone(AuditEntry.objects.get(action="import").actor)

    def test_command_lists_every_problem_and_fails(self):
        rows = [list(r) for r in GOOD_ROWS]
        rows[0][6] = "abc"
        rows[1][5] = "?"
        with TemporaryDirectory() as tmp:
            path = Path(tmp) / "lgus.csv"
            path.write_bytes(csv_bytes(rows))
            err = StringIO()
            with self.assertRaises(CommandError):
                call_command("import_lgus", str(path), stdout=StringIO(), stderr=err)
        self.assertIn("row 2, column population", err.getvalue())
        self.assertIn("row 3, column province", err.getvalue())
        self.assertEqual(Lgu.objects.count(), self.lgus_before)

    def test_command_refuses_a_missing_file(self):
        with self.assertRaises(CommandError):
            call_command("import_lgus", "/nonexistent/lgus.csv", stdout=StringIO())

