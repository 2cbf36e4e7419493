"""Demo data: example events at each of the seed's five learning centres and an example course
with example enrolments.

The centres themselves are the seed's (loaded by the places app). The events and the course are
made up to show how the network works: each is marked as example data (hooks.EXAMPLE_MARK in its
title and `is_example`). Centre hosts and staff are left as the seed has them: not recorded.

The course's learners are the participation demo's example members (example-member-NN: no
password, no e-mail address), loaded before this app: one completed the course, one is under
way and one withdrew, each enrolment flagged `is_example`. The course is the league's (no centre)
and the demo records no staff, so the completion is recorded by the loader itself (the system, as
every demo write), through the same service as on the course's learners page. None of the
example members is a coach (the example coaches have no account), so no coach page lists it.
Loading twice adds nothing.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from thetsaban import hooks
from thetsaban.accounts.services import save_audited
from thetsaban.directory.models import Organisation
from thetsaban.learning import services
from thetsaban.learning.choices import EnrolmentStatus, EventKind, EventStatus
from thetsaban.learning.models import Course, Enrolment, Event, Module
from thetsaban.participation.demo import USERNAME as EXAMPLE_MEMBER
from thetsaban.places.models import LearningCentre, Lgu
from thetsaban.practices.models import Practice

# (kind, Thai title, days from today, start hour, hours long, capacity, online)
EVENTS = [
    (EventKind.TRAINING, "อบรมการถ่ายทอดแนวปฏิบัติที่ดีด้านการจัดการขยะ", 14, 9, 7, 30, False),
    (EventKind.ONLINE, "สัมมนาออนไลน์ แลกเปลี่ยนประสบการณ์เมืองนำร่อง", 21, 13, 2, None, True),
    (EventKind.FORUM, "เวทีเครือข่ายการเรียนรู้ระดับภาค", -30, 9, 6, 80, False),
]


COURSE_TITLE = f"{hooks.EXAMPLE_MARK} หลักสูตรการถ่ายทอดแนวปฏิบัติที่ดีด้านการจัดการเมืองและสิ่งแวดล้อม"

# The example course's learners: (example member number, days since they enrolled, modules they
# ticked, what became of the enrolment).
ENROLMENTS = [
    (3, 45, 2, EnrolmentStatus.COMPLETED),
    (5, 20, 1, EnrolmentStatus.ENROLLED),
    (6, 30, 1, EnrolmentStatus.WITHDRAWN),
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
    if Course.objects.filter(is_example=True, title=COURSE_TITLE).exists():
        return 0
    course = services.save_course(Course(
        title=COURSE_TITLE, is_published=True, is_example=True,
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


def _enrolments() -> int:
    """The example course's example learners that are missing (none before the participation
    demo has made its members)."""
    course = Course.objects.filter(is_example=True, title=COURSE_TITLE).first()
    if course is None:
        return 0
    User = get_user_model()
    modules = list(course.modules.order_by("position", "pk"))
    added = 0
    for number, days, ticked, status in ENROLMENTS:
        learner = User.objects.filter(username=EXAMPLE_MEMBER.format(n=number)).first()
        if learner is None or Enrolment.objects.filter(course=course, user=learner).exists():
            continue
        enrolment = save_audited(
            Enrolment(course=course, user=learner, is_example=True,
                      enrolled_at=timezone.now() - timedelta(days=days)),
            acting_user=None, note="demo (example data)",
            m2m={"modules_done": [module.pk for module in modules[:ticked]]})
        if status == EnrolmentStatus.COMPLETED:
            services.complete(enrolment, acting_user=None)
        elif status == EnrolmentStatus.WITHDRAWN:
            services.withdraw(enrolment, acting_user=None)
        added += 1
    return added


@transaction.atomic
def load() -> int:
    """Add what is missing; return how many rows were added."""
    added = 0
    for centre in LearningCentre.objects.select_related("region").order_by("region__code"):
        added += _events(centre)
    added += _course()
    added += _enrolments()
    return added
