"""Staff do not promote their own proposals; moderators do not restore their own content
(unless staff allow self-approval)."""

from django.urls import reverse
from rest_framework.test import APIClient

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import SELF_APPROVAL_NOTE
from thetsaban.participation import services
from thetsaban.participation.choices import ProposalStatus
from thetsaban.participation.models import Comment, Proposal
from thetsaban.participation.tests.base import ParticipationTestCase
from thetsaban.testing import allow_self_approval

REFUSAL = "You cannot approve your own work"


def api_as(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


class PromoteOwnProposalTests(ParticipationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other_staff = User.objects.create(username="other-staff", is_staff=True)

    def setUp(self):
        super().setUp()
        self.own = services.submit_proposal(acting_user=self.staff, title="ข้อเสนอของฉันเอง",
                                            problem="ปัญหา", proposal="ข้อเสนอ")

    def status(self):
        return Proposal.objects.get(pk=self.own.pk).status

    def test_author_cannot_promote_their_own_proposal_through_the_page(self):
        self.login(self.staff)
        response = self.client.post(reverse("participation:proposal_promote", args=[self.own.pk]),
                                    follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.status(), ProposalStatus.OPEN)

    def test_author_cannot_promote_their_own_proposal_through_the_api(self):
        response = api_as(self.staff).post(f"/api/v1/proposals/{self.own.pk}/promote/")
        self.assertEqual(response.status_code, 403)
        self.assertIn(REFUSAL, response.json()["detail"])
        self.assertEqual(self.status(), ProposalStatus.OPEN)

    def test_admin_action_refuses_the_author(self):
        self.login(self.staff)
        response = self.client.post(reverse("admin:participation_proposal_changelist"), {
            "action": "promote", "_selected_action": [self.own.pk]}, follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.status(), ProposalStatus.OPEN)

    def test_author_sees_the_promote_button_disabled_with_the_reason(self):
        self.login(self.staff)
        response = self.client.get(self.own.get_absolute_url())
        self.assertContains(response, REFUSAL)
        self.assertContains(response, 'disabled aria-describedby="promote-refusal"')
        self.login(self.other_staff)
        response = self.client.get(self.own.get_absolute_url())
        self.assertNotContains(response, REFUSAL)
        self.assertContains(response, reverse("participation:proposal_promote", args=[self.own.pk]))

    def test_other_staff_promote_it(self):
        response = api_as(self.other_staff).post(f"/api/v1/proposals/{self.own.pk}/promote/")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(self.status(), ProposalStatus.PROMOTED)
        self.assertFalse(AuditEntry.objects.for_object(self.own).filter(
            note__contains=SELF_APPROVAL_NOTE).exists())

    def test_with_the_league_setting_on_the_author_promotes_and_it_is_audited_as_such(self):
        allow_self_approval()
        self.assertEqual(api_as(self.staff).post(f"/api/v1/proposals/{self.own.pk}/promote/")
                         .status_code, 201)
        self.assertEqual(self.status(), ProposalStatus.PROMOTED)
        entry = AuditEntry.objects.for_object(self.own).filter(actor=self.staff).first()
        self.assertIn(SELF_APPROVAL_NOTE, entry.note)


class RestoreOwnContentTests(ParticipationTestCase):
    def setUp(self):
        super().setUp()
        self.own = services.post_comment(self.practice, "ความเห็นของผู้ดูแลเอง",
                                         acting_user=self.moderator)
        services.hide(self.own, "off topic", acting_user=self.staff)

    def hidden(self):
        return Comment.objects.get(pk=self.own.pk).hidden

    def test_moderator_cannot_restore_their_own_comment_through_the_page(self):
        self.login(self.moderator)
        response = self.client.post(
            reverse("participation:moderate", args=["comment", self.own.pk, "restore"]),
            {"reason": "it was fine", "next": self.practice.get_absolute_url()}, follow=True)
        self.assertContains(response, REFUSAL)
        self.assertTrue(self.hidden())

    def test_moderator_cannot_restore_their_own_comment_through_the_api(self):
        response = api_as(self.moderator).post(f"/api/v1/comments/{self.own.pk}/restore/",
                                               {"reason": "it was fine"})
        self.assertEqual(response.status_code, 403)
        self.assertIn(REFUSAL, response.json()["detail"])
        self.assertTrue(self.hidden())

    def test_moderator_sees_the_restore_button_disabled_with_the_reason(self):
        self.login(self.moderator)
        response = self.client.get(self.practice.get_absolute_url())
        self.assertContains(response, REFUSAL)
        self.login(self.staff)
        self.assertNotContains(self.client.get(self.practice.get_absolute_url()), REFUSAL)

    def test_another_moderator_restores_it(self):
        response = api_as(self.staff).post(f"/api/v1/comments/{self.own.pk}/restore/",
                                           {"reason": "it was fine"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.hidden())

    def test_with_the_league_setting_on_the_author_restores_and_it_is_audited_as_such(self):
        allow_self_approval()
        response = api_as(self.moderator).post(f"/api/v1/comments/{self.own.pk}/restore/",
                                               {"reason": "it was fine"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.hidden())
        entry = AuditEntry.objects.for_object(self.own).filter(actor=self.moderator).first()
        self.assertIn(SELF_APPROVAL_NOTE, entry.note)
