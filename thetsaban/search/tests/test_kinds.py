"""Every kind of public record is searchable with `type=`, and its result links to its page."""

from django.urls import reverse

from thetsaban.coaching.choices import CoachStatus
from thetsaban.coaching.tests.base import make_coach
from thetsaban.participation.models import Proposal
from thetsaban.policy.choices import RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.search.backends import kind_number
from thetsaban.search.choices import KIND_VALUES
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.models import TransferProject

WORD = "ปลาตะเพียน"


class SearchedKindsTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        province = cls.lgu.province
        cls.coach = make_coach(f"โค้ช {WORD}", province)
        cls.hidden_coach = make_coach(f"ผู้สมัคร {WORD}", province, status=CoachStatus.APPLIED)
        cls.transfer = TransferProject.objects.create(title=f"ถ่ายทอด {WORD}", target_lgu=cls.lgu)
        level = Recommendation._meta.get_field("level").choices[0][0]
        cls.recommendation = Recommendation.objects.create(
            level=level, title=f"ข้อเสนอ {WORD}", recommendation="ทำต่อ", status=RecommendationStatus.PROPOSED)
        cls.draft = Recommendation.objects.create(
            level=level, title=f"ร่าง {WORD}", recommendation="ทำต่อ", status=RecommendationStatus.DRAFT)
        cls.proposal = Proposal.objects.create(author=cls.member, title=f"เสนอ {WORD}", problem="ปัญหา",
                                               proposal="แก้")
        cls.hidden = Proposal.objects.create(author=cls.member, title=f"ซ่อน {WORD}", problem="ปัญหา",
                                             proposal="แก้", hidden=True)

    def test_each_kind_is_found_by_type_and_links_to_its_page(self):
        expected = {"coach": self.coach, "transfer": self.transfer,
                    "recommendation": self.recommendation, "proposal": self.proposal}
        for kind, record in expected.items():
            with self.subTest(kind=kind):
                data = self.client.get(reverse("api-search"), {"q": WORD, "type": kind}).json()
                self.assertEqual([(r["type"], r["id"]) for r in data["results"]], [(kind, record.pk)])
                self.assertEqual(data["results"][0]["url"], record.get_absolute_url())
                self.assertEqual(self.client.get(data["results"][0]["url"]).status_code, 200)

    def test_records_an_anonymous_visitor_may_not_see_are_not_indexed(self):
        # (Both coaches' persons are listed publicly, so they are found as people.)
        kinds = "coach,transfer,recommendation,proposal"
        data = self.client.get(reverse("api-search"), {"q": WORD, "type": kinds}).json()
        self.assertEqual(data["count"], 4)
        hidden = [r["title"] for r in data["results"] if r["title"].startswith(("ร่าง", "ซ่อน", "ผู้สมัคร"))]
        self.assertEqual(hidden, [])

    def test_the_search_page_offers_every_kind(self):
        response = self.client.get(reverse("search:page"), {"q": WORD, "type": "coach"})
        self.assertContains(response, f"โค้ช {WORD}")
        for kind in KIND_VALUES:
            self.assertContains(response, f'<option value="{kind}"')

    def test_the_stored_kind_numbers_never_change(self):
        # The numbers mark the kinds inside the full-text tables of existing databases.
        stored = {"practice": 1, "organisation": 2, "person": 3, "lgu": 4, "coach": 5, "transfer": 6,
                  "recommendation": 7, "proposal": 8}
        self.assertEqual({kind: kind_number(kind) for kind in stored}, stored)
