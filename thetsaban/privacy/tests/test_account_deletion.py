"""Account deletion requests are PDPA erasure requests: a member's request on the "Delete my
account" page files the matching erasure request, whose decision by staff (four eyes) erases the
member and settles the deletion request; requests made before the PDPA requests existed are moved
to them by a migration, with their dates and state."""

from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.choices import DeletionStatus
from thetsaban.accounts.models import AuditEntry, DeletionRequest, User
from thetsaban.accounts.services import request_deletion
from thetsaban.privacy import services
from thetsaban.privacy.choices import IdentityMethod, RequestKind, RequestStatus
from thetsaban.privacy.models import Erasure, SubjectRequest
from thetsaban.privacy.tests.base import PrivacyTestCase

DELETE = reverse("accounts:delete_account")
BEFORE = [("privacy", "0002_subject_request_account_deletion")]
MIGRATION_NOTE = "account deletion request moved to the PDPA requests (migration privacy 0003)"


class AccountDeletionPathTests(PrivacyTestCase):
    def ask(self, user=None, reason="ไม่ใช้แล้ว"):
        self.login(user or self.reporter)
        return self.client.post(DELETE, {"reason": reason, "confirm": "on"}, follow=True)

    def test_asking_to_delete_the_account_files_an_erasure_request_linked_both_ways(self):
        page = self.ask()
        deletion = DeletionRequest.objects.get()
        made = SubjectRequest.objects.get()
        self.assertEqual((made.kind, made.status, made.subject, made.details, made.identity_method),
                         (RequestKind.ERASURE, RequestStatus.OPEN, self.reporter, "ไม่ใช้แล้ว",
                          IdentityMethod.SIGNED_IN))
        self.assertEqual(made.account_deletion, deletion)
        self.assertEqual(deletion.privacy_request, made)
        self.assertEqual(made.received_at, deletion.created_at)
        self.assertEqual(made.due_on, timezone.localdate(deletion.created_at) + timedelta(days=30))
        self.assertContains(page, "Staff answer it within 30 days")
        # Both are audited as the member's own writes.
        for record in (deletion, made):
            self.assertTrue(AuditEntry.objects.for_object(record).filter(actor=self.reporter).exists())
        # The member follows it by its PDPA reference; staff find it in their queue.
        self.assertContains(self.client.get(DELETE), made.reference)
        self.assertContains(self.client.get(made.get_absolute_url()), made.reference)
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("privacy:queue")), made.reference)
        # A staff member's own "Delete my account" page is about their own account only.
        self.assertNotContains(self.client.get(DELETE), made.reference)

    def test_completing_the_erasure_deletes_the_account_and_settles_the_deletion_request(self):
        self.ask()
        made = SubjectRequest.objects.get()
        self.login(self.staff)
        self.client.post(reverse("privacy:request_decide", args=[made.pk]), {"decision": "complete"})
        made.refresh_from_db()
        deletion = DeletionRequest.objects.get()
        self.assertEqual(made.status, RequestStatus.COMPLETED)
        self.assertFalse(User.objects.filter(pk=self.reporter.pk).exists())
        self.assertEqual(Erasure.objects.get().request, made)
        self.assertEqual((deletion.status, deletion.handled_by, deletion.user, deletion.username),
                         (DeletionStatus.DONE, self.staff, None, ""))
        self.assertIn(made.reference, deletion.staff_note)
        self.assertEqual(deletion.privacy_request, made)
        self.assertTrue(AuditEntry.objects.for_object(deletion).filter(actor=self.staff).exists())

    def test_staff_refuse_it_with_a_reason_and_the_deletion_request_is_refused_too(self):
        self.ask()
        made = SubjectRequest.objects.get()
        self.login(self.staff)
        self.client.post(reverse("privacy:request_decide", args=[made.pk]),
                         {"decision": "refuse", "refusal_reason": "ยังมีคดีค้างอยู่ (s.33(5))"})
        deletion = DeletionRequest.objects.get()
        self.assertEqual(deletion.status, DeletionStatus.REFUSED)
        self.assertIn("ยังมีคดีค้างอยู่", deletion.staff_note)
        self.assertTrue(User.objects.filter(pk=self.reporter.pk).exists())

    def test_the_member_withdraws_it_and_may_ask_again(self):
        self.ask()
        made = SubjectRequest.objects.get()
        self.client.post(reverse("privacy:request_withdraw", args=[made.pk]))
        self.assertEqual(DeletionRequest.objects.get().status, DeletionStatus.WITHDRAWN)
        self.ask(reason="ขออีกครั้ง")
        self.assertEqual(DeletionRequest.objects.filter(status=DeletionStatus.PENDING).count(), 1)
        self.assertEqual(SubjectRequest.objects.open().get().details, "ขออีกครั้ง")

    def test_an_open_erasure_request_already_there_refuses_a_second_one_with_a_message(self):
        services.file_request(self.reporter, kind=RequestKind.ERASURE, acting_user=self.reporter)
        page = self.ask()
        self.assertContains(page, "You have already asked for your personal data to be erased")
        self.assertFalse(DeletionRequest.objects.exists())
        self.assertEqual(SubjectRequest.objects.count(), 1)

    def test_four_eyes_hold_for_a_staff_member_who_asks_to_be_deleted(self):
        self.ask(self.second_staff)
        made = SubjectRequest.objects.get()
        self.client.post(reverse("privacy:request_decide", args=[made.pk]), {"decision": "complete"})
        self.assertEqual(DeletionRequest.objects.get().status, DeletionStatus.PENDING)
        self.assertTrue(User.objects.filter(pk=self.second_staff.pk).exists())


class DeletionRequestMigrationTests(TransactionTestCase):
    """Migration privacy 0003 moves the account deletion requests made before it to the PDPA
    requests, and going back removes only what it wrote."""

    available_apps = None

    def make_old_requests(self):
        hashed = make_password("x")
        waiting = User.objects.create(username="waiting", email="waiting@example.org", password=hashed)
        handled = User.objects.create(username="handled", password=hashed)
        staff = User.objects.create(username="staff", is_staff=True, password=hashed)
        asked = timezone.make_aware(datetime(2026, 3, 1, 9, 30))
        decided = timezone.make_aware(datetime(2026, 3, 20, 14, 0))
        rows = {
            "pending": DeletionRequest.objects.create(user=waiting, username="waiting", reason="ย้ายบ้าน"),
            "done": DeletionRequest.objects.create(user=None, username="gone", status="done",
                                                   handled_by=staff, handled_at=decided, staff_note="ลบแล้ว"),
            "refused": DeletionRequest.objects.create(user=handled, username="handled", status="refused",
                                                      handled_by=staff, handled_at=decided),
        }
        # auto_now_add: the original dates are set after the rows are made.
        DeletionRequest.objects.filter(pk__in=[r.pk for r in rows.values()]).update(created_at=asked)
        return rows, staff, asked, decided

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)

    def test_old_deletion_requests_become_linked_erasure_requests_and_going_back_removes_them(self):
        latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "privacy"]
        try:
            self.migrate(BEFORE)
            rows, staff, asked, decided = self.make_old_requests()
            self.migrate(latest)
            self.assertEqual(SubjectRequest.objects.count(), 3)
            waiting = SubjectRequest.objects.get(account_deletion=rows["pending"])
            self.assertEqual((waiting.kind, waiting.status, waiting.subject.username, waiting.details),
                             (RequestKind.ERASURE, RequestStatus.OPEN, "waiting", "ย้ายบ้าน"))
            self.assertEqual((waiting.received_at, waiting.due_on), (asked, asked.date() + timedelta(days=30)))
            self.assertEqual(waiting.recorded_by.username, "waiting")
            done = SubjectRequest.objects.get(account_deletion=rows["done"])
            self.assertEqual((done.status, done.subject, done.subject_name, done.decided_by, done.decided_at,
                              done.outcome), (RequestStatus.COMPLETED, None, "gone", staff, decided, "ลบแล้ว"))
            refused = SubjectRequest.objects.get(account_deletion=rows["refused"])
            self.assertEqual(refused.status, RequestStatus.REFUSED)
            self.assertIn("no reason was recorded", refused.refusal_reason)
            # Linked both ways, and audited as the migration's writes.
            self.assertEqual(DeletionRequest.objects.get(pk=rows["pending"].pk).privacy_request, waiting)
            content_type = ContentType.objects.get_for_model(SubjectRequest)
            self.assertEqual(AuditEntry.objects.filter(content_type=content_type, action="create",
                                                       note=MIGRATION_NOTE).count(), 3)
            # The open one is in the staff queue and is decided like any other.
            self.assertEqual(list(SubjectRequest.objects.open()), [waiting])

            # A request made after the migration (the new path) is not the migration's to remove.
            later = User.objects.create(username="later", password=make_password("x"))
            request_deletion(later, acting_user=later)
            self.migrate(BEFORE)
            self.assertEqual(list(SubjectRequest.objects.values_list("subject__username", flat=True)), ["later"])
            self.assertEqual(DeletionRequest.objects.count(), 4)
            self.assertEqual(AuditEntry.objects.filter(content_type=content_type, action="delete").count(), 3)
            # Forwards again: the same three, nothing twice.
            self.migrate(latest)
            self.assertEqual(SubjectRequest.objects.count(), 4)
            self.assertFalse(DeletionRequest.objects.filter(privacy_request__isnull=True).exists())
            # Going back past the link itself, then forwards: the new path's request is linked again.
            self.migrate([("privacy", "0001_subject_requests_breaches_erasures")])
            self.migrate(latest)
            self.assertEqual(SubjectRequest.objects.count(), 4)
            self.assertEqual(SubjectRequest.objects.get(subject__username="later").account_deletion.username, "later")
        finally:
            self.migrate(latest)
