"""Shared data for the calls tests: a call with two criteria, a jury of three (one of them an
editor of the first LGU), and entries of both LGUs."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from thetsaban.accounts.models import LguMembership, User
from thetsaban.calls import services
from thetsaban.calls.models import Call
from thetsaban.practices.choices import Maturity, ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme
from thetsaban.testing import ThetsabanTestCase


class CallsTestCase(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        hashed = make_password(cls.password)
        cls.staff2 = User.objects.create(username="staff2", is_staff=True, password=hashed)
        cls.juror = User.objects.create(username="juror", password=hashed)
        cls.juror2 = User.objects.create(username="juror2", password=hashed)
        cls.local_juror = User.objects.create(username="local-juror", password=hashed)
        LguMembership.objects.create(user=cls.local_juror, lgu=cls.lgu)
        cls.theme = Theme.objects.create(code="environment", name_th="สิ่งแวดล้อม", name_en="Environment")
        cls.other_theme = Theme.objects.create(code="budget", name_th="งบประมาณ", name_en="Budget")
        cls.practice = cls.make_practice(cls.lgu, "ธนาคารขยะชุมชน", published=True)
        cls.draft = cls.make_practice(cls.lgu, "ร่างโครงการปุ๋ยหมัก")
        cls.other_practice = cls.make_practice(cls.other_lgu, "ตลาดสีเขียว", published=True)
        cls.call = services.open_call(
            Call(title="รางวัลแนวปฏิบัติที่ดี 2569", deadline=timezone.now() + timedelta(days=10), winners=1),
            criteria=[("ผลลัพธ์", 60), ("นวัตกรรม", 40)], themes=[cls.theme], acting_user=cls.staff)
        cls.results, cls.innovation = list(cls.call.criteria.order_by("position"))
        for user in (cls.juror, cls.juror2, cls.local_juror):
            services.appoint_juror(cls.call, user, acting_user=cls.staff)
        cls.entry = services.enter_practice(cls.call, cls.practice, acting_user=cls.editor)
        cls.other_entry = services.enter_practice(cls.call, cls.other_practice, acting_user=cls.outsider)

    @classmethod
    def make_practice(cls, lgu, title, *, published=False, theme=None):
        practice = Practice.objects.create(
            lgu=lgu, title_th=title, summary="สรุป", maturity=Maturity.PILOT,
            status=ReviewStatus.PUBLISHED if published else ReviewStatus.DRAFT,
            tier=Tier.BEST if published else "", published_at=timezone.now() if published else None)
        practice.themes.add(theme or cls.theme)
        return practice

    def score(self, entry, user, results, innovation):
        services.declare_interest(entry, conflict=False, acting_user=user)
        return services.submit_scores(entry, {self.results.pk: results, self.innovation.pk: innovation},
                                      acting_user=user)

    def close(self, call=None):
        call = call or self.call
        Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(minutes=1))
        call.refresh_from_db()
        return call
