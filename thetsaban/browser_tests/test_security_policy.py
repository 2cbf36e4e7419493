import os

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from thetsaban.accounts.models import User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Practice


class ContentSecurityPolicyTests(BrowserTestCase):
    """The main pages work under the Content-Security-Policy: maps, charts, the API docs and
    the admin draw, and chromium reports nothing blocked."""

    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
        User.objects.create(username="leaguestaff", password=make_password(self.password),
                            is_staff=True, is_superuser=True)

    def test_main_pages_report_no_policy_violation(self):
        page = self.page
        practice = Practice.objects.published().order_by("pk").first()
        lgu = Lgu.objects.exclude(latitude=None).order_by("pk").first()
        self.visit("/")
        self.visit("/practices/")
        self.visit("/practices/map/")
        page.wait_for_selector("#map .leaflet-marker-icon, #map .leaflet-interactive")
        self.visit(practice.get_absolute_url())
        self.visit("/coaching/coverage/")
        page.wait_for_selector("#map .leaflet-interactive")
        self.assertGreater(page.locator("svg.chart rect").count(), 0)
        self.visit("/policy/report/")
        self.visit(lgu.get_absolute_url())
        page.wait_for_selector("#map .leaflet-marker-icon")
        self.visit("/api/docs/")
        page.wait_for_selector(".swagger-ui .opblock")
        self.assert_no_csp_violation()

    def test_sort_and_print_work_without_inline_handlers(self):
        page = self.page
        self.visit("/practices/")
        page.select_option("#sort", "title")
        page.wait_for_url("**sort=title**")
        self.visit("/policy/report/")
        page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
        page.click("button[data-print]")
        self.assertEqual(page.locator("body").get_attribute("data-printed"), "yes")
        self.assert_no_csp_violation()

    def test_admin_works_under_the_policy(self):
        page = self.page
        self.visit("/admin/login/")
        page.fill("#id_username", "leaguestaff")
        page.fill("#id_password", self.password)
        page.click("input[type=submit]")
        page.wait_for_url(self.live_server_url + "/admin/")
        self.visit("/admin/practices/practice/")
        practice = Practice.objects.order_by("pk").first()
        self.visit(f"/admin/practices/practice/{practice.pk}/change/")
        page.wait_for_selector("#content-main form")
        self.visit("/admin/axes/accessattempt/")
        self.assert_no_csp_violation()
