"""Shared data of the transfers tests: a published source practice, a project adopting it,
an assigned coach and a coach of another project (all marked as example data)."""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from thetsaban.accounts.models import User
from thetsaban.coaching.choices import AssignmentRole, CoachStatus
from thetsaban.coaching.models import Assignment, Coach
from thetsaban.directory.choices import Visibility
from thetsaban.directory.models import Person
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.demo import load_themes
from thetsaban.practices.models import Practice, Theme
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.models import Milestone, TransferProject


def make_practice(lgu, status=ReviewStatus.PUBLISHED, **fields):
    """A practice stored directly, published unless told otherwise."""
    now = timezone.now()
    values = {"title_th": "ศูนย์บริการประชาชนแบบเบ็ดเสร็จ (ข้อมูลตัวอย่าง)", "summary": "ข้อมูลตัวอย่าง",
              "status": status, "is_example": True}
    if status == ReviewStatus.PUBLISHED:
        values.update(tier=Tier.GOOD, published_at=now, submitted_at=now)
    values.update(fields)
    practice = Practice.objects.create(lgu=lgu, **values)
    practice.themes.set(Theme.objects.filter(code="governance"))
    return practice


def make_project(lgu, source=None, **fields):
    values = {"title": "โครงการตัวอย่าง (ข้อมูลตัวอย่าง)", "is_example": True,
              "theme": Theme.objects.get(code="governance")}
    values.update(fields)
    return TransferProject.objects.create(target_lgu=lgu, source_practice=source, **values)


def make_coach(username, province, password, project=None):
    """A coach with an account, assigned to `project` if given."""
    user = User.objects.create(username=username, password=password)
    person = Person.objects.create(name_th=f"วิทยากร {username} (ตัวอย่าง)", listing_consent=True,
                                   visibility=Visibility.PUBLIC, is_example=True)
    coach = Coach.objects.create(person=person, user=user, home_province=province,
                                 status=CoachStatus.APPROVED, is_example=True)
    if project is not None:
        Assignment.objects.create(coach=coach, project=project, role=AssignmentRole.LEAD)
    return coach


class TransferTestCase(ThetsabanTestCase):
    """self.project: self.lgu adopts a practice of self.other_lgu, coached by self.coach_user;
    self.other_project belongs to self.other_lgu and is coached by self.other_coach_user."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_themes()
        hashed = make_password(cls.password)
        cls.source = make_practice(cls.other_lgu)
        cls.project = make_project(cls.lgu, cls.source)
        cls.other_project = make_project(cls.other_lgu, title="โครงการอื่น (ข้อมูลตัวอย่าง)")
        cls.coach = make_coach("coach", cls.lgu.province, hashed, cls.project)
        cls.coach_user = cls.coach.user
        cls.other_coach = make_coach("othercoach", cls.other_lgu.province, hashed, cls.other_project)
        cls.other_coach_user = cls.other_coach.user
        cls.milestone = Milestone.objects.create(project=cls.project, title="ตั้งคณะทำงาน (ตัวอย่าง)")
