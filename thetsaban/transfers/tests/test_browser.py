"""In a real browser: a coach signs in and adds a logbook entry to their project."""

from django.contrib.auth.hashers import make_password

from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.places.models import Lgu
from thetsaban.practices.demo import load_themes
from thetsaban.testing import make_place_tree
from thetsaban.transfers.models import LogbookEntry, Milestone
from thetsaban.transfers.tests.base import make_coach, make_practice, make_project

PASSWORD = "correct-horse-battery"


class CoachLogbookJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        load_themes()
        lgu, other = make_place_tree()
        self.project = make_project(lgu, make_practice(other))
        Milestone.objects.create(project=self.project, title="ตั้งคณะทำงาน (ตัวอย่าง)")
        self.coach = make_coach("coach", Lgu.objects.get(pk=lgu.pk).province, make_password(PASSWORD), self.project)

    def test_coach_signs_in_and_adds_a_logbook_entry(self):
        page = self.page
        self.sign_in("coach", PASSWORD)
        page.wait_for_load_state()
        self.visit(self.project.get_absolute_url())
        page.click("#add-logbook-entry")
        page.wait_for_url(f"**/transfers/{self.project.pk}/logbook/add/")
        page.fill("#id_date", "2024-05-02")
        page.fill("#id_activity", "ประชุมคณะทำงานครั้งแรก (ตัวอย่าง)")
        page.select_option("#id_milestone", label="ตั้งคณะทำงาน (ตัวอย่าง)")
        page.fill("#id_outcome", "ได้แผนการดำเนินงาน")
        page.fill("#id_next_step", "ศึกษาดูงาน")
        page.click("#save")
        page.wait_for_url(f"**/transfers/{self.project.pk}/#logbook")
        self.assertIn("ประชุมคณะทำงานครั้งแรก (ตัวอย่าง)", page.locator("#logbook").inner_text())
        entry = LogbookEntry.objects.get()
        self.assertEqual(entry.coach, self.coach)
        self.assertEqual(entry.milestone.title, "ตั้งคณะทำงาน (ตัวอย่าง)")
