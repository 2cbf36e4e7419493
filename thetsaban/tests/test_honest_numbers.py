"""Pages say what their numbers rest on, claim an e-mail only when one is sent, and the audit
history reads as sentences."""

import datetime

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import save_audited
from thetsaban.coaching import matching_services
from thetsaban.coaching.tests.test_matching_services import MatchingTestCase
from thetsaban.places.models import Lgu
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.choices import ProjectStatus
from thetsaban.transfers.models import TransferProject
from thetsaban.transfers.tests.base import make_practice


class CoverageDataTests(ThetsabanTestCase):
    def test_coverage_says_only_a_few_lgus_are_loaded_and_how_to_fix_it(self):
        page = self.client.get(reverse("coaching:coverage"))
        self.assertContains(page, "2 LGUs loaded")
        self.assertContains(page, "2 municipalities")
        self.assertContains(page, "of about 7,850 LGUs in the country")
        self.assertContains(page, "League staff can import the national LGU list.")
        self.login(self.staff)
        page = self.client.get(reverse("coaching:coverage"))
        self.assertContains(page, f'href="{reverse("places:import")}"')

    def test_the_api_says_the_list_is_partial(self):
        body = self.client.get(reverse("coaching-coverage-list")).json()
        self.assertEqual((body["lgus_loaded"], body["lgus_expected"], body["lgu_list_partial"]),
                         (2, 7850, True))

    @override_settings(NATIONAL_LGU_COUNT=2)
    def test_no_warning_once_the_national_list_is_loaded(self):
        page = self.client.get(reverse("coaching:coverage"))
        self.assertNotContains(page, "LGUs loaded")
        self.assertFalse(self.client.get(reverse("coaching-coverage-list")).json()["lgu_list_partial"])


class MapDataTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        nowhere = Lgu.objects.create(code="TEST-NL", name_th="เทศบาลตำบลไร้พิกัด", province=cls.lgu.province)
        make_practice(cls.lgu)
        make_practice(nowhere)
        make_practice(nowhere)

    def test_the_map_says_how_many_practices_have_no_location(self):
        page = self.client.get(reverse("practices:map"))
        self.assertContains(page, "1 practice is on the map.")
        self.assertContains(page, "2 practices have no location (their LGU has no coordinates)")

    def test_the_numbers_follow_the_filters(self):
        page = self.client.get(reverse("practices:map"), {"lgu": "TEST-SK"})
        self.assertContains(page, "1 practice is on the map.")
        self.assertNotContains(page, "have no location")


class EmailClaimTests(MatchingTestCase):
    def accept(self, coach):
        run = matching_services.run_matching(acting_user=self.staff)
        proposal = run.proposals.filter(coach=coach).first()
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("matching:accept", args=[proposal.pk]), follow=True)

    def test_accepting_a_coach_without_an_address_does_not_claim_an_e_mail(self):
        page = self.accept(self.north_coach)
        self.assertContains(page, "They have no e-mail address on record, so nobody has told them yet")
        self.assertNotContains(page, "they have been e-mailed")

    def test_accepting_a_coach_with_an_address_says_they_were_e_mailed(self):
        page = self.accept(self.south_coach)
        self.assertContains(page, "they have been e-mailed")

    def test_following_without_an_address_does_not_promise_e_mail(self):
        self.login(self.member)
        url = reverse("participation:follow", args=["transferproject", self.hy_project.pk])
        page = self.client.post(url, follow=True)
        self.assertContains(page, "Your account has no e-mail address, so changes cannot be e-mailed")
        User.objects.filter(pk=self.member.pk).update(email="member@example.org")
        self.client.post(reverse("participation:unfollow", args=["transferproject", self.hy_project.pk]))
        page = self.client.post(url, follow=True)
        self.assertContains(page, "changes will be e-mailed to you")


class HistoryTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = TransferProject.objects.create(title="โครงการตัวอย่าง", target_lgu=cls.lgu)
        cls.project.status = ProjectStatus.IMPLEMENTATION
        cls.project.target_lgu = cls.other_lgu
        cls.project.planned_start = datetime.date(2026, 3, 10)
        save_audited(cls.project, acting_user=cls.staff)
        # An entry stored at 17:30 UTC: 00:30 the next day in Bangkok.
        AuditEntry.objects.filter(object_id=str(cls.project.pk)).update(
            at=datetime.datetime(2026, 3, 10, 17, 30, tzinfo=datetime.UTC))

    def history(self, language="en"):
        self.login(self.staff)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return self.client.get(reverse("accounts:history",
                                       args=["transfers", "transferproject", self.project.pk]))

    def test_history_reads_as_a_sentence_with_names_labels_and_local_times(self):
        page = self.history()
        self.assertContains(page, "staff changed")
        self.assertContains(page, "<th scope=\"row\">Status</th>", html=False)
        self.assertContains(page, str(ProjectStatus.IMPLEMENTATION.label))
        self.assertContains(page, "Chiang Rai City Municipality")
        self.assertContains(page, "10 March 2026")
        self.assertContains(page, "00:30")
        self.assertNotContains(page, "target_lgu_id")
        self.assertNotContains(page, ">implementation<")

    def test_thai_history_dates_in_the_buddhist_era(self):
        page = self.history("th")
        self.assertContains(page, "10 มีนาคม 2569")
        self.assertContains(page, "11 มี.ค. 2569 00:30")
        self.assertContains(page, "เทศบาลนครเชียงราย")
