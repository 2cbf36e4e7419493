"""Shared data of the participation tests: a record of each kind, a moderator and e-mail addresses."""

from django.core.cache import cache
from django.utils import timezone

from thetsaban.accounts.models import User
from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.models import TransferProject

SCRIPT = '<script>alert("x")</script>'


class ParticipationTestCase(ThetsabanTestCase):
    """Adds a published and a draft practice of self.lgu, a proposed and a draft recommendation,
    a transfer project, a moderator, and e-mail addresses for everyone."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.moderator = User.objects.create(username="moderator", is_moderator=True,
                                            password=cls.staff.password)
        for user in (cls.staff, cls.reviewer, cls.editor, cls.outsider, cls.member, cls.moderator):
            user.email = f"{user.username}@example.org"
            user.save(update_fields=["email"])
        cls.theme = Theme.objects.create(code="governance", name_th="ธรรมาภิบาลในองค์กร",
                                         name_en="Good governance")
        now = timezone.now()
        cls.practice = Practice.objects.create(
            lgu=cls.lgu, title_th="ตลาดเก่าของชุมชน (ข้อมูลตัวอย่าง)", summary="ข้อมูลตัวอย่าง",
            status=ReviewStatus.PUBLISHED, tier=Tier.GOOD, published_at=now, is_example=True)
        cls.draft_practice = Practice.objects.create(
            lgu=cls.lgu, title_th="ร่างโครงการ (ข้อมูลตัวอย่าง)", summary="ข้อมูลตัวอย่าง",
            status=ReviewStatus.DRAFT, is_example=True)
        cls.recommendation = Recommendation.objects.create(
            level=Level.LEAGUE, title="Coach pool (example data)",
            recommendation="ตัวอย่าง", status=RecommendationStatus.PROPOSED)
        cls.draft_recommendation = Recommendation.objects.create(
            level=Level.LEAGUE, title="Draft (example data)", recommendation="ตัวอย่าง",
            status=RecommendationStatus.DRAFT)
        cls.project = TransferProject.objects.create(
            title="Transfer to Chiang Rai (example data)", source_practice=cls.practice,
            target_lgu=cls.other_lgu, is_example=True)

    def setUp(self):
        super().setUp()
        # The rate limits live in the cache; every test starts with a clean allowance.
        cache.clear()
