from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
from thetsaban.practices import services
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice, PracticeStep, Theme
from thetsaban.practices.tests.base import PracticeTestCase, make_practice
from thetsaban.search.services import search


class WorkflowTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user, address in ((cls.reviewer, "reviewer@example.org"), (cls.editor, "editor@example.org"),
                              (cls.staff, "staff@example.org"), (cls.outsider, "outsider@example.org")):
            user.email = address
            user.save()

    def audit_actions(self, practice):
        return list(AuditEntry.objects.for_object(practice).order_by("id").values_list("action", flat=True))

    def new_draft(self, user=None):
        practice = Practice(lgu=self.lgu, title_th="  ธนาคารขยะชุมชน\u200b ", summary="สรุป")
        return services.save_practice(
            practice, acting_user=user or self.editor, themes=Theme.objects.filter(code="environment"),
            children=[PracticeStep(position=1, title="สำรวจขยะ")])

    def test_editor_creates_a_draft_with_steps_and_it_is_audited(self):
        practice = self.new_draft()
        self.assertEqual(practice.status, ReviewStatus.DRAFT)
        self.assertEqual(practice.title_th, "ธนาคารขยะชุมชน")
        self.assertEqual(practice.created_by, self.editor)
        self.assertEqual(practice.steps.count(), 1)
        self.assertEqual(self.audit_actions(practice), [AuditAction.CREATE])
        self.assertTrue(practice.sort_title)

    def test_outsider_cannot_create_a_practice_of_another_lgu(self):
        with self.assertRaises(PermissionDenied):
            self.new_draft(self.outsider)

    def test_outsider_cannot_change_another_lgus_draft(self):
        self.draft.title_th = "แก้ไข"
        with self.assertRaises(PermissionDenied):
            services.save_practice(self.draft, acting_user=self.outsider)

    def test_editor_cannot_change_a_submitted_practice(self):
        self.submitted.title_th = "แก้ไข"
        with self.assertRaisesMessage(ValidationError, "cannot be changed"):
            services.save_practice(self.submitted, acting_user=self.editor)

    def test_saving_cannot_change_the_status(self):
        self.draft.status = ReviewStatus.PUBLISHED
        self.draft.tier = Tier.BEST
        practice = services.save_practice(self.draft, acting_user=self.editor)
        practice.refresh_from_db()
        self.assertEqual(practice.status, ReviewStatus.DRAFT)

    def test_submit_publish_round_trip_is_audited_and_notifies(self):
        practice = self.new_draft()
        with self.captureOnCommitCallbacks(execute=True):
            practice = services.submit_practice(practice, acting_user=self.editor)
        self.assertEqual(practice.status, ReviewStatus.SUBMITTED)
        self.assertIsNotNone(practice.submitted_at)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("reviewer@example.org", mail.outbox[0].to)
        self.assertNotIn("outsider@example.org", mail.outbox[0].to)

        with self.captureOnCommitCallbacks(execute=True):
            practice = services.publish_practice(practice, acting_user=self.reviewer, tier=Tier.GOOD)
        self.assertEqual(practice.status, ReviewStatus.PUBLISHED)
        self.assertEqual(practice.tier, Tier.GOOD)
        self.assertIsNotNone(practice.published_at)
        self.assertEqual(mail.outbox[1].to, ["editor@example.org"])
        self.assertEqual(self.audit_actions(practice),
                         [AuditAction.CREATE, AuditAction.SUBMIT, AuditAction.PUBLISH])
        # Published: now in the search index, found by its own text.
        _total, results = search("ธนาคารขยะ", ["practice"])
        self.assertIn(practice.pk, [r.object_id for r in results])

    def test_return_and_resubmit(self):
        with self.captureOnCommitCallbacks(execute=True):
            practice = services.return_practice(self.submitted, acting_user=self.reviewer,
                                                comment="เพิ่มตัวชี้วัด")
        self.assertEqual(practice.status, ReviewStatus.RETURNED)
        self.assertEqual(practice.review_comment, "เพิ่มตัวชี้วัด")
        self.assertEqual(mail.outbox[0].to, ["editor@example.org"])
        practice.summary = "สรุปฉบับแก้ไข"
        services.save_practice(practice, acting_user=self.editor)
        practice = services.submit_practice(practice, acting_user=self.editor)
        self.assertEqual(practice.status, ReviewStatus.SUBMITTED)
        self.assertEqual(self.audit_actions(practice)[-3:],
                         [AuditAction.RETURN, AuditAction.UPDATE, AuditAction.SUBMIT])

    def test_return_needs_a_comment(self):
        with self.assertRaisesMessage(ValidationError, "Write what the editor should change"):
            services.return_practice(self.submitted, acting_user=self.reviewer, comment="  ")

    def test_editor_cannot_publish(self):
        with self.assertRaises(PermissionDenied):
            services.publish_practice(self.submitted, acting_user=self.editor, tier=Tier.GOOD)
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, ReviewStatus.SUBMITTED)

    def test_member_and_anonymous_cannot_publish_or_return(self):
        from django.contrib.auth.models import AnonymousUser

        for user in (self.member, AnonymousUser()):
            with self.assertRaises(PermissionDenied):
                services.publish_practice(self.submitted, acting_user=user, tier=Tier.GOOD)
            with self.assertRaises(PermissionDenied):
                services.return_practice(self.submitted, acting_user=user, comment="x")

    def test_outsider_and_reviewer_cannot_submit(self):
        for user in (self.outsider, self.reviewer, self.member):
            with self.assertRaises(PermissionDenied):
                services.submit_practice(self.draft, acting_user=user)

    def test_illegal_transitions_raise_clear_errors(self):
        cases = [
            (lambda: services.publish_practice(self.draft, acting_user=self.reviewer, tier=Tier.GOOD),
             "Only a submitted practice can be published"),
            (lambda: services.publish_practice(self.published, acting_user=self.reviewer, tier=Tier.GOOD),
             "Only a submitted practice can be published"),
            (lambda: services.return_practice(self.returned, acting_user=self.reviewer, comment="x"),
             "Only a submitted practice can be returned"),
            (lambda: services.submit_practice(self.submitted, acting_user=self.editor),
             "Only a draft or a returned practice can be submitted"),
            (lambda: services.submit_practice(self.published, acting_user=self.editor),
             "Only a draft or a returned practice can be submitted"),
            (lambda: services.publish_practice(self.submitted, acting_user=self.reviewer, tier="gold"),
             "Choose the tier"),
        ]
        for run, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(ValidationError, message):
                run()

    def test_submit_needs_a_theme(self):
        practice = make_practice(self.lgu, ReviewStatus.DRAFT, themes=())
        with self.assertRaisesMessage(ValidationError, "at least one theme"):
            services.submit_practice(practice, acting_user=self.editor)

    def test_no_mail_when_the_transaction_rolls_back(self):
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    services.submit_practice(self.draft, acting_user=self.editor)
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
        self.assertEqual(mail.outbox, [])
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, ReviewStatus.DRAFT)

    def test_staff_may_change_a_published_practice_and_the_index_follows(self):
        self.published.title_th = "ตลาดน้ำของชุมชน"
        services.save_practice(self.published, acting_user=self.staff,
                               children=[PracticeStep(position=1, title="ประชุมผู้ค้าริมคลอง")])
        _total, results = search("ผู้ค้าริมคลอง", ["practice"])
        self.assertEqual([r.object_id for r in results], [self.published.pk])
