import os

from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from thetsaban.accounts.models import User
from thetsaban.browser_tests.base import BrowserTestCase
from thetsaban.coaching.models import Assignment, Language, MatchProposal
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Practice, Theme
from thetsaban.transfers.choices import ProjectStatus
from thetsaban.transfers.models import LogbookEntry, TransferProject


class CoachProgrammeJourneyTests(BrowserTestCase):
    """League staff match a coach to a pilot, the coverage page shows the gap closing, and the
    coach keeps the project's logbook."""

    password = "a-long-test-password"

    def setUp(self):
        super().setUp()
        call_command("load_demo", stdout=open(os.devnull, "w"))
        User.objects.create(username="leaguestaff", password=make_password(self.password), is_staff=True)
        self.udon = Lgu.objects.get(code="DEMO-UDON")
        self.project = TransferProject.objects.create(
            title="ศูนย์บริการประชาชน อุดรธานี (ข้อมูลตัวอย่าง)", is_example=True, target_lgu=self.udon,
            source_practice=Practice.objects.published().get(lgu__code="DEMO-SK"),
            theme=Theme.objects.get(code="governance"), language=Language.objects.get(code="th"),
            status=ProjectStatus.IMPLEMENTATION,
        )

    def without_coach(self):
        cell = self.page.locator(f"td[data-region='{self.udon.province.region.code}']")
        return cell.get_attribute("data-without-coach")

    def test_staff_match_a_coach_coverage_changes_and_the_coach_keeps_the_logbook(self):
        page = self.page
        self.sign_in("leaguestaff", self.password)
        page.wait_for_url(self.live_server_url + "/")
        self.visit("/coaching/coverage/")
        # The demo's example pilots may lack a coach in the same region too.
        before = int(self.without_coach())
        self.assertGreaterEqual(before, 1)

        self.visit("/coaching/matching/")
        page.click("form[action$='/coaching/matching/run/'] button[type=submit]")
        page.wait_for_load_state()
        proposal = MatchProposal.objects.get(project=self.project, decision="pending")
        self.assertIn(self.project.title, page.content())
        page.click(f"form[action$='/proposals/{proposal.pk}/accept/'] button[type=submit]")
        page.wait_for_load_state()
        assignment = Assignment.objects.get(project=self.project)
        self.assertEqual(assignment.coach, proposal.coach)

        self.visit("/coaching/coverage/")
        self.assertEqual(int(self.without_coach()), before - 1)

        # The assigned coach signs in and writes the first logbook entry.
        coach = assignment.coach
        coach.user = User.objects.create(username="thecoach", password=make_password(self.password))
        coach.save()
        self.context.clear_cookies()
        self.sign_in("thecoach", self.password)
        page.wait_for_url(self.live_server_url + "/")
        self.visit(self.project.get_absolute_url())
        page.click("#add-logbook-entry")
        page.fill("#id_date", "2026-11-20")
        page.fill("#id_activity", "ประชุมคณะทำงานครั้งแรก (ข้อมูลตัวอย่าง)")
        page.fill("#id_outcome", "ได้แผนการดำเนินงาน")
        page.click("#save")
        page.wait_for_url(f"**/transfers/{self.project.pk}/#logbook")
        self.assertIn("ประชุมคณะทำงานครั้งแรก", page.locator("#logbook").inner_text())
        self.assertEqual(LogbookEntry.objects.get(project=self.project).coach, coach)
