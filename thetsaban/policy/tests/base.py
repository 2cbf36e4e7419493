"""Shared data of the policy tests: themes, organisations, a pilot project with an issue log,
and recommendations owned by the LGU editor (one proposed, one draft)."""

from datetime import date

from thetsaban.directory.models import Organisation
from thetsaban.policy.choices import ActorRole, Level, RecommendationStatus
from thetsaban.policy.models import Recommendation, RecommendationActor
from thetsaban.practices.models import Theme
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.models import Issue, TransferProject


class PolicyTestCase(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.governance = Theme.objects.create(code="governance", name_th="ธรรมาภิบาลในองค์กร",
                                              name_en="Good governance", position=1)
        cls.environment = Theme.objects.create(code="environment", name_th="สิ่งแวดล้อม",
                                               name_en="Environment", position=2)
        cls.league = Organisation.objects.create(code="nmlt", name_th="สันนิบาตเทศบาลแห่งประเทศไทย",
                                                 name_en="NMLT", abbreviation="ส.ท.ท.", kind="league")
        cls.opdc = Organisation.objects.create(code="opdc", name_th="สำนักงาน ก.พ.ร.",
                                               name_en="OPDC", abbreviation="กพร.", kind="agency")
        cls.project = TransferProject.objects.create(title="ปรับปรุงประสิทธิภาพการให้บริการประชาชน",
                                                     target_lgu=cls.lgu, theme=cls.governance)
        cls.issue = Issue.objects.create(project=cls.project, level=Level.PROJECT,
                                         problem="ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์", effect="ระบบล่าช้า",
                                         recommendation="ขอรับการสนับสนุนจาก กพร.", lgu_code="SK")
        cls.proposed = Recommendation.objects.create(
            level=Level.LEAGUE, title="หนุนเสริม Best Practice", recommendation="ส.ท.ท. ต้องหนุนเสริม",
            owner=cls.editor, status=RecommendationStatus.PROPOSED)
        cls.proposed.themes.add(cls.governance)
        cls.draft = Recommendation.objects.create(
            level=Level.POLICY, title="ร่างข้อเสนอ", recommendation="ร่างข้อเสนอที่ยังไม่เผยแพร่",
            owner=cls.editor, status=RecommendationStatus.DRAFT)

    @classmethod
    def complete(cls, **fields) -> Recommendation:
        """A recommendation answering every question of the critique."""
        recommendation = Recommendation.objects.create(
            level=fields.pop("level", Level.POLICY), title="ครบถ้วน", recommendation="แก้กฎหมาย",
            planned_start=date(2020, 1, 1), planned_end=date(2099, 12, 31), target_what="กฎหมายใหม่",
            target_amount="1 ฉบับ", target_date=date(2099, 12, 31), target_source="มติที่ประชุม",
            **fields)
        RecommendationActor.objects.create(recommendation=recommendation, organisation=cls.league,
                                           role=ActorRole.ACCOUNTABLE)
        RecommendationActor.objects.create(recommendation=recommendation, organisation=cls.opdc,
                                           role=ActorRole.SUPPORTING)
        return recommendation
