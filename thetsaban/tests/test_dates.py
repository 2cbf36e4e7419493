"""Dates are typed and shown in the Buddhist Era in every form, list filter and API filter."""

import datetime
import io

from django.conf import settings
from django.core import mail
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone, translation

from thetsaban import thai
from thetsaban.coaching import matching_services
from thetsaban.coaching.tests.test_matching_services import MatchingTestCase
from thetsaban.policy.models import Recommendation
from thetsaban.policy.tests.base import PolicyTestCase
from thetsaban.transfers.models import LogbookEntry
from thetsaban.transfers.tests.base import TransferTestCase

LOGBOOK_FORM = {"activity": "ประชุมคณะทำงาน (ตัวอย่าง)", "outcome": "ได้แผนงาน", "next_step": "ศึกษาดูงาน"}


class ParseDateTests(SimpleTestCase):
    def test_buddhist_era_and_unambiguous_gregorian_dates_are_read(self):
        for typed in ("10/3/2569", "10-03-2569", "2569-03-10", "2569/3/10", "๑๐/๓/๒๕๖๙",
                      "10 มี.ค. 2569", "10 มีนาคม 2569", "2026-03-10", "10/3/2026"):
            self.assertEqual(thai.parse_date(typed), datetime.date(2026, 3, 10), typed)
        self.assertIsNone(thai.parse_date("  "))

    def test_years_that_could_be_either_era_or_are_out_of_range_are_refused(self):
        for typed, code in (("2300-01-01", "ambiguous_year"), ("3112-03-10", "year_out_of_range"),
                            ("1800-01-01", "year_out_of_range"), ("31/2/2569", "invalid"),
                            ("10/3/69", "invalid"), ("soon", "invalid")):
            with self.assertRaises(thai.DateError) as caught:
                thai.parse_date(typed)
            self.assertEqual(caught.exception.code, code, typed)


class LogbookDateTests(TransferTestCase):
    def add_url(self):
        return reverse("transfers:part_add", args=[self.project.pk, "logbook"])

    def test_a_buddhist_era_date_typed_in_a_logbook_entry_is_stored_as_the_right_day(self):
        self.login(self.coach_user)
        response = self.client.post(self.add_url(), {**LOGBOOK_FORM, "date": "2569-03-10"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(LogbookEntry.objects.get().date, datetime.date(2026, 3, 10))

    def test_thai_page_shows_the_stored_date_in_the_buddhist_era(self):
        entry = LogbookEntry.objects.create(project=self.project, date=datetime.date(2026, 3, 10),
                                            activity="ประชุม", created_by=self.coach_user)
        self.login(self.coach_user)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        page = self.client.get(reverse("transfers:part_edit", args=[self.project.pk, "logbook", entry.pk]))
        self.assertContains(page, 'value="10/3/2569"')
        self.assertNotContains(page, 'type="date"')

    def test_an_out_of_range_year_is_refused_with_the_field_named(self):
        self.login(self.coach_user)
        for typed in ("3112-03-10", "10/3/1800"):
            response = self.client.post(self.add_url(), {**LOGBOOK_FORM, "date": typed})
            self.assertEqual(response.status_code, 200, typed)
            self.assertContains(response, "Date: the year")
            self.assertContains(response, "is out of range")
        self.assertFalse(LogbookEntry.objects.exists())


class PolicyDateFilterTests(PolicyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Recommendation.objects.filter(pk=cls.proposed.pk).update(
            created_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
        cls.recent = Recommendation.objects.create(
            level=cls.proposed.level, title="ข้อเสนอปีใหม่", recommendation="ข้อเสนอ",
            owner=cls.editor, status=cls.proposed.status)
        Recommendation.objects.filter(pk=cls.recent.pk).update(
            created_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))

    def test_a_buddhist_era_date_filters_the_list_and_the_api(self):
        page = self.client.get(reverse("policy:list"), {"date_from": "2569-01-01"})
        self.assertContains(page, "ข้อเสนอปีใหม่")
        self.assertNotContains(page, "หนุนเสริม Best Practice")
        body = self.client.get(reverse("recommendation-list"), {"date_from": "1/1/2569"}).json()
        self.assertEqual([row["id"] for row in body["results"]], [self.recent.pk])

    def test_the_filter_shows_the_date_in_the_buddhist_era_on_thai_pages(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        page = self.client.get(reverse("policy:list"), {"date_from": "2026-01-01"})
        self.assertContains(page, "ข้อเสนอปีใหม่")
        self.assertContains(page, 'value="1/1/2569"')

    def test_an_out_of_range_year_in_a_filter_is_a_400_naming_the_filter(self):
        for typed in ("3112-01-01", "1800-01-01"):
            response = self.client.get(reverse("recommendation-list"), {"date_from": typed})
            self.assertEqual(response.status_code, 400)
            self.assertIn("Recorded from: the year", response.json()["date_from"][0])
            page = self.client.get(reverse("policy:list"), {"date_from": typed})
            self.assertContains(page, "Recorded from: the year", status_code=400)


class ReportDateTests(PolicyTestCase):
    def thai(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"

    @staticmethod
    def today_in_thai():
        return thai.thai_date(timezone.localdate())

    def test_thai_xlsx_report_dates_itself_and_its_filters_in_the_buddhist_era(self):
        from openpyxl import load_workbook

        self.thai()
        response = self.client.get(reverse("policy:report_xlsx"), {"date_from": "1/1/2569"})
        summary = load_workbook(io.BytesIO(response.content)).worksheets[0]
        values = [cell.value for row in summary.iter_rows() for cell in row if cell.value]
        self.assertIn(self.today_in_thai(), values)
        self.assertIn("1 มกราคม 2569", values)
        self.assertNotIn(timezone.localdate().isoformat(), values)

    def test_thai_docx_report_dates_itself_in_the_buddhist_era(self):
        from docx import Document

        self.thai()
        response = self.client.get(reverse("policy:report_docx"))
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        self.assertIn(self.today_in_thai(), text)
        self.assertNotIn(timezone.localdate().isoformat(), text)

    def test_english_report_dates_itself_in_gregorian_words(self):
        from docx import Document

        response = self.client.get(reverse("policy:report_docx"))
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        self.assertIn(str(timezone.localdate().year), text)
        self.assertNotIn(timezone.localdate().isoformat(), text)


class EmailDateTests(MatchingTestCase):
    def test_the_coach_e_mail_sent_from_a_thai_page_dates_the_start_in_the_buddhist_era(self):
        run = matching_services.run_matching(acting_user=self.staff)
        proposal = run.proposals.get(project=self.hy_project)
        with translation.override("th"), self.captureOnCommitCallbacks(execute=True):
            matching_services.accept_proposal(proposal, acting_user=self.staff)
        self.assertIn(thai.thai_date(timezone.localdate()), mail.outbox[0].body)
