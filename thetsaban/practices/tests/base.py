"""Shared data of the practices tests: the themes and a practice in each status."""

from django.utils import timezone

from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.demo import load_themes
from thetsaban.practices.models import Practice, Theme
from thetsaban.testing import ThetsabanTestCase


def make_practice(lgu, status=ReviewStatus.PUBLISHED, themes=("governance",), **fields):
    """A practice stored directly (no workflow), in the given status."""
    now = timezone.now()
    values = {
        "title_th": "การให้บริการประชาชนแบบเบ็ดเสร็จ",
        "summary": "ลดขั้นตอนการให้บริการประชาชนด้วยระบบอิเล็กทรอนิกส์ (ข้อมูลตัวอย่าง)",
        "status": status,
        "is_example": True,
    }
    if status == ReviewStatus.PUBLISHED:
        values.update(tier=Tier.GOOD, published_at=now, submitted_at=now)
    elif status == ReviewStatus.SUBMITTED:
        values.update(submitted_at=now)
    values.update(fields)
    practice = Practice.objects.create(lgu=lgu, **values)
    practice.themes.set(Theme.objects.filter(code__in=themes))
    return practice


class PracticeTestCase(ThetsabanTestCase):
    """The base users and LGUs, the four themes, and a practice of self.lgu in each status."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_themes()
        cls.published = make_practice(cls.lgu, title_th="ตลาดเก่าของชุมชน")
        cls.draft = make_practice(cls.lgu, ReviewStatus.DRAFT, title_th="ร่างโครงการคัดแยกขยะ")
        cls.submitted = make_practice(cls.lgu, ReviewStatus.SUBMITTED, title_th="โครงการรอตรวจ")
        cls.returned = make_practice(cls.lgu, ReviewStatus.RETURNED, title_th="โครงการถูกส่งกลับ",
                                     review_comment="เพิ่มผลลัพธ์")
