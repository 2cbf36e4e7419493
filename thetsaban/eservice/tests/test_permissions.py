"""Who may do what, through the pages and the APIs: staff of the LGU (editor), staff of another
LGU (outsider), the reporter, another citizen (member), anonymous, and league staff."""

from django.core.cache import cache
from django.urls import reverse

from thetsaban.eservice import services
from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import MeToo, ServiceRequest, Update
from thetsaban.eservice.tests.base import EserviceTestCase

ROLES = ("editor", "outsider", "reporter", "member", "anonymous", "staff")


class PermissionTableTests(EserviceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.item = cls.report(cls, contact_email="private@example.org")
        cls.fixed = cls.report(cls, lat=7.2, lon=100.6)
        services.change_status(cls.fixed, acting_user=cls.editor, status=Status.FIXED, reason="ซ่อมแล้ว")
        cls.backoffice = services.issue_api_key("SK works", acting_user=cls.staff, lgu=cls.lgu)
        cls.other_backoffice = services.issue_api_key("CR works", acting_user=cls.staff, lgu=cls.other_lgu)

    def as_role(self, role):
        self.login(None if role == "anonymous" else getattr(self, role))

    def test_public_pages_answer_everyone_and_hide_the_contact(self):
        urls = [reverse("eservice:list"), reverse("eservice:lgu", args=["test-sk"]),
                reverse("eservice:stats", args=["test-sk"]), self.item.get_absolute_url(),
                reverse("eservice:map"), reverse("eservice:report")]
        for role in ROLES:
            self.as_role(role)
            for url in urls:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, (role, url))
                if url == self.item.get_absolute_url():
                    shown = b"private@example.org" in response.content
                    self.assertEqual(shown, role in ("editor", "staff"), role)

    def test_handling_is_for_the_lgus_staff_and_league_staff(self):
        allowed = {"editor", "staff"}
        for role in ROLES:
            self.as_role(role)
            before = Update.objects.count()
            response = self.client.post(reverse("eservice:handle", args=[self.item.pk]),
                                        {"note": f"note by {role}"})
            if role in allowed:
                self.assertEqual(response.status_code, 302, role)
                self.assertEqual(Update.objects.count(), before + 1, role)
            else:
                self.assertIn(response.status_code, (302, 403), role)
                self.assertEqual(Update.objects.count(), before, role)

    def test_the_inbox_shows_each_user_only_what_they_handle(self):
        expected = {"editor": True, "staff": True, "outsider": False, "reporter": False, "member": False}
        for role, sees in expected.items():
            self.as_role(role)
            response = self.client.get(reverse("eservice:inbox"), {"lgu": self.lgu.code})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(b'name="ids"' in response.content and f'value="{self.item.pk}"'.encode() in response.content,
                             sees, role)
        self.as_role("anonymous")
        self.assertEqual(self.client.get(reverse("eservice:inbox")).status_code, 302)

    def test_bulk_changes_by_another_lgus_staff_change_nothing(self):
        self.as_role("outsider")
        self.client.post(reverse("eservice:inbox") + f"?lgu={self.lgu.code}",
                         {"ids": [self.item.pk], "status": "closed", "note": "x"})
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).status, Status.OPEN)

    def test_rejecting_a_fix_is_for_the_reporter_and_me_too_people(self):
        MeToo.objects.create(request=self.fixed, user=self.member)
        for role in ("editor", "outsider", "anonymous", "staff"):
            self.as_role(role)
            response = self.client.post(reverse("eservice:reject_fix", args=[self.fixed.pk]), {"reason": "x"})
            self.assertEqual(response.status_code, 403, role)
        self.as_role("member")
        self.client.post(reverse("eservice:reject_fix", args=[self.fixed.pk]), {"reason": "ยังไม่ได้ซ่อม"})
        self.assertEqual(ServiceRequest.objects.get(pk=self.fixed.pk).status, Status.OPEN)

    def test_open311_reads_are_public_and_updates_need_the_lgus_own_key(self):
        cache.clear()
        for role in ROLES:
            self.as_role(role)
            response = self.client.get("/open311/v2/requests.json", {"jurisdiction_id": "test-sk"})
            self.assertEqual(response.status_code, 200, role)
            self.assertNotIn("private@example.org", response.content.decode())
            # A signed-in session is no API key: no role may post without one.
            response = self.client.post("/open311/v2/servicerequestupdates.json", {
                "jurisdiction_id": "test-sk", "service_request_id": self.item.pk, "update_id": role,
                "status": "CLOSED", "updated_datetime": "2026-12-01T10:00:00+07:00", "description": "x"})
            self.assertEqual(response.status_code, 403, role)
        response = self.client.post("/open311/v2/servicerequestupdates.json", {
            "jurisdiction_id": "test-sk", "api_key": self.other_backoffice.plain_key, "service_request_id": self.item.pk,
            "update_id": "1", "status": "CLOSED", "updated_datetime": "2026-12-01T10:00:00+07:00",
            "description": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(ServiceRequest.objects.get(pk=self.item.pk).status, Status.OPEN)

    def test_the_catalogue_api_is_read_only_for_everyone(self):
        for role in ROLES:
            self.as_role(role)
            listed = self.client.get("/api/v1/eservice-services/", {"lgu": self.lgu.code})
            self.assertEqual(listed.status_code, 200, role)
            self.assertEqual(listed.json()["count"], 9)
            detail = f"/api/v1/eservice-services/{self.lights.pk}/"
            response = self.client.patch(detail, {"fix_hours": 1}, content_type="application/json")
            self.assertIn(response.status_code, (401, 403, 405), role)
        self.lights.refresh_from_db()
        self.assertEqual(self.lights.fix_hours, 72)

    def test_restrict_change_is_a_subset_of_view(self):
        for model in (ServiceRequest, Update, MeToo):
            for role in ROLES:
                user = None if role == "anonymous" else getattr(self, role)
                view = set(model.objects.restrict(user, "view").values_list("pk", flat=True))
                change = set(model.objects.restrict(user, "change").values_list("pk", flat=True))
                self.assertLessEqual(change, view, (model, role))
