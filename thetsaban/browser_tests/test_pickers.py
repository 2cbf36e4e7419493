"""The picker box in a browser: suggestions as one types, chosen with the keyboard, stored."""

from django.contrib.auth.hashers import make_password

from thetsaban.accounts.models import User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.places import demo as places_demo


class PickerBoxTests(BrowserTestCase):
    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        places_demo.load()
        User.objects.create(username="citizen", password=make_password(self.password))

    def test_member_picks_an_lgu_by_its_thai_abbreviation_with_the_keyboard(self):
        from thetsaban.participation.models import Proposal

        self.sign_in("citizen", self.password)
        self.page.wait_for_url(self.live_server_url + "/")
        self.visit("/participation/proposals/new/")
        self.page.fill("#id_title", "ถนนน้ำท่วม")
        self.page.fill("#id_problem", "น้ำท่วมทุกปี")
        self.page.fill("#id_proposal", "ขุดลอกคลอง")
        box = self.page.locator("#id_lgu")
        self.assertEqual(box.get_attribute("role"), "combobox")
        self.assertEqual(box.get_attribute("aria-expanded"), "false")
        box.press_sequentially("ทน.สงข")
        option = self.page.locator("[role=listbox] [role=option]").first
        option.wait_for()
        self.assertEqual(box.get_attribute("aria-expanded"), "true")
        self.assertIn("เทศบาลนครสงขลา", option.inner_text())
        box.press("ArrowDown")
        self.assertEqual(box.get_attribute("aria-activedescendant"), option.get_attribute("id"))
        self.assertEqual(option.get_attribute("aria-selected"), "true")
        box.press("Enter")
        self.assertEqual(box.input_value(), "เทศบาลนครสงขลา [DEMO-SK]")
        self.assertEqual(box.get_attribute("aria-expanded"), "false")
        self.page.click("form.stacked button[type=submit]")
        self.page.wait_for_load_state()
        self.assertEqual(Proposal.objects.get().lgu.code, "DEMO-SK")
        self.assert_no_csp_violation()
