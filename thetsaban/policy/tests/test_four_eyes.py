"""Nobody marks their own recommendation as forwarded, adopted or implemented (unless staff
allow self-approval); other status changes stay with the owner."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import SELF_APPROVAL_NOTE
from thetsaban.participation import services as participation
from thetsaban.policy import services
from thetsaban.policy.choices import RecommendationStatus
from thetsaban.policy.models import Recommendation, RecommendationUpdate
from thetsaban.policy.tests.base import PolicyTestCase
from thetsaban.testing import admin_form_data, allow_self_approval

REFUSAL = "You cannot approve your own work"


class OwnRecommendationStatusTests(PolicyTestCase):
    def status(self):
        return Recommendation.objects.get(pk=self.proposed.pk).status

    def update_page(self, user, status):
        self.login(user)
        return self.client.post(reverse("policy:update", args=[self.proposed.pk]), {
            "date": "2026-01-15", "text": "ส่งต่อหน่วยงาน", "status": status})

    def update_api(self, user, status):
        self.login(user)
        return self.client.post(f"/api/v1/recommendations/{self.proposed.pk}/updates/",
                                {"text": "ส่งต่อหน่วยงาน", "status": status})

    def test_owner_cannot_mark_their_own_recommendation_adopted_through_the_page(self):
        response = self.update_page(self.editor, RecommendationStatus.ADOPTED)
        self.assertContains(response, REFUSAL, status_code=400)
        self.assertEqual(self.status(), RecommendationStatus.PROPOSED)
        self.assertFalse(RecommendationUpdate.objects.filter(recommendation=self.proposed).exists())

    def test_owner_cannot_mark_their_own_recommendation_forwarded_through_the_api(self):
        response = self.update_api(self.editor, RecommendationStatus.FORWARDED)
        self.assertEqual(response.status_code, 403)
        self.assertIn(REFUSAL, response.json()["detail"])
        self.assertEqual(self.status(), RecommendationStatus.PROPOSED)
        self.assertFalse(RecommendationUpdate.objects.filter(recommendation=self.proposed).exists())

    def test_owner_still_moves_it_to_statuses_that_are_not_an_acceptance(self):
        response = self.update_api(self.editor, RecommendationStatus.UNDER_CONSIDERATION)
        self.assertEqual(response.status_code, 201)

    def test_owner_is_not_offered_the_accepting_statuses(self):
        url = reverse("policy:update", args=[self.proposed.pk])
        self.login(self.editor)
        response = self.client.get(url)
        self.assertContains(response, REFUSAL)
        self.assertNotContains(response, f'value="{RecommendationStatus.ADOPTED}"')
        self.assertContains(response, f'value="{RecommendationStatus.UNDER_CONSIDERATION}"')
        self.login(self.staff)
        response = self.client.get(url)
        self.assertContains(response, f'value="{RecommendationStatus.ADOPTED}"')

    def test_staff_mark_it_adopted(self):
        self.assertEqual(self.update_api(self.staff, RecommendationStatus.ADOPTED).status_code, 201)
        self.assertEqual(self.status(), RecommendationStatus.ADOPTED)
        self.assertEqual(self.update_page(self.staff, RecommendationStatus.IMPLEMENTED).status_code, 302)
        self.assertEqual(self.status(), RecommendationStatus.IMPLEMENTED)

    def test_staff_who_proposed_it_as_a_member_cannot_mark_it_adopted(self):
        proposal = participation.submit_proposal(acting_user=self.staff, title="ข้อเสนอ",
                                                 problem="ปัญหา", proposal="ข้อเสนอ")
        promoter = User.objects.create(username="promoter", is_staff=True)
        third = User.objects.create(username="third-staff", is_staff=True)
        recommendation = participation.promote_proposal(proposal, acting_user=promoter)
        for author in (self.staff, promoter):  # the proposal's author, and its owner since
            with self.subTest(author=author), self.assertRaisesMessage(PermissionDenied, REFUSAL):
                services.add_update(recommendation, acting_user=author, text="x",
                                    status=RecommendationStatus.ADOPTED)
        services.add_update(recommendation, acting_user=third, text="x",
                            status=RecommendationStatus.ADOPTED)
        self.assertEqual(Recommendation.objects.get(pk=recommendation.pk).status,
                         RecommendationStatus.ADOPTED)

    def test_the_admin_does_not_change_the_status(self):
        self.login(self.staff)
        response = self.client.get(reverse("admin:policy_recommendation_change",
                                           args=[self.proposed.pk]))
        self.assertNotContains(response, 'name="status"')

    def test_with_the_league_setting_on_the_owner_marks_it_and_it_is_audited_as_such(self):
        allow_self_approval()
        self.assertEqual(self.update_api(self.editor, RecommendationStatus.ADOPTED).status_code, 201)
        self.assertEqual(self.status(), RecommendationStatus.ADOPTED)
        entry = AuditEntry.objects.for_object(self.proposed).first()
        self.assertEqual(entry.actor, self.editor)
        self.assertIn(SELF_APPROVAL_NOTE, entry.note)


class AdminTimelineTests(PolicyTestCase):
    """The admin's timeline rows are no way around add_update(): a staff owner cannot write an
    "adopted" entry on their own recommendation, nor sign an entry with someone else's name."""

    def test_staff_owner_cannot_add_an_accepting_timeline_entry_in_the_admin(self):
        self.proposed.owner = self.staff
        self.proposed.save(update_fields=["owner"])
        self.login(self.staff)
        url = reverse("admin:policy_recommendation_change", args=[self.proposed.pk])
        data = admin_form_data(self.client.get(url))
        data.update({"updates-TOTAL_FORMS": "1", "updates-0-date": "2026-01-15",
                     "updates-0-text": "รับไปดำเนินการ", "updates-0-status": "adopted",
                     "updates-0-progress": "100", "updates-0-author": str(self.reviewer.pk)})
        # The entry goes through add_update(), which refuses the owner's own acceptance.
        self.assertContains(self.client.post(url, data), "You cannot approve your own work")
        self.assertFalse(RecommendationUpdate.objects.filter(recommendation=self.proposed).exists())
        self.assertEqual(self.status(), RecommendationStatus.PROPOSED)
        # Without the status it is taken, signed by who wrote it.
        data.update({"updates-0-status": "", "updates-0-progress": ""})
        self.assertEqual(self.client.post(url, data).status_code, 302)
        update = RecommendationUpdate.objects.get(recommendation=self.proposed)
        self.assertEqual((update.status, update.progress, update.author), ("", None, self.staff))
        page = self.client.get(self.proposed.get_absolute_url())
        self.assertContains(page, "รับไปดำเนินการ")
        self.assertNotContains(page, '<span class="tag">Adopted</span>')

    def status(self):
        return Recommendation.objects.get(pk=self.proposed.pk).status


class FormerOwnerTests(PolicyTestCase):
    """Handing a recommendation to someone else does not make its acceptance anyone's but the
    former owner's own: whoever owned it stays one of its authors."""

    def setUp(self):
        self.other_staff = User.objects.create(username="other-staff", is_staff=True)
        self.proposed.owner = self.staff
        self.proposed.save(update_fields=["owner"])

    def hand_over(self):
        recommendation = Recommendation.objects.get(pk=self.proposed.pk)
        recommendation.owner = self.other_staff
        services.save_recommendation(recommendation, acting_user=self.staff)

    def test_former_owner_cannot_mark_it_adopted_after_handing_it_over(self):
        self.hand_over()
        self.login(self.staff)
        response = self.client.post(reverse("policy:update", args=[self.proposed.pk]), {
            "date": "2026-01-15", "text": "รับไปดำเนินการ", "status": RecommendationStatus.ADOPTED})
        self.assertContains(response, REFUSAL, status_code=400)
        response = self.client.post(f"/api/v1/recommendations/{self.proposed.pk}/updates/",
                                    {"text": "รับไปดำเนินการ", "status": RecommendationStatus.ADOPTED})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Recommendation.objects.get(pk=self.proposed.pk).status,
                         RecommendationStatus.PROPOSED)

    def test_someone_who_never_owned_it_still_accepts_it(self):
        self.hand_over()
        self.login(self.reviewer)  # neither owner nor creator; staff rights come from is_staff
        self.reviewer.is_staff = True
        self.reviewer.save(update_fields=["is_staff"])
        response = self.client.post(f"/api/v1/recommendations/{self.proposed.pk}/updates/",
                                    {"text": "รับไปดำเนินการ", "status": RecommendationStatus.ADOPTED})
        self.assertEqual(response.status_code, 201, response.content)
