"""Thai fiscal years: October to September, named by the year they end in (BE on Thai pages)."""

from datetime import date

from django.test import SimpleTestCase
from django.utils import translation

from thetsaban import dates, thai
from thetsaban.templatetags import fiscalyear


class FiscalYearTests(SimpleTestCase):
    def test_october_opens_the_next_fiscal_year(self):
        self.assertEqual(thai.fiscal_year(date(2025, 9, 30)), 2025)
        self.assertEqual(thai.fiscal_year(date(2025, 10, 1)), 2026)
        self.assertEqual(thai.fiscal_year(date(2026, 3, 10)), 2026)
        self.assertEqual(thai.fiscal_year_range(2026), (date(2025, 10, 1), date(2026, 9, 30)))

    def test_shown_in_the_buddhist_era_on_thai_pages(self):
        with translation.override("th"):
            self.assertIn("2569", dates.format_fiscal_year(date(2025, 10, 1)))
        with translation.override("en"):
            self.assertEqual(fiscalyear(date(2025, 10, 1)), "fiscal year 2026")
        self.assertEqual(fiscalyear(None), "")
