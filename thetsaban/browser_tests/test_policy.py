import os
import tempfile

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from thetsaban.accounts.models import User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.policy.models import Recommendation

SEED_POLICY_TEXT = "การแก้กฎหมายให้อปท. สามารถทำงานในชุมชนได้อย่างคล่องตัวได้"


class PolicyJourneyTests(BrowserTestCase):
    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        call_command("load_demo", stdout=open(os.devnull, "w"))
        hashed = make_password(self.password)
        User.objects.create(username="citizen", password=hashed)
        User.objects.create(username="leaguestaff", password=hashed, is_staff=True)

    def test_member_endorses_a_recommendation(self):
        recommendation = Recommendation.objects.get(recommendation__contains=SEED_POLICY_TEXT)
        self.sign_in("citizen", self.password)
        self.page.wait_for_url(self.live_server_url + "/")
        self.visit(recommendation.get_absolute_url())
        count = self.page.locator("[data-endorsements]")
        self.assertEqual(count.get_attribute("data-endorsements"), "0")
        self.page.click("form[action*='/endorse/'] button[type=submit]")
        self.page.wait_for_load_state()
        self.assertEqual(self.page.locator("[data-endorsements]").get_attribute("data-endorsements"), "1")
        # Supporting again is not offered: the button now withdraws.
        self.assertEqual(self.page.locator("form[action*='/withdraw/']").count(), 1)

    def test_staff_open_the_report_and_download_it_as_xlsx_and_docx(self):
        import docx
        import openpyxl

        self.sign_in("leaguestaff", self.password)
        self.page.wait_for_url(self.live_server_url + "/")
        self.visit("/policy/report/")
        self.assertIn(SEED_POLICY_TEXT, self.page.content())
        folder = tempfile.mkdtemp()
        with self.page.expect_download() as xlsx:
            self.page.click("a[href*='report.xlsx']")
        path = os.path.join(folder, "report.xlsx")
        xlsx.value.save_as(path)
        workbook = openpyxl.load_workbook(path)
        cells = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]
        self.assertTrue(any(SEED_POLICY_TEXT in cell for cell in cells))
        with self.page.expect_download() as word:
            self.page.click("a[href*='report.docx']")
        path = os.path.join(folder, "report.docx")
        word.value.save_as(path)
        document = docx.Document(path)
        texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        self.assertTrue(any(SEED_POLICY_TEXT in text for text in texts))
