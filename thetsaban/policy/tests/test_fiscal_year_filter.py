"""Recommendations filtered by Thai fiscal year (October to September, typed in the Buddhist Era)
in the list, the API and the report."""

from datetime import UTC, datetime

from django.urls import reverse

from thetsaban.policy.choices import RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.policy.tests.base import PolicyTestCase


def recorded(recommendation, year, month, day):
    Recommendation.objects.filter(pk=recommendation.pk).update(
        created_at=datetime(year, month, day, 5, 0, tzinfo=UTC))


class FiscalYearFilterTests(PolicyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.before = cls.complete(status=RecommendationStatus.PROPOSED)
        recorded(cls.before, 2025, 9, 30)     # last day of fiscal year 2568
        recorded(cls.proposed, 2025, 10, 1)   # first day of fiscal year 2569
        cls.later = cls.complete(status=RecommendationStatus.PROPOSED)
        recorded(cls.later, 2026, 9, 30)      # last day of fiscal year 2569

    def ids(self, **params):
        response = self.client.get(reverse("recommendation-list"), params)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_a_buddhist_era_fiscal_year_runs_from_october_to_september(self):
        self.assertEqual(self.ids(fiscal_year="2569"), {self.proposed.pk, self.later.pk})
        self.assertEqual(self.ids(fiscal_year="2568"), {self.before.pk})
        self.assertEqual(self.ids(fiscal_year="ปีงบประมาณ ๒๕๖๙"), {self.proposed.pk, self.later.pk})
        self.assertEqual(self.ids(fiscal_year="2026"), {self.proposed.pk, self.later.pk})

    def test_bad_years_are_400_naming_the_filter(self):
        for value in ("2300", "25x9", "1800"):
            with self.subTest(value=value):
                response = self.client.get(reverse("recommendation-list"), {"fiscal_year": value})
                self.assertEqual(response.status_code, 400)
                self.assertIn("fiscal_year", response.json())
                page = self.client.get(reverse("policy:list"), {"fiscal_year": value})
                self.assertEqual(page.status_code, 400)
                self.assertContains(page, "fiscal year", status_code=400)

    def test_the_list_and_report_offer_and_apply_it(self):
        page = self.client.get(reverse("policy:list"), {"fiscal_year": "2568"})
        self.assertContains(page, 'name="fiscal_year"')
        self.assertContains(page, self.before.title)
        self.assertNotContains(page, self.proposed.title)
        self.client.cookies["django_language"] = "en"
        report = self.client.get(reverse("policy:report"), {"fiscal_year": "2568"})
        self.assertEqual(report.status_code, 200)
        self.assertContains(report, 'name="fiscal_year"')
        self.assertContains(report, "fiscal year 2025")
        self.assertNotContains(report, self.proposed.title)
