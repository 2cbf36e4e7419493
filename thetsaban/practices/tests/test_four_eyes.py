"""Nobody publishes a practice they created, edited or submitted (unless staff allow it)."""

from django.urls import reverse

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry, LguMembership, User
from thetsaban.accounts.services import SELF_APPROVAL_NOTE
from thetsaban.practices import services
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme
from thetsaban.practices.tests.base import PracticeTestCase
from thetsaban.testing import allow_self_approval

REFUSAL = "You cannot approve your own work"


class PublishOwnPracticeTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A reviewer who is also an editor of the LGU: the finding's "reviews their own work".
        cls.reviewer_editor = User.objects.create(username="reviewer-editor", is_reviewer=True)
        LguMembership.objects.create(user=cls.reviewer_editor, lgu=cls.lgu)

    def setUp(self):
        practice = services.save_practice(
            Practice(lgu=self.lgu, title_th="ธนาคารขยะของฉันเอง", summary="สรุป"),
            acting_user=self.reviewer_editor, themes=Theme.objects.filter(code="environment"))
        self.own = services.submit_practice(practice, acting_user=self.reviewer_editor,
                                            notify=False)

    def publish_page(self, user):
        self.login(user)
        return self.client.post(reverse("practices:publish", args=[self.own.pk]),
                                {"tier": Tier.BEST}, follow=True)

    def publish_api(self, user):
        self.login(user)
        return self.client.post(f"/api/v1/practices/{self.own.pk}/publish/", {"tier": Tier.BEST},
                                content_type="application/json")

    def status(self):
        return Practice.objects.get(pk=self.own.pk).status

    def test_author_cannot_publish_their_own_practice_through_the_page(self):
        response = self.publish_page(self.reviewer_editor)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.status(), ReviewStatus.SUBMITTED)
        self.assertFalse(AuditEntry.objects.for_object(self.own).filter(
            action=AuditAction.PUBLISH).exists())

    def test_author_cannot_publish_their_own_practice_through_the_api(self):
        response = self.publish_api(self.reviewer_editor)
        self.assertEqual(response.status_code, 403)
        self.assertIn(REFUSAL, response.json()["detail"])
        self.assertEqual(self.status(), ReviewStatus.SUBMITTED)

    def test_staff_who_edited_the_submitted_version_cannot_publish_it(self):
        practice = Practice.objects.get(pk=self.own.pk)
        practice.summary = "สรุปที่เจ้าหน้าที่แก้"
        services.save_practice(practice, acting_user=self.staff)
        self.assertEqual(self.publish_api(self.staff).status_code, 403)
        self.assertEqual(self.status(), ReviewStatus.SUBMITTED)

    def test_another_reviewer_publishes_it(self):
        response = self.publish_api(self.reviewer)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], ReviewStatus.PUBLISHED)
        entry = AuditEntry.objects.for_object(self.own).get(action=AuditAction.PUBLISH)
        self.assertEqual(entry.actor, self.reviewer)
        self.assertNotIn(SELF_APPROVAL_NOTE, entry.note)

    def test_another_reviewer_publishes_it_through_the_page(self):
        self.publish_page(self.reviewer)
        self.assertEqual(self.status(), ReviewStatus.PUBLISHED)

    def test_author_sees_the_publish_button_disabled_with_the_reason(self):
        self.login(self.reviewer_editor)
        for url in (self.own.get_absolute_url(), reverse("practices:review_queue")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, REFUSAL)
                self.assertContains(response, f'disabled aria-describedby="refusal-{self.own.pk}"')
        self.login(self.reviewer)
        self.assertNotContains(self.client.get(self.own.get_absolute_url()), REFUSAL)

    def test_admin_action_refuses_the_author(self):
        staff_author = User.objects.create(username="staff-author", is_staff=True, is_superuser=True)
        practice = Practice.objects.get(pk=self.own.pk)
        services.save_practice(practice, acting_user=staff_author)
        self.login(staff_author)
        response = self.client.post(reverse("admin:practices_practice_changelist"), {
            "action": "publish_best", "_selected_action": [self.own.pk]}, follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.status(), ReviewStatus.SUBMITTED)

    def test_with_the_league_setting_on_the_author_publishes_and_it_is_audited_as_such(self):
        allow_self_approval()
        self.assertEqual(self.publish_api(self.reviewer_editor).status_code, 200)
        self.assertEqual(self.status(), ReviewStatus.PUBLISHED)
        entry = AuditEntry.objects.for_object(self.own).get(action=AuditAction.PUBLISH)
        self.assertEqual(entry.actor, self.reviewer_editor)
        self.assertIn(SELF_APPROVAL_NOTE, entry.note)
