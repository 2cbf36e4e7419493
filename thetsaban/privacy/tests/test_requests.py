"""A member's PDPA requests about their own data, staff recording one for someone else, the
decisions with four eyes, and the copy (ZIP of JSON and CSV) only the subject and staff get."""

import io
import json
import zipfile

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry
from thetsaban.privacy import services
from thetsaban.privacy.choices import IdentityMethod, RequestKind, RequestStatus
from thetsaban.privacy.models import SubjectRequest
from thetsaban.privacy.tests.base import PrivacyTestCase


class MemberRequestTests(PrivacyTestCase):
    def file(self, kind=RequestKind.ACCESS, user=None):
        user = user or self.reporter
        return services.file_request(user, kind=kind, acting_user=user)

    def test_a_member_asks_for_a_copy_and_sees_the_answer_date_30_days_later(self):
        self.login(self.reporter)
        response = self.client.post(reverse("privacy:request_new"), {"kind": "access", "details": ""}, follow=True)
        made = SubjectRequest.objects.get()
        self.assertEqual((made.due_on - timezone.localdate(made.received_at)).days, 30)
        self.assertEqual(made.identity_method, IdentityMethod.SIGNED_IN)
        self.assertContains(response, made.reference)
        self.assertContains(response, "Waiting for staff")
        self.assertNotContains(response, "What the register finds")
        self.assertTrue(AuditEntry.objects.for_object(made).filter(actor=self.reporter).exists())

    def test_thai_pages_show_the_due_date_in_the_buddhist_era(self):
        made = self.file()
        self.login(self.reporter)
        self.client.cookies["django_language"] = "th"
        page = self.client.get(made.get_absolute_url())
        self.assertContains(page, str(made.due_on.year + 543))
        self.assertNotContains(page, f"{made.due_on.year}</dd>")

    def test_a_second_open_request_of_the_same_kind_is_refused_with_a_message(self):
        self.file()
        self.login(self.reporter)
        response = self.client.post(reverse("privacy:request_new"), {"kind": "access"})
        self.assertContains(response, "You already have an open request of this kind")
        self.assertEqual(SubjectRequest.objects.count(), 1)

    def test_requests_pages_ask_anonymous_visitors_to_sign_in(self):
        made = self.file()
        for url in (reverse("privacy:home"), reverse("privacy:request_new"), made.get_absolute_url(),
                    reverse("privacy:request_export", args=[made.pk])):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("accounts:login"), response["Location"])

    def test_another_member_and_another_lgus_editor_do_not_see_the_request(self):
        made = self.file()
        for user in (self.neighbour, self.outsider, self.editor):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(made.get_absolute_url()).status_code, 404)
                self.assertNotContains(self.client.get(reverse("privacy:home")), made.reference)
                self.assertEqual(self.client.post(reverse("privacy:request_withdraw", args=[made.pk])).status_code, 404)

    def test_the_member_withdraws_an_open_request(self):
        made = self.file()
        self.login(self.reporter)
        self.client.post(reverse("privacy:request_withdraw", args=[made.pk]))
        made.refresh_from_db()
        self.assertEqual(made.status, RequestStatus.WITHDRAWN)

    def test_staff_queue_lists_open_requests_by_due_date_and_marks_overdue_ones(self):
        late = self.file()
        SubjectRequest.objects.filter(pk=late.pk).update(due_on=late.due_on.replace(year=late.due_on.year - 1))
        self.login(self.staff)
        page = self.client.get(reverse("privacy:queue"))
        self.assertContains(page, late.reference)
        self.assertContains(page, "overdue")
        for user in (self.reporter, self.editor, self.outsider):
            self.login(user)
            self.assertEqual(self.client.get(reverse("privacy:queue")).status_code, 403)


class DecisionTests(PrivacyTestCase):
    def test_refusing_needs_a_reason_which_the_member_reads(self):
        made = services.file_request(self.reporter, kind=RequestKind.OBJECTION, details="ไม่ต้องการอีเมล",
                                     acting_user=self.reporter)
        self.login(self.staff)
        url = reverse("privacy:request_decide", args=[made.pk])
        page = self.client.post(url, {"decision": "refuse", "refusal_reason": ""}, follow=True)
        self.assertContains(page, "Give the reason for the refusal.")
        self.client.post(url, {"decision": "refuse", "refusal_reason": "Kept under s.24(6)."})
        made.refresh_from_db()
        self.assertEqual(made.status, RequestStatus.REFUSED)
        self.login(self.reporter)
        self.assertContains(self.client.get(made.get_absolute_url()), "Kept under s.24(6).")

    def test_a_correction_is_completed_only_with_what_was_done(self):
        made = services.file_request(self.reporter, kind=RequestKind.CORRECTION, details="สะกดชื่อผิด",
                                     acting_user=self.reporter)
        self.login(self.staff)
        url = reverse("privacy:request_decide", args=[made.pk])
        page = self.client.post(url, {"decision": "complete", "outcome": ""}, follow=True)
        self.assertContains(page, "Say what was corrected")
        self.client.post(url, {"decision": "complete", "outcome": "The surname is corrected."})
        made.refresh_from_db()
        self.assertEqual((made.status, made.decided_by), (RequestStatus.COMPLETED, self.staff))

    def test_members_and_editors_cannot_decide(self):
        made = services.file_request(self.reporter, kind=RequestKind.ACCESS, acting_user=self.reporter)
        for user in (self.reporter, self.editor, self.outsider):
            self.login(user)
            response = self.client.post(reverse("privacy:request_decide", args=[made.pk]),
                                        {"decision": "complete"})
            self.assertEqual(response.status_code, 403)
        made.refresh_from_db()
        self.assertEqual(made.status, RequestStatus.OPEN)

    def test_staff_record_a_request_with_the_identity_check_and_another_staff_member_decides(self):
        self.login(self.staff)
        response = self.client.post(reverse("privacy:request_record"), {
            "kind": "access", "account": "", "subject_name": "ตัวอย่าง (example data) ผู้แจ้ง",
            "subject_email": "walk-in@example.org", "identity_method": "id_card", "identity_note": "",
        })
        self.assertContains(response, "Describe the identity check")
        response = self.client.post(reverse("privacy:request_record"), {
            "kind": "access", "account": "nobody-here", "identity_method": "id_card",
            "identity_note": "ID card seen",
        })
        self.assertContains(response, "no single account has the username or e-mail “nobody-here”")
        response = self.client.post(reverse("privacy:request_record"), {
            "kind": "access", "subject_email": "Reporter@example.org", "identity_method": "id_card",
            "identity_note": "ID card seen",
        })
        self.assertContains(response, "this address belongs to the account “reporter”")
        self.client.post(reverse("privacy:request_record"), {
            "kind": "access", "account": "reporter@example.org", "identity_method": "id_card",
            "identity_note": "ID card seen at the counter", "received_on": "",
        })
        made = SubjectRequest.objects.get()
        self.assertEqual((made.subject, made.recorded_by, made.identity_method),
                         (self.reporter, self.staff, IdentityMethod.ID_CARD))
        # Four eyes: who recorded it and checked the identity does not decide it.
        page = self.client.get(made.get_absolute_url())
        self.assertContains(page, "What the register finds about this person")
        self.assertContains(page, "comments")
        self.assertContains(page, "You cannot approve your own work")
        self.client.post(reverse("privacy:request_decide", args=[made.pk]), {"decision": "complete"})
        made.refresh_from_db()
        self.assertEqual(made.status, RequestStatus.OPEN)
        self.login(self.second_staff)
        self.client.post(reverse("privacy:request_decide", args=[made.pk]), {"decision": "complete"})
        made.refresh_from_db()
        self.assertEqual((made.status, made.decided_by), (RequestStatus.COMPLETED, self.second_staff))

    def test_received_on_is_read_in_the_buddhist_era_and_sets_the_due_date(self):
        self.login(self.staff)
        self.client.post(reverse("privacy:request_record"), {
            "kind": "erasure", "subject_email": "walk-in@example.org", "identity_method": "letter",
            "identity_note": "Signed letter", "received_on": "1/11/2569"})
        made = SubjectRequest.objects.get()
        self.assertEqual(made.due_on.isoformat(), "2026-12-01")


class CopyTests(PrivacyTestCase):
    def setUp(self):
        super().setUp()
        self.service_request = self.report_with_contacts()
        self.access = services.file_request(self.reporter, kind=RequestKind.PORTABILITY, acting_user=self.reporter)
        self.url = reverse("privacy:request_export", args=[self.access.pk])

    def test_the_subject_downloads_the_copy_once_staff_completed_it(self):
        self.login(self.reporter)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        services.complete_request(self.access, outcome="", acting_user=self.staff)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)
                                             if response.streaming else response.content))
        document = json.loads(archive.read("data.json"))
        by_model = {record["model"]: record for record in document["records"]}
        self.assertEqual(by_model["accounts.User"]["rows"][0]["email"], "reporter@example.org")
        self.assertEqual(by_model["eservice.ServiceRequest"]["rows"][0]["contact_phone"], "081-234-5678")
        self.assertEqual(by_model["eservice.ServiceRequest"]["legal_basis"], "Public task of the LGU (s.24(4))")
        self.assertEqual(by_model["participation.Comment"]["rows"][0]["text"], "ควรมีไฟส่องสว่างด้วย")
        self.assertEqual(by_model["accounts.Profile"]["rows"][0]["affiliation"], "Example University")
        self.assertNotIn("password", archive.read("accounts.User.csv").decode("utf-8-sig"))
        csv_text = archive.read("participation.Proposal.csv").decode("utf-8-sig")
        self.assertIn("ลานกีฬาชุมชน", csv_text)
        self.assertTrue(csv_text.startswith("id,author,title"))
        # Nothing of the neighbour's.
        self.assertNotIn("neighbour", json.dumps(document))

    def test_staff_download_it_to_check_it_and_nobody_else_can(self):
        self.login(self.staff)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        services.complete_request(self.access, outcome="", acting_user=self.staff)
        for user in (self.neighbour, self.editor, self.outsider, self.reviewer):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_someone_without_an_account_is_found_by_their_address(self):
        self.report_with_contacts(reporter=None, acting_user=None, contact_email="walk-in@example.org",
                                  contact_name="ตัวอย่าง (example data) ผู้แจ้ง")
        made = services.record_request(kind=RequestKind.ACCESS, subject_email="Walk-In@example.org",
                                       identity_method=IdentityMethod.EMAIL, identity_note="Replied from it",
                                       acting_user=self.staff)
        self.login(self.second_staff)
        response = self.client.get(reverse("privacy:request_export", args=[made.pk]))
        document = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
        rows = {r["model"]: r["rows"] for r in document["records"]}
        self.assertEqual([row["contact_email"] for row in rows["eservice.ServiceRequest"]], ["walk-in@example.org"])
        self.assertNotIn("accounts.User", rows)

    @override_settings(LANGUAGE_CODE="th")
    def test_a_refused_request_gives_no_copy(self):
        services.refuse_request(self.access, reason="ไม่พบข้อมูล", acting_user=self.staff)
        self.login(self.staff)
        self.assertEqual(self.client.get(self.url).status_code, 404)
