"""Import and export of transfer projects: CSV and XLSX, every error with row and column, all or nothing."""

import csv
import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from thetsaban.tabular import ImportRejected
from thetsaban.transfers.choices import ProjectStatus
from thetsaban.transfers.importers import COLUMN_NAMES, import_projects
from thetsaban.transfers.models import TransferProject
from thetsaban.transfers.tests.base import TransferTestCase

HEADER = ["title", "target_lgu", "source_practice", "theme", "motivation", "status", "planned_start",
          "planned_end", "is_example"]


def csv_bytes(rows, header=HEADER, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ImportTests(TransferTestCase):
    def good_rows(self):
        return [
            ["การจัดการขยะชุมชน (ตัวอย่าง)", "SK", str(self.source.pk), "governance", "kpi", "implementation",
             "2024-01-01", "31/12/2567", "yes"],
            ["ตลาดสีเขียว (ตัวอย่าง)", "TEST-CR", "", "Environmental public services", "", "", "", "", "true"],
        ]

    def test_good_csv_creates_projects(self):
        before = TransferProject.objects.count()
        result = import_projects(csv_bytes(self.good_rows()), acting_user=self.staff)
        self.assertEqual((result.created, result.updated), (2, 0))
        self.assertEqual(TransferProject.objects.count(), before + 2)
        first = TransferProject.objects.get(title="การจัดการขยะชุมชน (ตัวอย่าง)")
        self.assertEqual(first.target_lgu, self.lgu)
        self.assertEqual(first.status, ProjectStatus.IMPLEMENTATION)
        self.assertEqual(first.planned_end.isoformat(), "2024-12-31")  # Buddhist Era year
        self.assertEqual(first.source_practice, self.source)
        second = TransferProject.objects.get(title="ตลาดสีเขียว (ตัวอย่าง)")
        self.assertEqual(second.status, ProjectStatus.PIPELINE)
        self.assertEqual(second.theme.code, "environment")  # by its English name
        self.assertTrue(second.is_example)

    def test_the_lgu_is_found_by_its_thai_abbreviation_and_yes_no_in_thai(self):
        rows = [["โครงการย่อชื่อ (ตัวอย่าง)", "ทน.สงขลา", "", "", "", "", "", "", "ใช่"],
                ["โครงการชื่อเต็ม (ตัวอย่าง)", "เทศบาลนคร เชียงราย", "", "", "", "", "", "", "ไม่ใช่"]]
        import_projects(csv_bytes(rows), acting_user=self.staff)
        short = TransferProject.objects.get(title="โครงการย่อชื่อ (ตัวอย่าง)")
        self.assertEqual((short.target_lgu, short.is_example), (self.lgu, True))
        full = TransferProject.objects.get(title="โครงการชื่อเต็ม (ตัวอย่าง)")
        self.assertEqual((full.target_lgu, full.is_example), (self.other_lgu, False))

    def test_windows_874_and_xlsx_are_read(self):
        rows = [["โครงการทดลอง (ตัวอย่าง)", "SK", "", "", "", "", "", "", ""]]
        import_projects(csv_bytes(rows, encoding="cp874"), acting_user=self.staff)
        self.assertTrue(TransferProject.objects.filter(title="โครงการทดลอง (ตัวอย่าง)").exists())
        result = import_projects(xlsx_bytes([["โครงการ xlsx", "SK", None, "governance", None, None, None, None, None]]),
                                 acting_user=self.staff, filename="p.xlsx")
        self.assertEqual(result.encoding, "XLSX")
        self.assertTrue(TransferProject.objects.filter(title="โครงการ xlsx", theme__code="governance").exists())

    def test_bad_file_imports_nothing_and_lists_every_problem(self):
        from thetsaban.practices.choices import ReviewStatus
        from thetsaban.transfers.tests.base import make_practice

        draft = make_practice(self.other_lgu, ReviewStatus.DRAFT)
        rows = self.good_rows() + [
            ["", "SK", "", "", "", "", "", "", ""],
            ["x", "NOWHERE", "", "", "", "", "", "", ""],
            ["x", "SK", str(draft.pk), "", "", "", "", "", ""],
            ["x", "SK", "", "no-such-theme", "money", "done", "2024-02-30", "", "maybe"],
            ["x", "SK", "", "", "", "", "2024-02-01", "2024-01-01", ""],
        ]
        before = TransferProject.objects.count()
        with self.assertRaises(ImportRejected) as caught:
            import_projects(csv_bytes(rows), acting_user=self.staff)
        self.assertEqual(TransferProject.objects.count(), before)
        found = {(p.row, p.column) for p in caught.exception.problems}
        for expected in [(4, "title"), (5, "target_lgu"), (6, "source_practice"), (7, "theme"),
                         (7, "motivation"), (7, "status"), (7, "planned_start"), (7, "is_example"),
                         (8, "planned_end")]:
            self.assertIn(expected, found)
        self.assertIn("row 4, column title", str(caught.exception))

    def test_missing_required_column_and_unknown_id(self):
        with self.assertRaises(ImportRejected) as caught:
            import_projects(csv_bytes([["x"]], header=["title"]), acting_user=self.staff)
        self.assertIn("target_lgu", str(caught.exception))
        with self.assertRaises(ImportRejected) as caught:
            import_projects(csv_bytes([["99999", "x", "SK"]], header=["id", "title", "target_lgu"]),
                            acting_user=self.staff)
        self.assertEqual(caught.exception.problems[0].column, "id")

    def test_export_then_import_round_trips_and_updates(self):
        data = self.client.get(reverse("transfers:export", args=["csv"])).content
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(rows[0], COLUMN_NAMES)
        index = rows[0].index("title")
        for row in rows[1:]:
            row[index] = row[index] + " (แก้)"
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        count = TransferProject.objects.count()
        result = import_projects(out.getvalue().encode(), acting_user=self.staff)
        self.assertEqual((result.created, result.updated), (0, count))
        self.project.refresh_from_db()
        self.assertTrue(self.project.title.endswith("(แก้)"))
        self.assertEqual(self.project.source_practice, self.source)

    def test_xlsx_export(self):
        response = self.client.get(reverse("transfers:export", args=["xlsx"]), {"lgu": "SK"})
        book = load_workbook(io.BytesIO(response.content))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), COLUMN_NAMES)
        self.assertEqual(len(rows), 2)
        self.assertEqual(self.client.get(reverse("transfers:export", args=["pdf"])).status_code, 404)
        self.assertEqual(self.client.get(reverse("transfers:export", args=["csv"]), {"status": "x"}).status_code, 400)

    def test_only_staff_import_through_the_page(self):
        url = reverse("transfers:import")
        for user, status in ((self.editor, 403), (self.coach_user, 403)):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, status)
        self.login(None)
        self.assertEqual(self.client.get(url).status_code, 302)
        self.login(self.staff)
        upload = SimpleUploadedFile("p.csv", csv_bytes([["", "SK", "", "", "", "", "", "", ""]]))
        response = self.client.post(url, {"file": upload})
        self.assertContains(response, "row 2, column title", status_code=400)
        upload = SimpleUploadedFile("p.csv", csv_bytes(self.good_rows()))
        response = self.client.post(url, {"file": upload})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(TransferProject.objects.filter(title="ตลาดสีเขียว (ตัวอย่าง)").exists())

    def test_commands(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "p.xlsx"
            call_command("export_transfers", str(path), stdout=io.StringIO())
            count = TransferProject.objects.count()
            call_command("import_transfers", str(path), stdout=io.StringIO())
            self.assertEqual(TransferProject.objects.count(), count)
            bad = Path(folder) / "bad.csv"
            bad.write_bytes(csv_bytes([["", "SK", "", "", "", "", "", "", ""]]))
            with self.assertRaises(CommandError):
                call_command("import_transfers", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
