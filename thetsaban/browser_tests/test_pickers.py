"""The picker box in a browser: suggestions as one types, chosen with the keyboard, stored."""

from django.contrib.auth.hashers import make_password
from django.urls import reverse

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


class PickerChipsTests(BrowserTestCase):
    """Several records as chips: picked from suggestions, one removed, the rest saved."""

    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        from thetsaban.accounts.models import LguMembership
        from thetsaban.places.models import Lgu

        places_demo.load()
        editor = User.objects.create(username="sk-editor", password=make_password(self.password))
        LguMembership.objects.create(user=editor, lgu=Lgu.objects.get(code="DEMO-SK"))

    def pick(self, box, typed, expected_label):
        """Type part of a Thai name, wait for the suggestion and choose it with the mouse."""
        box.press_sequentially(typed)
        option = self.page.locator("[role=listbox]:visible [role=option]").filter(has_text=expected_label)
        option.first.click()

    def test_editor_picks_member_lgus_as_chips_removes_one_and_sees_the_rest_saved(self):
        from thetsaban.newsroom.models import JointUndertaking

        self.sign_in("sk-editor", self.password)
        self.page.wait_for_url(self.live_server_url + "/")
        self.visit(reverse("newsroom:undertaking_new"))
        self.page.fill("#id_title", "ความร่วมมือจัดการน้ำ (ข้อมูลตัวอย่าง)")
        self.page.fill("#id_purpose", "แลกเปลี่ยนวิธีจัดการน้ำท่วม")
        self.pick(self.page.locator("#id_lead_lgu"), "ทน.สงข", "เทศบาลนครสงขลา")
        self.assertEqual(self.page.locator("#id_lead_lgu").input_value(), "เทศบาลนครสงขลา [DEMO-SK]")

        members = self.page.locator("#id_members")
        chips = self.page.locator("#id_members-chosen .picker-chip")
        self.assertEqual(chips.count(), 0)
        for typed, label in (("เชียงร", "เทศบาลนครเชียงราย"), ("ยะล", "เทศบาลนครยะลา"),
                             ("อุดร", "เทศบาลนครอุดรธานี")):
            self.pick(members, typed, label)
            self.assertEqual(members.input_value(), "")  # the box is emptied for the next one
        self.assertEqual([text.strip() for text in chips.all_inner_texts()],
                         ["เทศบาลนครเชียงราย", "เทศบาลนครยะลา", "เทศบาลนครอุดรธานี"])
        self.assertTrue(self.page.locator("#id_members-chosen").is_visible())

        # Unticking a chip removes it.
        chips.filter(has_text="เทศบาลนครยะลา").get_by_role("checkbox").uncheck()
        self.page.click("form.stacked button[type=submit]")
        self.page.wait_for_load_state()

        undertaking = JointUndertaking.objects.get()
        self.assertEqual(self.page.url, self.live_server_url + undertaking.get_absolute_url())
        self.assertEqual(sorted(undertaking.members.values_list("code", flat=True)),
                         ["DEMO-CR", "DEMO-UDON"])
        shown = self.page.locator("dd", has_text="เทศบาลนครเชียงราย").inner_text()
        self.assertIn("เทศบาลนครอุดรธานี", shown)
        self.assertNotIn("ยะลา", shown)
        self.assert_no_csp_violation()
