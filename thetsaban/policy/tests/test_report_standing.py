"""The report says where each recommendation stands: status, progress and latest update."""

import datetime
import io

from django.conf import settings
from django.urls import reverse

from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.models import RecommendationUpdate
from thetsaban.policy.tests.base import PolicyTestCase


class ReportStandingTests(PolicyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.policy = cls.complete(owner=cls.editor, status=RecommendationStatus.UNDER_CONSIDERATION,
                                  progress=40)
        RecommendationUpdate.objects.create(recommendation=cls.policy, date=datetime.date(2026, 1, 5),
                                            text="ส่งหนังสือถึง กพร. แล้ว")
        RecommendationUpdate.objects.create(recommendation=cls.policy, date=datetime.date(2026, 3, 10),
                                            text="กพร. รับไว้พิจารณา", progress=40)

    def test_html_report_shows_status_progress_and_the_latest_update(self):
        html = self.client.get(reverse("policy:report"), {"level": Level.POLICY}).content.decode()
        for label in ("<th>Status</th>", "<th>Progress</th>", "<th>Latest update</th>"):
            self.assertIn(label, html)
        self.assertIn("Under consideration", html)
        self.assertIn('<td class="progress">40%</td>', html)
        self.assertIn("10 March 2026: กพร. รับไว้พิจารณา", html)
        self.assertNotIn("ส่งหนังสือถึง กพร. แล้ว", html)

    def test_every_level_shows_the_status_even_without_updates(self):
        html = self.client.get(reverse("policy:report"), {"level": Level.LEAGUE}).content.decode()
        self.assertIn("<th>Status</th>", html)
        self.assertIn('<td class="progress">0%</td>', html)

    def test_xlsx_has_the_columns_an_auto_filter_and_a_frozen_header(self):
        from openpyxl import load_workbook

        response = self.client.get(reverse("policy:report_xlsx"), {"level": Level.POLICY})
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[1]
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header[-3:], ["Status", "Progress", "Latest update"])
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, f"A1:{sheet.cell(1, len(header)).column_letter}2")
        row = [cell.value for cell in sheet[2]]
        self.assertEqual(row[-3:], ["Under consideration", 0.4, "10 March 2026: กพร. รับไว้พิจารณา"])
        self.assertEqual(sheet.cell(2, len(header) - 1).number_format, "0%")

    def test_thai_docx_dates_the_latest_update_in_the_buddhist_era(self):
        from docx import Document

        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        response = self.client.get(reverse("policy:report_docx"), {"level": Level.POLICY})
        table = Document(io.BytesIO(response.content)).tables[0]
        cells = [cell.text for cell in table.rows[1].cells]
        self.assertEqual(cells[-2:], ["40%", "10 มีนาคม 2569: กพร. รับไว้พิจารณา"])
        self.assertEqual(len(table.columns), 10)  # the deck's six, agencies, and the three

    def test_api_report_gives_progress_and_the_latest_update(self):
        body = self.client.get(reverse("policy-report-list"), {"level": Level.POLICY}).json()
        row = body["sections"][0]["rows"][0]
        self.assertEqual(row["progress"], 40)
        self.assertEqual(row["latest_update"], {"date": "2026-03-10", "text": "กพร. รับไว้พิจารณา"})
