"""Demo data: example news of the league and of each learning centre, and one example joint
undertaking (a joint waste-disposal centre of neighbouring LGUs).

All of it is made up to show how the newsroom works, and marked as example data
(hooks.EXAMPLE_MARK in its title and `is_example`); the practices, pilots, events and LGUs it
links to are the seed's or the other apps' demo records.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from thetsaban import hooks
from thetsaban.learning.models import Event
from thetsaban.localdata.choices import AreaLevel
from thetsaban.localdata.choices import Theme as IndicatorTheme
from thetsaban.localdata.models import Indicator
from thetsaban.newsroom import services
from thetsaban.newsroom.choices import PostStatus
from thetsaban.newsroom.models import JointUndertaking, NewsPost
from thetsaban.places.models import LearningCentre, Lgu
from thetsaban.practices.models import Practice
from thetsaban.transfers.models import TransferProject

LEAGUE_NEWS = [
    ("สมาคมสันนิบาตเทศบาลฯ เปิดรับแนวปฏิบัติที่ดีด้านการจัดการเมืองและสิ่งแวดล้อม",
     "เทศบาลสมาชิกส่งแนวปฏิบัติที่ดีเข้าสู่คลังความรู้ เพื่อให้เทศบาลอื่นเรียนรู้และนำไปปรับใช้"),
    ("เมืองนำร่องเริ่มถ่ายทอดแนวปฏิบัติการคัดแยกขยะต้นทาง",
     "เทศบาลนำร่องลงนามความร่วมมือและเริ่มทดลองใช้แนวปฏิบัติพร้อมพี่เลี้ยงจากเครือข่าย"),
]
BODY = "ข่าวตัวอย่างสำหรับการสาธิตระบบ ไม่ใช่ข่าวจริง\n\nเนื้อหาแสดงให้เห็นการเชื่อมโยงข่าวกับแนวปฏิบัติ โครงการนำร่อง กิจกรรม และข้อเสนอแนะเชิงนโยบาย"


def _news() -> int:
    if NewsPost.objects.filter(is_example=True).exists():
        return 0
    practices = list(Practice.objects.published().order_by("pk")[:2])
    transfers = list(TransferProject.objects.order_by("pk")[:1])
    now = timezone.now()
    added = 0
    for days, (title, summary) in enumerate(LEAGUE_NEWS):
        post = NewsPost(title=f"{hooks.EXAMPLE_MARK} {title}", summary=summary, body=BODY, is_example=True,
                        status=PostStatus.PUBLISHED, published_at=now - timedelta(days=days * 7 + 1))
        services.save_post(post, acting_user=None, links={
            "practices": practices, "transfers": transfers if days else [],
            "themes": sorted({theme for practice in practices for theme in practice.themes.all()},
                             key=lambda theme: theme.pk)})
        added += 1
    for centre in LearningCentre.objects.select_related("region").order_by("region__code"):
        events = list(Event.objects.filter(centre=centre, is_example=True).order_by("starts_at")[:1])
        post = NewsPost(centre=centre, title=f"{hooks.EXAMPLE_MARK} {centre.name} ชวนร่วมกิจกรรมแลกเปลี่ยนเรียนรู้",
                        summary="ศูนย์เครือข่ายการเรียนรู้ประจำภาคเชิญเทศบาลในภูมิภาคร่วมกิจกรรมครั้งถัดไป",
                        body=BODY, is_example=True, status=PostStatus.PUBLISHED, published_at=now - timedelta(days=3))
        services.save_post(post, acting_user=None, links={"events": events})
        added += 1
    return added


def _shared_indicators() -> list:
    """The data hub's waste indicators reported by LGUs (the data hub's demo loads first)."""
    return list(Indicator.objects.filter(theme=IndicatorTheme.WASTE, unit_level=AreaLevel.LGU).order_by("code")[:3])


def _undertaking() -> int:
    existing = JointUndertaking.objects.filter(is_example=True).first()
    if existing is not None:
        if existing.indicators.exists() or not _shared_indicators():
            return 0
        services.save_undertaking(existing, acting_user=None, indicators=_shared_indicators())
        return 1
    # Neighbours: the located LGUs of the province (else the region) that has the most of them.
    located = Lgu.objects.filter(latitude__isnull=False)
    province = (located.values("province").annotate(count=Count("pk")).order_by("-count", "province")
                .values_list("province", flat=True).first())
    if province is None:
        return 0
    lead = located.filter(province=province).order_by("code").first()
    neighbours = located.exclude(pk=lead.pk).order_by("code")
    members = (list(neighbours.filter(province=province)[:3])
               or list(neighbours.filter(province__region=lead.province.region)[:3]))
    undertaking = JointUndertaking(
        title=f"{hooks.EXAMPLE_MARK} ศูนย์กำจัดขยะมูลฝอยรวมของกลุ่มเทศบาล{lead.province.name}",
        purpose="ตัวอย่างสำหรับการสาธิตระบบ: เทศบาลใกล้เคียงร่วมกันลงทุนและบริหารศูนย์กำจัดขยะมูลฝอยแห่งเดียว "
                "แบ่งค่าใช้จ่ายตามปริมาณขยะที่ส่งเข้า และร่วมกันลดขยะต้นทาง",
        lead_lgu=lead, start_date=date(2024, 10, 1), is_example=True)
    services.save_undertaking(undertaking, acting_user=None, members=members,
                              practices=list(Practice.objects.published().filter(lgu=lead).order_by("pk")[:1]),
                              indicators=_shared_indicators())
    return 1


@transaction.atomic
def load() -> int:
    """Add what is missing; return how many rows were added."""
    return _news() + _undertaking()
