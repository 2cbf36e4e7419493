"""Demo data: example events at each of the seed's five learning centres and an example course.

The centres themselves are the seed's (loaded by the places app). The events and the course are
made up to show how the network works: each is marked as example data (hooks.EXAMPLE_MARK in its
title and `is_example`). Centre hosts and staff are left as the seed has them: not recorded.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from thetsaban import hooks
from thetsaban.accounts.services import save_audited
from thetsaban.directory.models import Organisation
from thetsaban.learning import services
from thetsaban.learning.choices import EventKind, EventStatus
from thetsaban.learning.models import Course, Event, Module
from thetsaban.places.models import LearningCentre, Lgu
from thetsaban.practices.models import Practice

# (kind, Thai title, days from today, start hour, hours long, capacity, online)
EVENTS = [
    (EventKind.TRAINING, "อบรมการถ่ายทอดแนวปฏิบัติที่ดีด้านการจัดการขยะ", 14, 9, 7, 30, False),
    (EventKind.ONLINE, "สัมมนาออนไลน์ แลกเปลี่ยนประสบการณ์เมืองนำร่อง", 21, 13, 2, None, True),
    (EventKind.FORUM, "เวทีเครือข่ายการเรียนรู้ระดับภาค", -30, 9, 6, 80, False),
]


def _at(days: int, hour: int):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _events(centre) -> int:
    if Event.objects.filter(centre=centre, is_example=True).exists():
        return 0
    host = (Lgu.objects.filter(province__region=centre.region, latitude__isnull=False)
            .order_by("code").first())
    added = 0
    for kind, title, days, hour, hours, capacity, online in EVENTS:
        starts = _at(days, hour)
        event = Event(
            centre=centre, kind=kind, status=EventStatus.PUBLISHED, is_example=True,
            title=f"{hooks.EXAMPLE_MARK} {title}",
            description="กิจกรรมตัวอย่างสำหรับการสาธิตระบบ ไม่ใช่กิจกรรมจริง",
            starts_at=starts, ends_at=starts + timedelta(hours=hours), capacity=capacity,
            online_url=f"https://example.org/learning/{centre.region.code}" if online else "",
            host_lgu=None if online or host is None else host,
            place_name="" if online or host else centre.name)
        services.save_event(event, acting_user=None)
        added += 1
    return added


def _course() -> int:
    title = f"{hooks.EXAMPLE_MARK} หลักสูตรการถ่ายทอดแนวปฏิบัติที่ดีด้านการจัดการเมืองและสิ่งแวดล้อม"
    if Course.objects.filter(is_example=True, title=title).exists():
        return 0
    course = services.save_course(Course(
        title=title, is_published=True, is_example=True,
        provider=Organisation.objects.filter(code="academic-regional").first(),
        summary="หลักสูตรตัวอย่างสำหรับการสาธิตระบบ: เรียนจากแนวปฏิบัติที่ดีของเทศบาลสมาชิกเป็นกรณีศึกษา",
        outcomes="อธิบายขั้นตอนการถ่ายทอดแนวปฏิบัติที่ดีได้\nวางแผนการนำแนวปฏิบัติไปใช้ในพื้นที่ของตนได้"),
        acting_user=None)
    practices = list(Practice.objects.published().order_by("pk")[:4])
    modules = [("การเลือกแนวปฏิบัติที่เหมาะกับพื้นที่", practices[:2]),
               ("การวางแผนและติดตามผลการถ่ายทอด", practices[2:4])]
    for position, (module_title, cases) in enumerate(modules, 1):
        save_audited(Module(course=course, position=position, title=module_title,
                            outcomes="ระบุปัจจัยความสำเร็จของกรณีศึกษาได้"),
                     acting_user=None, m2m={"practices": [case.pk for case in cases]})
    return 1 + len(modules)


@transaction.atomic
def load() -> int:
    """Add what is missing; return how many rows were added."""
    added = 0
    for centre in LearningCentre.objects.select_related("region").order_by("region__code"):
        added += _events(centre)
    added += _course()
    return added
