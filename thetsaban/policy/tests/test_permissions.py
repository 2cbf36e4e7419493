"""Who sees and changes recommendations, through the pages and the API (who may open a draft
is in the permission matrix, thetsaban/tests/test_permission_matrix.py)."""

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.policy.tests.base import PolicyTestCase


class PagePermissionTests(PolicyTestCase):
    def test_public_sees_proposed_but_not_drafts(self):
        for user in (None, self.member, self.outsider):
            self.login(user)
            response = self.client.get(reverse("policy:list"))
            self.assertContains(response, "หนุนเสริม Best Practice")
            self.assertNotContains(response, "ร่างข้อเสนอ")
            self.assertEqual(self.client.get(self.proposed.get_absolute_url()).status_code, 200)
            self.assertEqual(self.client.get(self.draft.get_absolute_url()).status_code, 404)

    def test_owner_edits_own_recommendation(self):
        self.login(self.editor)
        url = reverse("policy:edit", args=[self.proposed.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, self._form_data(title="ชื่อใหม่"))
        self.assertRedirects(response, self.proposed.get_absolute_url())
        self.proposed.refresh_from_db()
        self.assertEqual(self.proposed.title, "ชื่อใหม่")
        self.assertEqual(self.proposed.actors.get().organisation, self.league)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(self.proposed.pk),
                                                  actor=self.editor).exists())

    def test_another_lgus_editor_and_member_cannot_edit_or_update(self):
        for user in (self.outsider, self.member):
            self.login(user)
            for name in ("policy:edit", "policy:update"):
                url = reverse(name, args=[self.proposed.pk])
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, self._form_data()).status_code, 404)
        self.proposed.refresh_from_db()
        self.assertEqual(self.proposed.title, "หนุนเสริม Best Practice")

    def test_anonymous_is_sent_to_sign_in(self):
        self.login(None)
        response = self.client.get(reverse("policy:edit", args=[self.proposed.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_staff_edits_any_and_sees_the_audit_link(self):
        self.login(self.staff)
        response = self.client.get(self.proposed.get_absolute_url())
        self.assertContains(response, reverse("accounts:history",
                                              args=["policy", "recommendation", self.proposed.pk]))
        response = self.client.post(reverse("policy:edit", args=[self.proposed.pk]),
                                    self._form_data(title="แก้โดยเจ้าหน้าที่"))
        self.assertEqual(response.status_code, 302)

    def test_audit_link_hidden_from_the_owner(self):
        self.login(self.editor)
        response = self.client.get(self.proposed.get_absolute_url())
        self.assertNotContains(response, "/accounts/history/")

    def test_member_cannot_create_but_an_editor_can_and_becomes_owner(self):
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("policy:create")).status_code, 403)
        self.login(self.editor)
        data = self._form_data(title="ใหม่", status=RecommendationStatus.DRAFT)
        response = self.client.post(reverse("policy:create"), data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None)
                         and response.context["form"].errors)
        created = Recommendation.objects.get(title="ใหม่")
        self.assertEqual(created.owner, self.editor)
        self.assertEqual(created.status, RecommendationStatus.DRAFT)

    def test_owner_adds_a_timeline_update_that_changes_the_status(self):
        self.login(self.editor)
        response = self.client.post(reverse("policy:update", args=[self.proposed.pk]), {
            "date": "2025-01-15", "text": "ส่งต่อถึง สกถ. แล้ว",
            "status": RecommendationStatus.UNDER_CONSIDERATION, "progress": "20"})
        self.assertRedirects(response, self.proposed.get_absolute_url())
        self.proposed.refresh_from_db()
        self.assertEqual(self.proposed.status, RecommendationStatus.UNDER_CONSIDERATION)
        self.assertEqual(self.proposed.progress, 20)
        page = self.client.get(self.proposed.get_absolute_url())
        self.assertContains(page, "ส่งต่อถึง สกถ. แล้ว")

    def test_bad_form_values_are_clear_messages_not_errors(self):
        self.login(self.editor)
        response = self.client.post(reverse("policy:edit", args=[self.proposed.pk]),
                                    self._form_data(planned_start="2025-05-01", planned_end="2025-01-01",
                                                    lgu_list="NOPE-1"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "NOPE-1", status_code=400)
        response = self.client.post(reverse("policy:update", args=[self.proposed.pk]),
                                    {"date": "not a date", "text": "", "progress": "150"})
        self.assertEqual(response.status_code, 400)

    def _form_data(self, **changes):
        data = {
            "level": Level.LEAGUE, "title": "หนุนเสริม Best Practice",
            "recommendation": "ส.ท.ท. ต้องหนุนเสริม", "themes": [self.governance.pk],
            "status": RecommendationStatus.PROPOSED,
            "actors-TOTAL_FORMS": "1", "actors-INITIAL_FORMS": "0",
            "actors-MIN_NUM_FORMS": "0", "actors-MAX_NUM_FORMS": "1000",
            "actors-0-organisation": str(self.league.pk), "actors-0-role": "accountable",
            "actors-0-note": "",
        }
        data.update(changes)
        return data


class ApiPermissionTests(PolicyTestCase):
    def url(self, recommendation=None):
        if recommendation is None:
            return reverse("recommendation-list")
        return reverse("recommendation-detail", args=[recommendation.pk])

    def test_only_owner_and_staff_change_through_the_api(self):
        for user, expected in ((None, 403), (self.member, 403), (self.outsider, 403),
                               (self.editor, 200), (self.staff, 200)):
            self.login(user)
            response = self.client.patch(self.url(self.proposed), {"effect": f"ผล {user}"},
                                         content_type="application/json")
            self.assertEqual(response.status_code, expected, (user, response.content))

    def test_create_through_the_api_with_nested_actors(self):
        self.login(self.member)
        payload = {"level": "league", "recommendation": "ข้อเสนอใหม่", "themes": ["governance"],
                   "actors": [{"organisation": self.league.pk, "role": "accountable"}]}
        self.assertEqual(self.client.post(self.url(), payload, content_type="application/json")
                         .status_code, 403)
        self.login(self.staff)
        response = self.client.post(self.url(), payload, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["actors"][0]["role"], "accountable")
        self.assertEqual(body["title"], "ข้อเสนอใหม่")
        self.assertEqual(body["owner"], "staff")

    def test_status_changes_only_through_a_timeline_update(self):
        self.login(self.editor)
        response = self.client.patch(self.url(self.proposed), {"status": "adopted"},
                                     content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.json())
        response = self.client.post(reverse("recommendation-updates", args=[self.proposed.pk]),
                                    {"text": "รับไปพิจารณา", "status": "under_consideration",
                                     "progress": 50})
        self.assertEqual(response.status_code, 201, response.content)
        self.proposed.refresh_from_db()
        self.assertEqual((self.proposed.status, self.proposed.progress), ("under_consideration", 50))

    def test_outsider_cannot_add_timeline_updates(self):
        self.login(self.outsider)
        response = self.client.post(reverse("recommendation-updates", args=[self.proposed.pk]),
                                    {"text": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.proposed.updates.exists())
