from django.urls import reverse
from rest_framework.test import APIClient

from thetsaban.accounts.models import AuditEntry
from thetsaban.participation import services
from thetsaban.participation.choices import ProposalStatus
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Moderation, Proposal
from thetsaban.participation.tests.base import ParticipationTestCase


def policy_promote_exists() -> bool:
    try:
        from thetsaban.policy import services as policy_services
    except ImportError:
        return False
    return hasattr(policy_services, "promote_proposal")


class PromoteTests(ParticipationTestCase):
    def setUp(self):
        super().setUp()
        if not policy_promote_exists():
            self.skipTest("thetsaban.policy.services.promote_proposal is not written yet "
                          "(the policy helper owns it)")
        self.proposal = services.submit_proposal(acting_user=self.member, title="ตลาดนัดชุมชน",
                                                 problem="ปัญหา", proposal="ข้อเสนอ",
                                                 themes=[self.theme], lgu=self.lgu)

    def test_staff_promote_through_the_page(self):
        self.login(self.staff)
        response = self.client.post(reverse("participation:proposal_promote", args=[self.proposal.pk]))
        self.proposal.refresh_from_db()
        recommendation = self.proposal.promoted_to
        self.assertRedirects(response, recommendation.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(self.proposal.status, ProposalStatus.PROMOTED)
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertContains(page, recommendation.get_absolute_url())
        # A second promotion is refused with a message, not a second recommendation.
        response = self.client.post(reverse("participation:proposal_promote", args=[self.proposal.pk]),
                                    follow=True)
        self.assertContains(response, "Only an open, visible proposal can be promoted.")

    def test_staff_promote_through_the_api(self):
        api = APIClient()
        api.force_authenticate(self.staff)
        response = api.post(f"/api/v1/proposals/{self.proposal.pk}/promote/")
        self.assertEqual(response.status_code, 201, response.content)
        self.proposal.refresh_from_db()
        self.assertEqual(response.json()["recommendation"], self.proposal.promoted_to_id)
        self.assertEqual(api.post(f"/api/v1/proposals/{self.proposal.pk}/promote/").status_code, 400)


class AdminTests(ParticipationTestCase):
    def test_admin_lists_open_for_staff(self):
        comment = services.post_comment(self.practice, "x", acting_user=self.member)
        services.flag(comment, "r", acting_user=self.outsider)
        services.hide(comment, "r", acting_user=self.moderator)
        services.endorse(self.practice, acting_user=self.member)
        services.follow(self.practice, acting_user=self.member)
        self.login(self.staff)
        for model in (Comment, Endorsement, Proposal, Flag, Moderation, Follow):
            url = reverse(f"admin:participation_{model._meta.model_name}_changelist")
            self.assertEqual(self.client.get(url).status_code, 200, model)

    def test_members_words_cannot_be_rewritten_in_the_admin(self):
        # Only the author edits a proposal or a comment, on the pages (the services keep the
        # author-only and no-supporters rules); staff read them here and moderate in the queue.
        proposal = services.submit_proposal(acting_user=self.member, title="t", problem="p", proposal="c")
        comment = services.post_comment(self.practice, "my words", acting_user=self.member)
        self.login(self.staff)
        url = reverse("admin:participation_proposal_change", args=[proposal.pk])
        self.assertNotContains(self.client.get(url), 'name="title"')
        self.client.post(url, {"author": self.member.pk, "title": "corrected title",
                               "problem": "p", "proposal": "c", "lgu": "", "themes": []})
        proposal.refresh_from_db()
        self.assertEqual(proposal.title, "t")
        url = reverse("admin:participation_comment_change", args=[comment.pk])
        self.assertNotContains(self.client.get(url), 'name="text"')
        self.client.post(url, {"text": "staff words"})
        comment.refresh_from_db()
        self.assertEqual(comment.text, "my words")
        for entry in AuditEntry.objects.for_object(proposal).filter(actor=self.staff):
            self.assertEqual(entry.after.get("title", "t"), "t")
        for model in ("proposal", "comment"):
            self.assertEqual(self.client.get(reverse(f"admin:participation_{model}_add")).status_code, 403)

    def test_an_admin_deletion_is_audited(self):
        comment = services.post_comment(self.practice, "x", acting_user=self.member)
        self.login(self.staff)
        url = reverse("admin:participation_comment_delete", args=[comment.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 302)
        entry = AuditEntry.objects.filter(action="delete", object_id=str(comment.pk), actor=self.staff).get()
        self.assertEqual(entry.before["text"], "x")

    def test_moderation_log_cannot_be_deleted_in_the_admin(self):
        comment = services.post_comment(self.practice, "x", acting_user=self.member)
        moderation = services.hide(comment, "r", acting_user=self.moderator)
        self.login(self.staff)
        url = reverse("admin:participation_moderation_delete", args=[moderation.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(Moderation.objects.exists())
