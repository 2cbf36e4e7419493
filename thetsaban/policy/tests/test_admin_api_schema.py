"""The admin saves leave audit records; the OpenAPI schema documents the policy endpoints."""

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.policy import services
from thetsaban.policy.choices import RecommendationStatus
from thetsaban.policy.models import Recommendation, RecommendationUpdate
from thetsaban.policy.tests.base import PolicyTestCase
from thetsaban.testing import admin_form_data


class AdminTests(PolicyTestCase):
    def test_admin_change_is_audited(self):
        self.login(self.staff)
        url = reverse("admin:policy_recommendation_change", args=[self.proposed.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {
            "level": "league", "title": "แก้ในหน้าผู้ดูแล", "recommendation": "ส.ท.ท. ต้องหนุนเสริม",
            "status": "proposed", "progress": "0", "position": "0", "themes": [self.governance.pk],
            "actors-TOTAL_FORMS": "1", "actors-INITIAL_FORMS": "0", "actors-MIN_NUM_FORMS": "0",
            "actors-MAX_NUM_FORMS": "1000", "actors-0-organisation": str(self.league.pk),
            "actors-0-role": "accountable", "actors-0-note": "",
            "updates-TOTAL_FORMS": "0", "updates-INITIAL_FORMS": "0", "updates-MIN_NUM_FORMS": "0",
            "updates-MAX_NUM_FORMS": "1000",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.assertEqual(Recommendation.objects.get(pk=self.proposed.pk).title, "แก้ในหน้าผู้ดูแล")
        entries = AuditEntry.objects.filter(actor=self.staff)
        self.assertTrue(entries.filter(content_type__model="recommendation",
                                       object_id=str(self.proposed.pk)).exists())
        self.assertTrue(entries.filter(content_type__model="recommendationactor").exists())

    def test_an_admin_edit_is_saved_by_the_service_tells_the_followers_and_is_audited_once(self):
        from unittest import mock

        from thetsaban import hooks

        self.login(self.staff)
        url = reverse("admin:policy_recommendation_change", args=[self.proposed.pk])
        data = admin_form_data(self.client.get(url))
        data["recommendation"] = "ส.ท.ท. ต้องหนุนเสริมทุกเทศบาล"
        with mock.patch.object(hooks.record_changed, "send") as send:
            response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        stored = Recommendation.objects.get(pk=self.proposed.pk)
        self.assertEqual(send.call_args.kwargs["record"], stored)
        entry = AuditEntry.objects.for_object(stored).filter(actor=self.staff).get()
        self.assertEqual(entry.action, "update")

    def test_admin_is_for_staff(self):
        self.login(self.editor)
        response = self.client.get(reverse("admin:policy_recommendation_changelist"))
        self.assertEqual(response.status_code, 302)


class SchemaTests(PolicyTestCase):
    def test_policy_endpoints_are_in_the_openapi_schema(self):
        response = self.client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        for path in ("/api/v1/recommendations/", "/api/v1/recommendations/{id}/updates/",
                     "/api/v1/recommendations/promote-issue/", "/api/v1/policy-coverage/",
                     "/api/v1/policy-report/"):
            self.assertIn(path, text)


class AdminTimelineTests(PolicyTestCase):
    """A timeline entry added in the admin goes through the same service as the page and API."""

    def post_entry(self, user, status):
        self.login(user)
        url = reverse("admin:policy_recommendation_change", args=[self.proposed.pk])
        data = admin_form_data(self.client.get(url))
        data.update({"updates-TOTAL_FORMS": str(int(data["updates-TOTAL_FORMS"]) + 1)})
        row = f"updates-{int(data['updates-INITIAL_FORMS'])}"
        data.update({f"{row}-date": "2026-01-15", f"{row}-text": "ส่งต่อหน่วยงาน", f"{row}-status": status})
        return self.client.post(url, data)

    def test_an_admin_timeline_entry_moves_the_status_and_is_audited(self):
        response = self.post_entry(self.staff, RecommendationStatus.ADOPTED)
        self.assertEqual(response.status_code, 302)
        recommendation = Recommendation.objects.get(pk=self.proposed.pk)
        self.assertEqual(recommendation.status, RecommendationStatus.ADOPTED)
        update = RecommendationUpdate.objects.get(recommendation=recommendation)
        self.assertEqual((update.author, update.status), (self.staff, RecommendationStatus.ADOPTED))
        self.assertEqual(AuditEntry.objects.for_object(update).get().action, "create")
        last = AuditEntry.objects.for_object(recommendation).order_by("pk").last()
        self.assertEqual(last.after["status"], RecommendationStatus.ADOPTED)

    def test_staff_do_not_mark_their_own_recommendation_adopted_in_the_admin(self):
        Recommendation.objects.filter(pk=self.proposed.pk).update(owner=self.staff)
        response = self.post_entry(self.staff, RecommendationStatus.ADOPTED)
        self.assertContains(response, "You cannot approve your own work")
        self.assertEqual(Recommendation.objects.get(pk=self.proposed.pk).status, RecommendationStatus.PROPOSED)
        self.assertFalse(RecommendationUpdate.objects.exists())

    def test_an_entry_on_the_timeline_has_its_text_corrected_but_keeps_its_status(self):
        update = services.add_update(self.proposed, acting_user=self.staff, text="ส่งต่อ", status="forwarded")
        self.login(self.staff)
        url = reverse("admin:policy_recommendation_change", args=[self.proposed.pk])
        data = admin_form_data(self.client.get(url))
        data.update({"updates-0-text": "ส่งต่อหน่วยงาน", "updates-0-status": "implemented"})
        self.assertEqual(self.client.post(url, data).status_code, 302)
        update.refresh_from_db()
        self.assertEqual((update.text, update.status), ("ส่งต่อหน่วยงาน", "forwarded"))
        self.assertEqual(Recommendation.objects.get(pk=self.proposed.pk).status, "forwarded")
        entry = AuditEntry.objects.for_object(update).filter(action="update").get()
        self.assertEqual(entry.before["text"], "ส่งต่อ")
