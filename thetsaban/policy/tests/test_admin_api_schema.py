"""The admin saves leave audit records; the OpenAPI schema documents the policy endpoints."""

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.policy.models import Recommendation
from thetsaban.policy.tests.base import PolicyTestCase


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
