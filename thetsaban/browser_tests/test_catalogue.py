import os

from django.core.management import call_command

from thetsaban.browser_tests.base import BrowserTestCase


class CatalogueJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))

    def test_citizen_searches_in_thai_opens_a_practice_and_switches_to_english(self):
        page = self.page
        self.visit("/")
        self.assertEqual(page.locator("html").get_attribute("lang"), "th")
        page.fill("input[name=q]", "ตลาดเก่า")
        page.press("input[name=q]", "Enter")
        page.wait_for_url("**/search/?q=*")
        # The best practice result (transfer projects adopting it are found too).
        first = page.locator("ol.results li.result a[href*='/practices/']").first
        self.assertIn("ตลาดเก่า", first.inner_text())
        first.click()
        page.wait_for_url("**/practices/*/")
        self.assertIn("ตลาดเก่า", page.locator("h1").inner_text())
        self.assertIn("ปากเกร็ด", page.content())
        page.click("button[name=language][value=en]")
        page.wait_for_load_state()
        self.assertEqual(page.locator("html").get_attribute("lang"), "en")
        self.assertIn("old market", page.locator("h1").inner_text().lower())
