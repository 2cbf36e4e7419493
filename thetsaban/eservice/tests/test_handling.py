from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry
from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.models import Organisation
from thetsaban.eservice import services
from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import MeToo, ResponseTemplate, ServiceRequest, Update
from thetsaban.eservice.tests.base import EserviceTestCase, jpeg

INBOX = reverse("eservice:inbox")


class InboxTests(EserviceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.item = cls.report(cls, contact_email="citizen@example.org")
        cls.late = cls.report(cls, service=cls.drains, answers={},
                              requested_at=timezone.now() - timedelta(days=10))
        cls.elsewhere = cls.report(cls, service=cls.other_lights, answers={}, lat=19.91, lon=99.84)

    def handle(self, item, **data):
        return self.client.post(reverse("eservice:handle", args=[item.pk]), data)

    def test_the_inbox_lists_only_the_lgus_own_requests_with_sla_clocks(self):
        self.login(self.editor)
        response = self.client.get(INBOX)
        self.assertContains(response, f"#{self.item.pk}")
        self.assertNotContains(response, f"#{self.elsewhere.pk}<")
        self.assertContains(response, "overdue")
        overdue = self.client.get(INBOX, {"overdue": "true"})
        self.assertContains(overdue, f"#{self.late.pk}")
        self.assertNotContains(overdue, f'href="/eservice/requests/{self.item.pk}/"')

    def test_another_lgus_editor_sees_only_their_own_inbox(self):
        self.login(self.outsider)
        response = self.client.get(INBOX, {"lgu": self.lgu.code})
        self.assertContains(response, f"#{self.elsewhere.pk}")
        self.assertNotContains(response, f'href="/eservice/requests/{self.item.pk}/"')

    def test_a_member_sees_their_own_requests_instead(self):
        self.login(self.reporter)
        response = self.client.get(INBOX)
        self.assertContains(response, "My requests")
        self.assertContains(response, f"#{self.item.pk}")

    def test_anonymous_is_sent_to_sign_in(self):
        self.assertEqual(self.client.get(INBOX).status_code, 302)

    def test_the_inbox_query_count_does_not_grow_with_the_requests(self):
        self.login(self.editor)
        for _i in range(5):
            self.report(answers={}, service=self.drains, lat=7.2, lon=100.6)
        first = self._queries()
        for _i in range(10):
            self.report(answers={}, service=self.drains, lat=7.21, lon=100.61)
        self.assertEqual(self._queries(), first)

    def _queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(INBOX).status_code, 200)
        return len(context.captured_queries)

    def test_staff_acknowledge_with_a_public_note_and_the_reporter_is_told(self):
        self.login(self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.handle(self.item, status="acknowledged", note="รับเรื่องแล้ว", internal_note="ส่งช่างไฟ")
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, Status.ACKNOWLEDGED)
        self.assertIsNotNone(self.item.acknowledged_at)
        self.assertEqual(mail.outbox[-1].to, ["citizen@example.org"])
        self.assertIn("รับเรื่องแล้ว", mail.outbox[-1].body)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(self.item.pk), action="update", actor=self.editor).exists())
        self.login(None)
        public = self.client.get(self.item.get_absolute_url())
        self.assertContains(public, "รับเรื่องแล้ว")
        self.assertNotContains(public, "ส่งช่างไฟ")

    def test_fixed_needs_an_after_photo_or_a_written_account(self):
        self.login(self.editor)
        self.handle(self.item, status="fixed")
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, Status.OPEN)
        self.client.post(reverse("eservice:handle", args=[self.item.pk]),
                         {"status": "fixed", "after_photo": jpeg(gps=True)})
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, Status.FIXED)
        self.assertEqual(self.item.photos.get().kind, "after")

    def test_closed_without_fix_needs_a_reason_and_duplicate_needs_the_original(self):
        self.login(self.editor)
        self.handle(self.item, status="closed")
        self.handle(self.late, status="duplicate", duplicate_of=self.elsewhere.pk)
        self.handle(self.late, status="referred")
        self.assertEqual(ServiceRequest.objects.filter(status=Status.OPEN).count(), 3)
        self.handle(self.item, status="closed", reason="ไม่ใช่ทรัพย์สินของเทศบาล")
        self.handle(self.late, status="duplicate", duplicate_of=self.item.pk)
        self.item.refresh_from_db()
        self.late.refresh_from_db()
        self.assertEqual((self.item.status, self.late.status), (Status.CLOSED, Status.DUPLICATE))
        self.assertEqual(self.late.duplicate_of, self.item)
        self.handle(self.elsewhere, status="referred", referred_to="การไฟฟ้าส่วนภูมิภาค")
        self.assertEqual(ServiceRequest.objects.get(pk=self.elsewhere.pk).status, Status.OPEN)

    def test_referral_names_who_takes_it(self):
        self.login(self.editor)
        self.handle(self.item, status="referred", referred_to="การไฟฟ้าส่วนภูมิภาค")
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.referred_to), (Status.REFERRED, "การไฟฟ้าส่วนภูมิภาค"))

    def test_people_outside_the_lgu_cannot_handle_its_requests(self):
        for user, expected in ((self.outsider, 403), (self.member, 403), (self.reporter, 403), (None, 302)):
            self.login(user)
            response = self.handle(self.item, status="acknowledged", note="x")
            self.assertEqual(response.status_code, expected, user)
            response = self.client.post(reverse("eservice:assign", args=[self.item.pk]), {})
            self.assertEqual(response.status_code, expected, user)
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).status, Status.OPEN)
        self.assertEqual(Update.objects.filter(request=self.item).count(), 1)

    def test_league_staff_may_handle_any_lgus_request(self):
        self.login(self.staff)
        self.handle(self.elsewhere, status="in_progress")
        self.assertEqual(ServiceRequest.objects.get(pk=self.elsewhere.pk).status, Status.IN_PROGRESS)

    def test_assign_to_an_office_and_a_staff_member_of_the_lgu(self):
        office = Organisation.objects.create(name_th="กองช่าง", kind=OrganisationKind.LGU_OFFICE, lgu=self.lgu) \
            if hasattr(OrganisationKind, "LGU_OFFICE") else Organisation.objects.create(name_th="กองช่าง", lgu=self.lgu)
        self.login(self.editor)
        self.client.post(reverse("eservice:assign", args=[self.item.pk]), {"office": office.pk, "user": self.editor.pk})
        self.item.refresh_from_db()
        self.assertEqual((self.item.assigned_office, self.item.assigned_to), (office, self.editor))
        self.client.post(reverse("eservice:assign", args=[self.item.pk]), {"user": self.outsider.pk})
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).assigned_to, self.editor)
        self.assertContains(self.client.get(INBOX, {"mine": "true"}), f"#{self.item.pk}")

    def test_a_response_template_fills_the_public_note(self):
        template = ResponseTemplate.objects.create(lgu=self.lgu, title="รับเรื่อง", text="ขอบคุณ เราได้รับเรื่องแล้ว")
        self.login(self.editor)
        self.handle(self.item, status="acknowledged", template=template.pk)
        self.assertTrue(Update.objects.filter(request=self.item, note="ขอบคุณ เราได้รับเรื่องแล้ว").exists())

    def test_bulk_actions_change_only_the_lgus_ticked_requests(self):
        self.login(self.editor)
        self.client.post(INBOX, {"ids": [self.item.pk, self.late.pk, self.elsewhere.pk], "status": "in_progress",
                                 "note": "กำลังดำเนินการ"})
        statuses = dict(ServiceRequest.objects.values_list("pk", "status"))
        self.assertEqual(statuses[self.item.pk], Status.IN_PROGRESS)
        self.assertEqual(statuses[self.late.pk], Status.IN_PROGRESS)
        self.assertEqual(statuses[self.elsewhere.pk], Status.OPEN)


class FixedMeansFixedTests(EserviceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.item = cls.report(cls)
        services.change_status(cls.item, acting_user=cls.editor, status=Status.FIXED, reason="เปลี่ยนหลอดไฟแล้ว")
        MeToo.objects.create(request=cls.item, user=cls.neighbour, email=cls.neighbour.email)

    def reject(self, **data):
        return self.client.post(reverse("eservice:reject_fix", args=[self.item.pk]), data)

    def test_the_reporter_rejects_the_fix_and_it_reopens(self):
        self.login(self.reporter)
        self.assertContains(self.client.get(self.item.get_absolute_url()), "Not fixed?")
        with self.captureOnCommitCallbacks(execute=True):
            self.reject(reason="ยังดับอยู่")
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.fix_rejections), (Status.OPEN, 1))
        self.assertIsNone(self.item.fixed_at)
        self.assertIn("neighbour@example.org", {to for message in mail.outbox for to in message.to})

    def test_the_reporters_private_link_works_without_signing_in(self):
        self.assertNotContains(self.client.get(self.item.get_absolute_url()), "Not fixed?")
        self.assertContains(self.client.get(self.item.get_absolute_url(), {"key": self.item.reporter_key}),
                            "Not fixed?")
        self.reject(reason="ยังดับอยู่", key=str(self.item.reporter_key))
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).status, Status.OPEN)

    def test_a_me_too_person_may_reject(self):
        self.login(self.neighbour)
        self.reject(reason="ยังดับอยู่")
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).fix_rejections, 1)

    def test_others_cannot_reject_a_fix(self):
        for user in (None, self.member, self.outsider):
            self.login(user)
            self.assertEqual(self.reject(reason="x", key="wrong").status_code, 403)
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).status, Status.FIXED)

    def test_a_fix_cannot_be_rejected_after_14_days(self):
        ServiceRequest.objects.filter(pk=self.item.pk).update(fixed_at=timezone.now() - timedelta(days=15))
        self.login(self.reporter)
        self.assertEqual(self.reject(reason="ยังดับอยู่").status_code, 403)
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).status, Status.FIXED)


class StatisticsTests(EserviceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        start = timezone.now() - timedelta(days=3)
        fast = cls.report(cls, requested_at=start)
        slow = cls.report(cls, service=cls.drains, answers={}, requested_at=start, lat=7.2, lon=100.6)
        cls.report(cls, service=cls.drains, answers={}, lat=7.21, lon=100.61)
        cls.report(cls, service=cls.other_lights, answers={}, lat=19.91, lon=99.84)
        services.change_status(fast, acting_user=cls.editor, status=Status.FIXED, reason="ok",
                               when=start + timedelta(hours=10))
        services.change_status(slow, acting_user=cls.editor, status=Status.FIXED, reason="ok",
                               when=start + timedelta(hours=80))
        services.reject_fix(fast, user=cls.reporter, reason="ยังไม่ได้ซ่อม")
        services.change_status(fast, acting_user=cls.editor, status=Status.FIXED, reason="ซ่อมใหม่",
                               when=start + timedelta(hours=30))

    def test_the_public_page_shows_received_median_sla_share_and_rejections(self):
        response = self.client.get(reverse("eservice:stats", args=[self.jurisdiction.jurisdiction_id]))
        total = response.context["report"]["total"]
        self.assertEqual(total["received"], 3)
        self.assertEqual(total["fixed"], 2)
        self.assertEqual(total["median_hours"], 55.0)  # 30 h and 80 h
        self.assertEqual(total["within_sla"], 50.0)  # lights in 72 h yes, drains in 72 h no
        self.assertEqual(total["rejected"], 50.0)
        self.assertContains(response, "<svg")
        self.assertContains(response, "Street lights")
        self.assertEqual(len(response.context["report"]["per_month"]), len(
            {r.requested_at.month for r in ServiceRequest.objects.filter(lgu=self.lgu)}))

    def test_each_service_and_local_month_matches_a_count_by_hand(self):
        import random
        import statistics
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from thetsaban.eservice import stats

        rng = random.Random(5)
        bangkok = ZoneInfo("Asia/Bangkok")
        # 31 January 20:00 UTC is 1 February 03:00 in Bangkok: February's on the page.
        moments = [datetime(2026, 1, 31, 20, 0, tzinfo=ZoneInfo("UTC")), datetime(2026, 1, 31, 16, 59, tzinfo=ZoneInfo("UTC"))]
        moments += [timezone.now() - timedelta(hours=rng.randrange(24 * 400)) for _i in range(60)]
        for start in moments:
            service = rng.choice([self.lights, self.drains])
            status = rng.choice([Status.OPEN, Status.FIXED, Status.FIXED, Status.CLOSED])
            fixed = start + timedelta(minutes=rng.randrange(60 * 200)) if status == Status.FIXED else None
            ServiceRequest.objects.create(
                lgu=self.lgu, service=service, status=status, requested_at=start, updated_at=start,
                fixed_at=fixed, ack_due_at=start, fix_due_at=start + timedelta(hours=service.fix_hours),
                fix_rejections=rng.choice([0, 0, 1]), hidden=rng.random() < 0.1)
        rows = list(ServiceRequest.objects.filter(lgu=self.lgu, hidden=False))

        def by_hand(group):
            fixed = [r for r in group if r.status == Status.FIXED]
            ever = [r for r in group if r.status == Status.FIXED or r.fix_rejections]
            hours = [(r.fixed_at - r.requested_at).total_seconds() / 3600 for r in fixed]
            return {"received": len(group), "fixed": len(fixed),
                    "median_hours": round(statistics.median(hours), 1) if hours else None,
                    "within_sla": round(100 * sum(r.fixed_at <= r.fix_due_at for r in fixed) / len(fixed), 1)
                    if fixed else None,
                    "rejected": round(100 * sum(r.fix_rejections > 0 for r in ever) / len(ever), 1) if ever else None}

        def month(r):
            return r.requested_at.astimezone(bangkok).date().replace(day=1)

        report = stats.lgu_report(self.lgu)
        keys = ["received", "fixed", "median_hours", "within_sla", "rejected"]
        self.assertEqual({k: report["total"][k] for k in keys}, by_hand(rows))
        self.assertEqual([{k: row[k] for k in ["label", *keys]} for row in report["per_month"]],
                         [{"label": m, **by_hand([r for r in rows if month(r) == m])}
                          for m in sorted({month(r) for r in rows})])
        self.assertEqual([{k: row[k] for k in ["label", *keys]} for row in report["per_service"]],
                         [{"label": s.name, **by_hand([r for r in rows if r.service_id == s.pk])}
                          for s in sorted({r.service for r in rows}, key=lambda s: s.pk)])
        february = next(row for row in report["per_month"] if row["label"].isoformat() == "2026-02-01")
        self.assertGreaterEqual(february["received"], 1)

    def test_an_unknown_lgu_has_no_statistics(self):
        self.assertEqual(self.client.get(reverse("eservice:stats", args=["nowhere"])).status_code, 404)


class PublicListTests(EserviceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.item = cls.report(cls)
        cls.elsewhere = cls.report(cls, service=cls.other_lights, answers={}, lat=19.91, lon=99.84)

    def test_the_national_list_and_map_show_every_lgu(self):
        response = self.client.get(reverse("eservice:list"))
        self.assertContains(response, f"#{self.item.pk}")
        self.assertContains(response, f"#{self.elsewhere.pk}")
        points = self.client.get(reverse("eservice:map")).json()
        self.assertEqual({p["id"] for p in points["points"]}, {self.item.pk, self.elsewhere.pk})

    def test_the_lgu_list_filters_by_service_and_status(self):
        url = reverse("eservice:lgu", args=[self.jurisdiction.jurisdiction_id])
        self.assertContains(self.client.get(url, {"service": "street_lights"}), f"#{self.item.pk}")
        self.assertNotContains(self.client.get(url, {"service": "drains_flooding"}), f'href="/eservice/requests/{self.item.pk}/"')
        self.assertNotContains(self.client.get(url, {"state": "closed"}), f'href="/eservice/requests/{self.item.pk}/"')
        self.assertNotContains(self.client.get(url), f'href="/eservice/requests/{self.elsewhere.pk}/"')
        self.assertEqual(self.client.get(url, {"status": "nonsense"}).status_code, 200)

    def test_many_points_are_clustered(self):
        from thetsaban.eservice import stats

        body = stats.map_points(ServiceRequest.objects.all(), limit=1)
        self.assertTrue(body["clustered"])
        self.assertEqual(sum(p["count"] for p in body["points"]), 2)

    def test_the_timeline_is_public(self):
        services.change_status(self.item, acting_user=self.editor, status=Status.IN_PROGRESS, note="กำลังซ่อม")
        response = self.client.get(self.item.get_absolute_url())
        self.assertContains(response, "กำลังซ่อม")
        self.assertContains(response, "Request received.")
