"""Role requests through the API: the owner, another member, a visitor and staff."""

from thetsaban.accounts.choices import RequestedRole, RequestStatus
from thetsaban.accounts.models import AuditEntry, LguMembership, RoleRequest
from thetsaban.testing import ThetsabanTestCase

URL = "/api/v1/role-requests/"


class RoleRequestAPITests(ThetsabanTestCase):
    def ask(self, **data):
        body = {"role": RequestedRole.LGU_EDITOR, "lgu": self.lgu.code,
                "reason": "ปลัดเทศบาล ดูแลข้อมูลของเทศบาล", **data}
        return self.client.post(URL, body, content_type="application/json")

    def test_a_member_asks_for_a_role_and_sees_only_their_own(self):
        self.login(self.member)
        response = self.ask()
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], RequestStatus.PENDING)
        self.assertEqual(response.json()["lgu"], self.lgu.code)
        request = RoleRequest.objects.get(pk=response.json()["id"])
        self.assertEqual(request.user, self.member)
        self.assertTrue(AuditEntry.objects.for_object(request).filter(actor=self.member).exists())
        self.login(self.outsider)
        self.ask(role=RequestedRole.REVIEWER, lgu=None)
        self.login(self.member)
        self.assertEqual([r["id"] for r in self.client.get(URL).json()["results"]], [request.pk])

    def test_a_second_pending_request_for_the_same_role_is_a_400_naming_why(self):
        self.login(self.member)
        self.ask()
        response = self.ask()
        self.assertEqual(response.status_code, 400)
        self.assertIn("already asked", str(response.json()))
        self.assertEqual(RoleRequest.objects.count(), 1)

    def test_an_editor_role_without_an_lgu_is_a_400(self):
        self.login(self.member)
        response = self.ask(lgu=None)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(RoleRequest.objects.exists())

    def test_another_member_neither_sees_nor_withdraws_nor_decides(self):
        self.login(self.member)
        request_id = self.ask().json()["id"]
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"{URL}{request_id}/").status_code, 404)
        self.assertEqual(self.client.post(f"{URL}{request_id}/withdraw/").status_code, 404)
        self.assertEqual(self.client.post(f"{URL}{request_id}/decide/", {"approve": True},
                                          content_type="application/json").status_code, 404)
        self.assertEqual(RoleRequest.objects.get(pk=request_id).status, RequestStatus.PENDING)

    def test_a_visitor_is_refused(self):
        self.login(None)
        self.assertIn(self.client.get(URL).status_code, (401, 403))
        self.assertIn(self.ask().status_code, (401, 403))
        self.assertFalse(RoleRequest.objects.exists())

    def test_the_owner_withdraws_but_cannot_decide(self):
        self.login(self.member)
        request_id = self.ask().json()["id"]
        response = self.client.post(f"{URL}{request_id}/decide/", {"approve": True},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 403)
        response = self.client.post(f"{URL}{request_id}/withdraw/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], RequestStatus.WITHDRAWN)
        self.assertEqual(self.client.post(f"{URL}{request_id}/withdraw/").status_code, 403)

    def test_staff_list_every_request_and_grant_one_audited(self):
        self.login(self.member)
        request_id = self.ask().json()["id"]
        self.login(self.staff)
        self.assertEqual(self.client.get(URL, {"status": "lost"}).status_code, 400)
        listed = self.client.get(URL, {"status": "pending"}).json()["results"]
        self.assertEqual([r["id"] for r in listed], [request_id])
        response = self.client.post(f"{URL}{request_id}/decide/", {"approve": True, "note": "ตรวจแล้ว"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], RequestStatus.APPROVED)
        self.assertEqual(response.json()["decided_by"], "staff")
        self.assertTrue(LguMembership.objects.filter(user=self.member, lgu=self.lgu).exists())
        request = RoleRequest.objects.get(pk=request_id)
        self.assertTrue(AuditEntry.objects.for_object(request).filter(actor=self.staff).exists())
        again = self.client.post(f"{URL}{request_id}/decide/", {"approve": False},
                                 content_type="application/json")
        self.assertEqual(again.status_code, 400)

    def test_staff_cannot_grant_their_own_request(self):
        self.login(self.staff)
        request_id = self.ask(role=RequestedRole.LGU_EDITOR, lgu=self.other_lgu.code).json()["id"]
        response = self.client.post(f"{URL}{request_id}/decide/", {"approve": True},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(RoleRequest.objects.get(pk=request_id).status, RequestStatus.PENDING)
        self.assertFalse(LguMembership.objects.filter(user=self.staff).exists())
