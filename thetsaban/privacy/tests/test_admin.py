"""The PDPA records in the administration: league staff read them and change them only through
the privacy services (four eyes, the rules, an audit entry); the erasures, the requests' own
fields and the retention runs are ledgers nobody edits; nobody else gets in."""

from datetime import timedelta

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.eservice.models import ServiceRequest
from thetsaban.privacy import ledger, services
from thetsaban.privacy.choices import BreachRisk, RequestKind, RequestStatus
from thetsaban.privacy.models import Breach, Erasure, SubjectRequest
from thetsaban.privacy.register import Subject
from thetsaban.privacy.retention import apply_retention
from thetsaban.privacy.tests.base import PrivacyTestCase

REQUESTS = reverse("admin:privacy_subjectrequest_changelist")
BREACHES = reverse("admin:privacy_breach_changelist")
ERASURES = reverse("admin:privacy_erasure_changelist")
REGISTER = reverse("admin:privacy_register")


class PrivacyAdminTestCase(PrivacyTestCase):
    def setUp(self):
        super().setUp()
        self.breach = Breach.objects.create(
            title="ตัวอย่าง (example data) อีเมลส่งผิดกลุ่ม", description="ส่งรายชื่อผู้แจ้งไปผิดกลุ่ม",
            discovered_at=timezone.now() - timedelta(hours=5), data_affected="ชื่อ อีเมล", risk=BreachRisk.RISK)

    def act(self, action, pks, **data):
        return self.client.post(REQUESTS, {"action": action, "_selected_action": pks, **data}, follow=True)

    def shown(self, response):
        return [str(m) for m in response.context["messages"]]


class PrivacyAdminAccessTests(PrivacyAdminTestCase):
    def test_staff_see_the_requests_breaches_erasures_and_the_register(self):
        made = services.file_request(self.reporter, kind=RequestKind.ACCESS, acting_user=self.reporter)
        self.login(self.staff)
        self.assertContains(self.client.get(REQUESTS), made.reference)
        self.assertContains(self.client.get(REQUESTS), REGISTER)
        self.assertContains(self.client.get(reverse("admin:privacy_subjectrequest_change", args=[made.pk])),
                            made.get_absolute_url())
        self.assertContains(self.client.get(BREACHES), "อีเมลส่งผิดกลุ่ม")
        self.assertEqual(self.client.get(ERASURES).status_code, 200)
        register = self.client.get(REGISTER)
        self.assertContains(register, "accounts.DeletionRequest")
        self.assertContains(register, "eservice.ServiceRequest")
        self.assertContains(self.client.get(reverse("admin:app_list", args=["privacy"])), "breaches")

    def test_members_editors_of_either_lgu_and_anonymous_visitors_are_kept_out(self):
        made = services.file_request(self.reporter, kind=RequestKind.ERASURE, acting_user=self.reporter)
        # Even model permissions given by mistake let nobody but staff in.
        self.editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="privacy"))
        pages = [REQUESTS, BREACHES, ERASURES, REGISTER, reverse("admin:app_list", args=["privacy"]),
                 reverse("admin:privacy_subjectrequest_change", args=[made.pk]),
                 reverse("admin:privacy_breach_change", args=[self.breach.pk])]
        for user in (None, self.reporter, self.editor, self.outsider):
            self.login(user)
            for url in pages:
                with self.subTest(user=getattr(user, "username", "anonymous"), url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 302)
                    self.assertIn(reverse("admin:login"), response["Location"])
            response = self.act("complete_requests", [made.pk], confirm="yes", outcome="")
            self.assertNotContains(response, made.reference)
        made.refresh_from_db()
        self.assertEqual(made.status, RequestStatus.OPEN)
        self.assertTrue(User.objects.filter(pk=self.reporter.pk).exists())

    def test_staff_without_superuser_rights_see_them_too(self):
        self.second_staff.is_superuser = False
        self.second_staff.save()
        self.login(self.second_staff)
        for url in (REQUESTS, BREACHES, ERASURES, REGISTER):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)


class PrivacyAdminChangeTests(PrivacyAdminTestCase):
    def test_completing_an_erasure_in_the_admin_erases_through_the_service_audited(self):
        made = services.file_request(self.reporter, kind=RequestKind.ERASURE, acting_user=self.reporter)
        self.login(self.staff)
        form = self.act("complete_requests", [made.pk])
        self.assertContains(form, "an erasure erases the person now")
        self.assertEqual(SubjectRequest.objects.get(pk=made.pk).status, RequestStatus.OPEN)
        response = self.act("complete_requests", [made.pk], confirm="yes", outcome="")
        self.assertIn("1 requests completed.", self.shown(response))
        made.refresh_from_db()
        self.assertEqual((made.status, made.decided_by), (RequestStatus.COMPLETED, self.staff))
        self.assertFalse(User.objects.filter(pk=self.reporter.pk).exists())
        self.assertEqual(Erasure.objects.get().request, made)
        self.assertTrue(AuditEntry.objects.for_object(made).filter(actor=self.staff, action="update").exists())

    def test_four_eyes_hold_in_the_admin_the_recorder_cannot_decide(self):
        made = services.record_request(kind=RequestKind.ERASURE, subject=self.reporter, identity_method="id_card",
                                       identity_note="บัตรประชาชน", acting_user=self.staff)
        self.login(self.staff)
        response = self.act("complete_requests", [made.pk], confirm="yes", outcome="")
        self.assertTrue(any(made.reference in m and "You cannot approve your own work" in m
                            for m in self.shown(response)), self.shown(response))
        made.refresh_from_db()
        self.assertEqual(made.status, RequestStatus.OPEN)
        self.assertTrue(User.objects.filter(pk=self.reporter.pk).exists())
        self.login(self.second_staff)
        self.act("complete_requests", [made.pk], confirm="yes", outcome="")
        made.refresh_from_db()
        self.assertEqual((made.status, made.decided_by), (RequestStatus.COMPLETED, self.second_staff))

    def test_a_refusal_needs_its_reason_and_a_correction_what_was_done(self):
        refused = services.file_request(self.reporter, kind=RequestKind.OBJECTION, details="ไม่ต้องการอีเมล",
                                        acting_user=self.reporter)
        corrected = services.file_request(self.reporter, kind=RequestKind.CORRECTION, details="สะกดชื่อผิด",
                                          acting_user=self.reporter)
        self.login(self.staff)
        self.assertContains(self.act("refuse_requests", [refused.pk], confirm="yes", refusal_reason=""),
                            "Give the reason for the refusal.")
        self.act("refuse_requests", [refused.pk], confirm="yes", refusal_reason="ต้องเก็บตามกฎหมาย s.24(6)")
        refused.refresh_from_db()
        self.assertEqual((refused.status, refused.refusal_reason), (RequestStatus.REFUSED, "ต้องเก็บตามกฎหมาย s.24(6)"))
        self.assertTrue(AuditEntry.objects.for_object(refused).filter(actor=self.staff).exists())
        response = self.act("complete_requests", [corrected.pk], confirm="yes", outcome="")
        self.assertTrue(any("Say what was corrected" in m for m in self.shown(response)))
        self.assertEqual(SubjectRequest.objects.get(pk=corrected.pk).status, RequestStatus.OPEN)

    def test_a_request_cannot_be_added_edited_or_deleted_in_the_admin(self):
        made = services.file_request(self.reporter, kind=RequestKind.ACCESS, acting_user=self.reporter)
        self.login(self.staff)
        change = reverse("admin:privacy_subjectrequest_change", args=[made.pk])
        self.assertNotContains(self.client.get(change), 'name="status"')
        refused = self.client.post(change, {"status": "completed", "outcome": "x"}, follow=True)
        self.assertTrue(any(m.startswith("Not saved") for m in self.shown(refused)))
        self.assertEqual(self.client.get(reverse("admin:privacy_subjectrequest_add")).status_code, 403)
        self.assertEqual(self.client.post(reverse("admin:privacy_subjectrequest_delete", args=[made.pk]),
                                          {"post": "yes"}).status_code, 403)
        made.refresh_from_db()
        self.assertEqual(made.status, RequestStatus.OPEN)

    def test_a_breach_is_recorded_and_changed_through_the_service_audited(self):
        self.login(self.staff)
        data = {"title": "ตัวอย่าง (example data) แล็ปท็อปหาย", "description": "แล็ปท็อปของเจ้าหน้าที่หาย",
                "discovered_at_0": timezone.localdate().isoformat(), "discovered_at_1": "00:01",
                "data_affected": "รายชื่อผู้แจ้ง", "people_affected": "40", "risk": "none", "measures": "",
                "no_notice_reason": ""}
        response = self.client.post(reverse("admin:privacy_breach_add"), data)
        self.assertContains(response, "Say why a breach without risk is not notified to the PDPC.")
        data["no_notice_reason"] = "ข้อมูลเข้ารหัสทั้งเครื่อง"
        self.client.post(reverse("admin:privacy_breach_add"), data)
        breach = Breach.objects.get(title__contains="แล็ปท็อป")
        self.assertEqual(breach.recorded_by, self.staff)
        self.assertTrue(AuditEntry.objects.for_object(breach).filter(actor=self.staff, action="create").exists())
        data["measures"] = "เปลี่ยนรหัสผ่านทั้งหมด"
        self.client.post(reverse("admin:privacy_breach_change", args=[breach.pk]), data)
        breach.refresh_from_db()
        self.assertEqual(breach.measures, "เปลี่ยนรหัสผ่านทั้งหมด")
        self.assertTrue(AuditEntry.objects.for_object(breach).filter(actor=self.staff, action="update").exists())

    def test_notifications_are_recorded_by_the_action_once_and_a_breach_stays_in_the_log(self):
        self.login(self.staff)
        response = self.client.post(BREACHES, {"action": "pdpc_notified", "_selected_action": [self.breach.pk]},
                                    follow=True)
        self.assertIn("The PDPC notification is recorded for 1 breaches.", self.shown(response))
        self.breach.refresh_from_db()
        self.assertIsNotNone(self.breach.pdpc_notified_at)
        self.assertFalse(self.breach.notified_late)
        entry = AuditEntry.objects.for_object(self.breach).get(actor=self.staff, action="update")
        self.assertIn("pdpc_notified_at", [change[0] for change in entry.changes])
        again = self.client.post(BREACHES, {"action": "pdpc_notified", "_selected_action": [self.breach.pk]},
                                 follow=True)
        self.assertTrue(any("the notification is already recorded" in m for m in self.shown(again)))
        delete = reverse("admin:privacy_breach_delete", args=[self.breach.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertNotContains(self.client.get(BREACHES), "delete_selected")
        self.assertTrue(Breach.objects.filter(pk=self.breach.pk).exists())

    def test_the_erasure_ledger_cannot_be_edited_or_deleted(self):
        subject = Subject.of(self.neighbour)
        erasure = ledger.append(subject, request=None, rows={"accounts.User": 1})
        self.login(self.staff)
        change = reverse("admin:privacy_erasure_change", args=[erasure.pk])
        page = self.client.get(change)
        self.assertContains(page, erasure.ledger_id)
        self.assertNotContains(page, 'name="rows"')
        refused = self.client.post(change, {"ledger_id": "x", "rows": "{}"}, follow=True)
        self.assertTrue(any(m.startswith("Not saved") for m in self.shown(refused)))
        self.assertEqual(self.client.get(reverse("admin:privacy_erasure_add")).status_code, 403)
        self.assertEqual(self.client.post(reverse("admin:privacy_erasure_delete", args=[erasure.pk]),
                                          {"post": "yes"}).status_code, 403)
        erasure.refresh_from_db()
        self.assertEqual(erasure.rows, {"accounts.User": 1})

    def test_the_register_page_lists_retention_runs_read_only(self):
        request = self.report_with_contacts()
        ServiceRequest.objects.filter(pk=request.pk).update(
            status="closed", closed_at=timezone.now() - timedelta(days=3 * 365))
        counts = apply_retention()
        self.assertEqual(counts.get("eservice.ServiceRequest"), 1)
        self.login(self.staff)
        page = self.client.get(REGISTER)
        self.assertContains(page, "retention: personal fields blanked after")
