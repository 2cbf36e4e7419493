"""Shared data for the learning-network tests: the South centre (Songkhla's region) and the North
centre, a staff member of each, and published and draft events."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from thetsaban.accounts.models import User
from thetsaban.learning import services
from thetsaban.learning.choices import EventKind, EventStatus
from thetsaban.learning.models import Event
from thetsaban.places.models import LearningCentre
from thetsaban.testing import ThetsabanTestCase


def make_event(centre, *, days=10, capacity=2, status=EventStatus.PUBLISHED, **kwargs) -> Event:
    """An event of `centre` starting `days` from now (negative: in the past), saved as the system."""
    starts = timezone.now() + timedelta(days=days)
    values = {"centre": centre, "kind": EventKind.TRAINING, "status": status, "title": "อบรมการคัดแยกขยะ",
              "starts_at": starts, "ends_at": starts + timedelta(hours=6), "place_name": "ห้องประชุมเทศบาล",
              "capacity": capacity}
    values.update(kwargs)
    return services.save_event(Event(**values), acting_user=None)


class LearningTestCase(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.south = LearningCentre.objects.create(region=cls.lgu.province.region, name_th="ศูนย์เรียนรู้ภาคใต้",
                                                  name_en="South learning centre")
        cls.north = LearningCentre.objects.create(region=cls.other_lgu.province.region, name_th="ศูนย์เรียนรู้ภาคเหนือ",
                                                  name_en="North learning centre")
        hashed = make_password(cls.password)
        cls.south_staff = User.objects.create(username="south-staff", password=hashed)
        cls.north_staff = User.objects.create(username="north-staff", password=hashed)
        cls.second_member = User.objects.create(username="member2", password=hashed, email="member2@example.org")
        cls.third_member = User.objects.create(username="member3", password=hashed, email="member3@example.org",
                                               first_name="สมหญิง", last_name="ตัวอย่าง")
        services.grant_centre_staff(cls.south, cls.south_staff, acting_user=cls.staff)
        services.grant_centre_staff(cls.north, cls.north_staff, acting_user=cls.staff)
        cls.event = make_event(cls.south, host_lgu=cls.lgu)
        cls.draft = make_event(cls.south, status=EventStatus.DRAFT, title="ร่างกิจกรรม")
        cls.north_event = make_event(cls.north, title="เวทีภาคเหนือ", kind=EventKind.FORUM, capacity=None)
