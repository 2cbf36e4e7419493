"""Importing and exporting coaches as CSV and XLSX: good files, bad files, all or nothing."""

import io
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from thetsaban.coaching.choices import Availability, CoachStatus
from thetsaban.coaching.importers import write_csv, write_xlsx
from thetsaban.coaching.models import Coach
from thetsaban.coaching.services import import_coaches
from thetsaban.coaching.tests.base import CoachingTestCase
from thetsaban.directory.choices import ContactKind, OrganisationKind, Visibility
from thetsaban.directory.models import Organisation
from thetsaban.tabular import ImportRejected

HEADER = "name_th,name_en,email,home_province,languages,themes,capacity,availability,affiliation,status\n"
GOOD = HEADER + (
    "สมชาย นำเข้า,Somchai Import,somchai@example.org,90,th;en,governance;environment,3,limited,kpi,approved\n"
    "สมหญิง นำเข้า,,somying@example.org,เชียงราย,th,,1,,,\n"
)


def problems_of(source, filename="coaches.csv"):
    try:
        import_coaches(source, acting_user=None, filename=filename)
    except ImportRejected as rejected:
        return [(p.row, p.column) for p in rejected.problems]
    raise AssertionError("the file was accepted")


class ImportTests(CoachingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kpi = Organisation.objects.create(code="kpi", name_th="สถาบันพระปกเกล้า",
                                              name_en="King Prajadhipok's Institute",
                                              kind=OrganisationKind.ACADEMIC)

    def test_good_csv_creates_coaches_with_everything(self):
        result = import_coaches(GOOD.encode("utf-8"), acting_user=self.staff, filename="c.csv")
        self.assertEqual((result.rows, result.created, result.updated), (2, 2, 0))
        coach = Coach.objects.get(person__name_th="สมชาย นำเข้า")
        self.assertEqual(coach.status, CoachStatus.APPROVED)
        self.assertEqual(coach.reviewed_by, self.staff)
        self.assertEqual(coach.availability, Availability.LIMITED)
        self.assertEqual(coach.capacity, 3)
        self.assertEqual(coach.affiliation, self.kpi)
        self.assertEqual(sorted(lang.code for lang in coach.languages.all()), ["en", "th"])
        self.assertEqual(coach.themes.count(), 2)
        email = coach.person.contact_details.get(kind=ContactKind.EMAIL)
        self.assertEqual((email.value, email.visibility), ("somchai@example.org", Visibility.STAFF))
        other = Coach.objects.get(person__name_th="สมหญิง นำเข้า")
        self.assertEqual((other.status, other.home_province), (CoachStatus.APPLIED, self.chiang_rai))

    def test_reimport_updates_by_email_and_is_idempotent(self):
        import_coaches(GOOD.encode("utf-8"), acting_user=None)
        changed = GOOD.replace(",3,limited,", ",4,limited,")
        result = import_coaches(changed.encode("utf-8"), acting_user=None)
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 1, 1))
        self.assertEqual(Coach.objects.get(person__name_th="สมชาย นำเข้า").capacity, 4)

    def test_windows_874_and_xlsx_are_read(self):
        result = import_coaches(GOOD.encode("cp874"), acting_user=None, filename="c.csv")
        self.assertEqual(result.created, 2)
        self.assertIn("874", result.encoding)
        Coach.objects.filter(person__name_th__endswith="นำเข้า").delete()
        from openpyxl import Workbook

        workbook = Workbook()
        for line in GOOD.strip().split("\n"):
            workbook.active.append(line.split(","))
        out = io.BytesIO()
        workbook.save(out)
        result = import_coaches(out.getvalue(), acting_user=None, filename="c.xlsx")
        self.assertEqual((result.created, result.encoding), (2, "XLSX"))

    def test_wrong_encoding_is_refused(self):
        text = HEADER + "José Ñandú,,,90,th,,1,,,\n"
        self.assertEqual(problems_of(text.encode("cp1252")), [(None, "")])
        self.assertFalse(Coach.objects.filter(person__name_th__startswith="José").exists())

    def test_missing_column_is_refused(self):
        text = "name_th,email,languages\nสมชาย,,th\n"
        self.assertEqual(problems_of(text.encode()), [(None, "")])

    def test_every_bad_row_is_reported_and_nothing_is_written(self):
        text = HEADER + (
            "ดี หนึ่ง,,,90,th,,1,,,\n"
            "ผิด จังหวัด,,,แอตแลนติส,th,,1,,,\n"
            "ผิด ความจุ,,,90,th,,มาก,,,\n"
            "ผิด ความจุสอง,,,90,th,,0,,,\n"
            "ผิด ภาษา,,,90,xx,,1,,,\n"
            "ผิด หลายอย่าง,,not-an-email,90,th,nope,1,soon,nowhere,done\n"
            ",,,90,th,,1,,,\n"
        )
        before = Coach.objects.count()
        problems = problems_of(text.encode())
        self.assertEqual(problems, [
            (3, "home_province"), (4, "capacity"), (5, "capacity"), (6, "languages"),
            (7, "email"), (7, "themes"), (7, "availability"), (7, "affiliation"), (7, "status"),
            (8, "name_th"),
        ])
        self.assertEqual(Coach.objects.count(), before)
        self.assertFalse(Coach.objects.filter(person__name_th="ดี หนึ่ง").exists())

    def test_same_coach_twice_is_refused(self):
        text = HEADER + "ก,,a@example.org,90,th,,1,,,\nข,,A@example.org,90,th,,1,,,\n"
        self.assertEqual(problems_of(text.encode()), [(3, "email")])

    def test_unknown_id_is_refused(self):
        text = "id," + HEADER + "99999,ก,,,90,th,,1,,,\n"
        self.assertEqual(problems_of(text.encode()), [(2, "id")])

    def test_export_round_trips(self):
        for write, filename in ((write_csv, "c.csv"), (write_xlsx, "c.xlsx")):
            data = write(Coach.objects.all())
            result = import_coaches(data, acting_user=None, filename=filename)
            self.assertEqual((result.rows, result.created, result.updated),
                             (Coach.objects.count(), 0, 0), filename)
        self.assertTrue(write_csv(Coach.objects.all()).startswith(b"\xef\xbb\xbfid,name_th"))

    def test_management_commands(self):
        with tempfile.TemporaryDirectory() as folder:
            good = Path(folder) / "good.csv"
            good.write_text(GOOD, encoding="utf-8")
            out = io.StringIO()
            call_command("import_coaches", str(good), stdout=out)
            self.assertIn("2", out.getvalue())
            bad = Path(folder) / "bad.csv"
            bad.write_text(HEADER + "ก,,,99,th,,1,,,\n", encoding="utf-8")
            err = io.StringIO()
            with self.assertRaises(CommandError):
                call_command("import_coaches", str(bad), stderr=err)
            self.assertIn("home_province", err.getvalue())
            target = Path(folder) / "coaches.xlsx"
            call_command("export_coaches", str(target), stdout=io.StringIO())
            self.assertTrue(target.read_bytes().startswith(b"PK"))
            with self.assertRaises(CommandError):
                call_command("export_coaches", str(Path(folder) / "coaches.txt"))

    def test_staff_import_page_reports_problems_with_row_and_column(self):
        self.login(self.staff)
        upload = SimpleUploadedFile("c.csv", (HEADER + "ก,,,99,th,,1,,,\n").encode())
        response = self.client.post(reverse("coaching:import"), {"file": upload})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "home_province", status_code=400)
        upload = SimpleUploadedFile("c.csv", GOOD.encode())
        response = self.client.post(reverse("coaching:import"), {"file": upload})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["result"].created, 2)

    def test_staff_export_page_filters_and_formats(self):
        self.login(self.staff)
        response = self.client.get(reverse("coaching:export") + "?region=north")
        lines = response.content.decode("utf-8-sig").strip().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("ขวัญ ตัวอย่าง", lines[1])
        response = self.client.get(reverse("coaching:export") + "?format=xlsx")
        self.assertTrue(response.content.startswith(b"PK"))
        self.assertEqual(self.client.get(reverse("coaching:export") + "?format=pdf").status_code, 400)
        self.assertEqual(self.client.get(reverse("coaching:export") + "?region=x").status_code, 400)
