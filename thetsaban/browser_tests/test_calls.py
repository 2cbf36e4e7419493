"""A call for practices from entry to published results in a browser: an LGU's officer enters a
practice, a juror declares no conflict and scores it, the staff member who opened the call may
not publish alone, a second staff member publishes, and the public page shows the ranking."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from thetsaban.accounts.models import LguMembership, User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.calls import services
from thetsaban.calls.models import Call, Entry
from thetsaban.practices.choices import Maturity, ReviewStatus
from thetsaban.practices.models import Practice, Theme
from thetsaban.testing import make_place_tree


class CallFromEntryToResultsTests(BrowserTestCase):
    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        lgu, _other = make_place_tree()
        hashed = make_password(self.password)
        self.opener = User.objects.create(username="staff-opener", is_staff=True, password=hashed)
        User.objects.create(username="staff-publisher", is_staff=True, password=hashed)
        officer = User.objects.create(username="officer", password=hashed)
        LguMembership.objects.create(user=officer, lgu=lgu)
        juror = User.objects.create(username="juror", password=hashed)
        theme = Theme.objects.create(code="waste", name_th="การจัดการขยะ", name_en="Waste management")
        self.practice = Practice.objects.create(lgu=lgu, title_th="ธนาคารขยะชุมชน", summary="ชุมชนคัดแยกขยะ",
                                                maturity=Maturity.PILOT, status=ReviewStatus.DRAFT)
        self.practice.themes.add(theme)
        self.call = services.open_call(
            Call(title="รางวัลแนวปฏิบัติที่ดี (ข้อมูลตัวอย่าง)", deadline=timezone.now() + timedelta(days=7),
                 winners=1, is_example=True),
            criteria=[("ผลลัพธ์", 60), ("นวัตกรรม", 40)], themes=[theme], acting_user=self.opener)
        services.appoint_juror(self.call, juror, acting_user=self.opener)

    def as_user(self, username):
        self.page.context.clear_cookies()
        self.sign_in(username, self.password)
        self.page.wait_for_load_state()

    def test_an_entry_is_scored_and_published_under_four_eyes(self):
        page = self.page
        # The municipal officer enters the LGU's practice (a draft) in the open call.
        self.as_user("officer")
        self.visit(self.call.get_absolute_url())
        page.select_option("#enter select[name=practice]", str(self.practice.pk))
        page.click("#enter button[type=submit]")
        page.wait_for_selector("#entries a:has-text('ธนาคารขยะชุมชน')")
        entry = Entry.objects.get(call=self.call, practice=self.practice)

        # The juror declares no conflict of interest and scores each criterion.
        self.as_user("juror")
        self.visit(self.call.get_absolute_url())
        page.click("#entries a:has-text('ธนาคารขยะชุมชน')")
        page.wait_for_selector("#scoring")
        for criterion, value in zip(self.call.criteria.order_by("position"), ("9", "7"), strict=True):
            page.fill(f"#criterion_{criterion.pk}", value)
        page.check("input[name=no_conflict]")
        page.click("#scoring form button[type=submit]")
        page.wait_for_selector(".messages .success")
        self.assertEqual(entry.scores.count(), 2)

        # The deadline passes; the staff member who opened the call may not publish alone.
        Call.objects.filter(pk=self.call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
        self.as_user("staff-opener")
        self.visit(self.call.get_absolute_url())
        self.assertIn("ธนาคารขยะชุมชน", page.inner_text("#ranking"))
        page.click("#publish")
        page.wait_for_selector(".messages .error")
        self.assertFalse(Call.objects.get(pk=self.call.pk).is_published)

        # A second staff member publishes the results.
        self.as_user("staff-publisher")
        self.visit(self.call.get_absolute_url())
        page.click("#publish")
        page.wait_for_selector("#results")
        call = Call.objects.get(pk=self.call.pk)
        self.assertEqual((call.is_published, call.published_by.username), (True, "staff-publisher"))

        # Anyone reads the ranking on the public page.
        page.context.clear_cookies()
        self.visit(self.call.get_absolute_url())
        first = page.locator("#results tbody tr").first
        self.assertIn("1", first.locator("td").first.inner_text())
        self.assertIn("ธนาคารขยะชุมชน", first.inner_text())
        self.assertIn("8.20", first.inner_text())  # (9 × 60 + 7 × 40) / 100
        self.assertFalse(page.is_visible("#ranking"))
        self.assert_no_csp_violation()
