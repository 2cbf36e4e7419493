"""Erasure: personal rows deleted, personal fields of civic records blanked, what the member
wrote in public kept as "a member", the account deleted, the audit trail redacted; the erasure
written to the ledger."""

import json

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, Profile, User
from thetsaban.participation import services as participation
from thetsaban.participation.models import Comment, Endorsement, Follow, Proposal
from thetsaban.privacy import services
from thetsaban.privacy.choices import IdentityMethod, RequestKind, RequestStatus
from thetsaban.privacy.erasure import ERASED_MEMBER_USERNAME, erase_subject
from thetsaban.privacy.models import Erasure
from thetsaban.privacy.register import Subject
from thetsaban.privacy.tests.base import PrivacyTestCase


def trail_text() -> str:
    return json.dumps([[e.object_repr, e.before, e.after, e.note] for e in AuditEntry.objects.all()],
                      ensure_ascii=False)


class ErasureTests(PrivacyTestCase):
    def erase_reporter(self):
        made = services.file_request(self.reporter, kind=RequestKind.ERASURE, acting_user=self.reporter)
        self.login(self.staff)
        self.client.post(reverse("privacy:request_decide", args=[made.pk]), {"decision": "complete"})
        made.refresh_from_db()
        return made

    def test_an_erasure_request_completes_end_to_end(self):
        kept = self.report_with_contacts()
        other = self.report(reporter=self.neighbour, acting_user=self.neighbour,
                            contact_email="neighbour@example.org", contact_name="Example-Neighbour")
        self.assertIn("reporter@example.org", trail_text())
        made = self.erase_reporter()
        self.assertEqual(made.status, RequestStatus.COMPLETED)
        self.assertIsNone(made.subject)
        # The account and the member's own rows are gone.
        self.assertFalse(User.objects.filter(pk=self.reporter.pk).exists())
        self.assertFalse(Profile.objects.filter(user_id=self.reporter.pk).exists())
        self.assertFalse(Follow.objects.filter(user_id=self.reporter.pk).exists())
        # The civic records stay, without the person.
        kept.refresh_from_db()
        self.assertEqual((kept.reporter, kept.contact_name, kept.contact_email, kept.contact_phone),
                         (None, "", "", ""))
        self.assertEqual(kept.description, "ไฟดับหน้าบ้าน")
        other.refresh_from_db()
        self.assertEqual(other.contact_email, "neighbour@example.org")
        comment = Comment.objects.get(pk=self.comment.pk)
        self.assertEqual(comment.author.username, ERASED_MEMBER_USERNAME)
        self.assertFalse(comment.author.is_active)
        self.assertFalse(comment.author.has_usable_password())
        self.assertEqual(Proposal.objects.get(pk=self.proposal.pk).author, comment.author)
        self.assertEqual(Endorsement.objects.filter(user=self.neighbour).count(), 1)
        # The public page shows the comment as a member's.
        self.client.logout()
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertContains(page, "ควรมีไฟส่องสว่างด้วย")
        self.assertContains(page, "(a member)")
        self.assertNotContains(page, "reporter")
        # The audit trail keeps who did what and when, without the person's values.
        text = trail_text()
        for value in ("reporter@example.org", "Example-Firstname", "Example-Surname", "081-234-5678",
                      "Example University"):
            self.assertNotIn(value, text)
        self.assertIn("neighbour@example.org", text)
        user_type = ContentType.objects.get_for_model(User)
        self.assertTrue(AuditEntry.objects.filter(content_type=user_type, object_id=str(self.reporter.pk),
                                                  action="redact", actor=self.staff).exists())
        # The ledger has it, without the address in clear.
        erasure = Erasure.objects.get()
        self.assertEqual((erasure.request, erasure.subject_user_id), (made, self.reporter.pk))
        ledger = self.ledger.read_text()
        self.assertIn(str(self.reporter.pk), ledger)
        self.assertNotIn("reporter@example.org", ledger)
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("privacy:queue")), made.reference)

    def test_erasing_two_supporters_of_one_proposal_keeps_one_support_as_a_member(self):
        self.erase_reporter()
        third = User.objects.create(username="third", email="third@example.org")
        participation.endorse(self.proposal, acting_user=third)
        first = services.file_request(self.neighbour, kind=RequestKind.ERASURE, acting_user=self.neighbour)
        services.complete_request(first, outcome="", acting_user=self.staff)
        second = services.file_request(third, kind=RequestKind.ERASURE, acting_user=third)
        services.complete_request(second, outcome="", acting_user=self.staff)
        self.assertEqual(Endorsement.objects.filter(object_id=self.proposal.pk).count(), 1)
        self.assertEqual(Endorsement.objects.get(object_id=self.proposal.pk).user.username, ERASED_MEMBER_USERNAME)

    def test_someone_without_an_account_is_erased_by_address(self):
        walk_in = self.report_with_contacts(reporter=None, acting_user=None, contact_email="walk-in@example.org",
                                            contact_name="Example-Walkin Person")
        made = services.record_request(kind=RequestKind.ERASURE, subject_email="walk-in@example.org",
                                       identity_method=IdentityMethod.ID_CARD, identity_note="ID card seen",
                                       acting_user=self.staff)
        services.complete_request(made, outcome="", acting_user=self.second_staff)
        walk_in.refresh_from_db()
        self.assertEqual((walk_in.contact_email, walk_in.contact_name), ("", ""))
        self.assertTrue(User.objects.filter(pk=self.reporter.pk).exists())
        self.assertNotIn("Example-Walkin Person", trail_text())
        made.refresh_from_db()
        self.assertEqual(made.subject_email, "")

    def test_erasing_again_changes_nothing(self):
        self.erase_reporter()
        before = AuditEntry.objects.count()
        self.assertEqual(erase_subject(Subject(user_id=self.reporter.pk), acting_user=self.staff, reason="again"), {})
        self.assertEqual(AuditEntry.objects.count(), before)
