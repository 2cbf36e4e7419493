"""Registering for a learning-centre event on a phone (390 px wide): the event page fits the
screen, a member signs in, registers, and the next member lands on the waiting list."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from thetsaban.accounts.models import User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.learning import services
from thetsaban.learning.choices import EventStatus, RegistrationStatus
from thetsaban.learning.models import Event, Registration
from thetsaban.places.models import LearningCentre
from thetsaban.testing import make_place_tree


class EventRegistrationTests(BrowserTestCase):
    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        lgu, _other = make_place_tree()
        centre = LearningCentre.objects.create(region=lgu.province.region, name_th="ศูนย์เครือข่ายการเรียนรู้ภาคใต้")
        starts = timezone.now() + timedelta(days=7)
        self.event = services.save_event(Event(
            centre=centre, status=EventStatus.PUBLISHED, title="อบรมการคัดแยกขยะต้นทาง", starts_at=starts,
            ends_at=starts + timedelta(hours=6), host_lgu=lgu, place_name="ห้องประชุมเทศบาล", capacity=1),
            acting_user=None)
        for name in ("first", "second"):
            User.objects.create(username=name, email=f"{name}@example.org", password=make_password(self.password))
        self.page.set_viewport_size({"width": 390, "height": 844})

    def register_as(self, username):
        page = self.page
        self.sign_in(username, self.password)
        page.wait_for_load_state()
        self.visit(self.event.get_absolute_url())
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        page.click("#register")
        page.wait_for_selector("#my-registration")
        return page.inner_text("#my-registration")

    def test_a_member_registers_and_the_next_joins_the_waiting_list_at_phone_width(self):
        page = self.page
        self.visit(self.event.get_absolute_url())
        self.assertIn("อบรมการคัดแยกขยะต้นทาง", page.inner_text("h1"))
        self.assertIn(str(timezone.localtime(self.event.starts_at).year + 543), page.inner_text("#event-when"))
        self.assertTrue(page.is_visible("#registration a[href*='/accounts/login/']"))
        self.register_as("first")
        self.assertEqual(Registration.objects.get(user__username="first").status, RegistrationStatus.REGISTERED)
        page.context.clear_cookies()
        self.register_as("second")
        self.assertEqual(Registration.objects.get(user__username="second").status, RegistrationStatus.WAITING)
        self.assert_no_csp_violation()
