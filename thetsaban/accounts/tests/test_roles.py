"""Role requests (members ask, staff grant, never their own) and account deletion requests,
for anonymous visitors, members, editors of another LGU and staff."""

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.urls import reverse

from thetsaban.accounts.choices import DeletionStatus, RequestStatus
from thetsaban.accounts.models import (
    AuditEntry,
    DeletionRequest,
    LguMembership,
    RoleRequest,
    User,
)
from thetsaban.accounts.services import decide_role_request, request_role
from thetsaban.testing import ThetsabanTestCase, allow_self_approval

NEW = reverse("accounts:role_request_new")
MINE = reverse("accounts:role_requests_mine")
QUEUE = reverse("accounts:role_requests")
PROFILE = reverse("accounts:profile")
DELETE = reverse("accounts:delete_account")


def decide(pk):
    return reverse("accounts:role_request_decide", args=[pk])


class RoleRequestTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second_staff = User.objects.create(username="staff2", is_staff=True,
                                               password=make_password(cls.password))
        cls.asked = RoleRequest.objects.create(user=cls.member, role="lgu_editor", lgu=cls.lgu,
                                               reason="เจ้าหน้าที่วิเคราะห์นโยบาย")

    def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(self):
        for url in (NEW, MINE, QUEUE, PROFILE, DELETE):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.client.post(decide(self.asked.pk), {"decision": "approve"})
        self.asked.refresh_from_db()
        self.assertEqual(self.asked.status, RequestStatus.PENDING)

    def test_members_and_editors_cannot_see_the_queue_or_decide(self):
        for user in (self.member, self.editor, self.outsider, self.reviewer):
            self.login(user)
            self.assertEqual(self.client.get(QUEUE).status_code, 403)
            self.assertEqual(self.client.post(decide(self.asked.pk), {"decision": "approve"}).status_code, 403)
        self.assertFalse(LguMembership.objects.filter(user=self.member).exists())

    def test_a_member_sees_and_withdraws_only_their_own_requests(self):
        self.login(self.outsider)
        self.assertNotContains(self.client.get(MINE), "เจ้าหน้าที่วิเคราะห์นโยบาย")
        withdraw = reverse("accounts:role_request_withdraw", args=[self.asked.pk])
        self.assertEqual(self.client.post(withdraw).status_code, 404)
        self.login(self.member)
        self.assertContains(self.client.get(MINE), "เจ้าหน้าที่วิเคราะห์นโยบาย")
        self.client.post(withdraw)
        self.asked.refresh_from_db()
        self.assertEqual(self.asked.status, RequestStatus.WITHDRAWN)
        self.assertTrue(AuditEntry.objects.for_object(self.asked).filter(actor=self.member).exists())

    def test_a_second_request_for_the_same_role_waits_for_the_first(self):
        self.login(self.member)
        response = self.client.post(NEW, {"role": "lgu_editor", "lgu": self.lgu.pk, "reason": "อีกครั้ง"})
        self.assertContains(response, "You have already asked for this role")
        self.client.post(NEW, {"role": "moderator", "reason": "ดูแลกลุ่ม"})
        response = self.client.post(NEW, {"role": "moderator", "reason": "ดูแลกลุ่ม"})
        self.assertContains(response, "You have already asked for this role")
        self.assertEqual(RoleRequest.objects.filter(user=self.member).count(), 2)

    def test_an_editor_request_names_its_lgu_and_an_editor_cannot_ask_twice(self):
        self.login(self.member)
        response = self.client.post(NEW, {"role": "lgu_editor", "reason": "ไม่มี อปท."})
        self.assertContains(response, "Choose the LGU you want to edit for.")
        self.login(self.editor)
        response = self.client.post(NEW, {"role": "lgu_editor", "lgu": self.lgu.pk, "reason": "ซ้ำ"})
        self.assertContains(response, "You already edit for this LGU.")
        # Another role's request carries no LGU even if one was posted.
        self.client.post(NEW, {"role": "reviewer", "lgu": self.lgu.pk, "reason": "ผู้ตรวจ"})
        self.assertIsNone(RoleRequest.objects.get(user=self.editor).lgu)

    def test_staff_refuse_a_request_and_no_right_is_given(self):
        self.login(self.staff)
        self.client.post(decide(self.asked.pk), {"decision": "refuse", "note": "ไม่พบชื่อในทะเบียน"})
        self.asked.refresh_from_db()
        self.assertEqual((self.asked.status, self.asked.decision_note),
                         (RequestStatus.REFUSED, "ไม่พบชื่อในทะเบียน"))
        self.assertFalse(LguMembership.objects.filter(user=self.member).exists())
        self.login(self.member)
        self.assertContains(self.client.get(MINE), "ไม่พบชื่อในทะเบียน")
        # A decided request is not decided again.
        self.login(self.staff)
        response = self.client.post(decide(self.asked.pk), {"decision": "approve"}, follow=True)
        self.assertContains(response, "already been decided")
        self.assertFalse(LguMembership.objects.filter(user=self.member).exists())

    def test_granting_reviewer_and_moderator_sets_the_flags(self):
        for role in ("reviewer", "moderator"):
            role_request = request_role(self.member, role, reason="ขอ", acting_user=self.member)
            decide_role_request(role_request, approve=True, acting_user=self.staff)
        self.member.refresh_from_db()
        self.assertTrue(self.member.is_reviewer and self.member.is_moderator)
        self.assertEqual(AuditEntry.objects.for_object(self.member).filter(actor=self.staff).count(), 2)

    def test_nobody_grants_their_own_request(self):
        own = request_role(self.second_staff, "lgu_editor", lgu=self.other_lgu, reason="ทดลอง",
                           acting_user=self.second_staff)
        self.login(self.second_staff)
        page = self.client.get(QUEUE)
        self.assertContains(page, "You cannot approve your own work")
        audit_rows = AuditEntry.objects.count()
        response = self.client.post(decide(own.pk), {"decision": "approve"}, follow=True)
        self.assertContains(response, "You cannot approve your own work")
        own.refresh_from_db()
        self.assertEqual(own.status, RequestStatus.PENDING)
        self.assertFalse(LguMembership.objects.filter(user=self.second_staff).exists())
        self.assertEqual(AuditEntry.objects.count(), audit_rows)
        # Another member of staff may.
        self.login(self.staff)
        self.client.post(decide(own.pk), {"decision": "approve"})
        self.assertTrue(LguMembership.objects.filter(user=self.second_staff, lgu=self.other_lgu).exists())

    def test_a_self_approval_staff_allowed_is_marked_in_the_audit_trail(self):
        allow_self_approval()
        own = request_role(self.staff, "reviewer", reason="ทีมเล็ก", acting_user=self.staff)
        decide_role_request(own, approve=True, acting_user=self.staff)
        entry = AuditEntry.objects.for_object(own).first()
        self.assertIn("self-approval", entry.note)

    def test_no_one_asks_a_role_for_someone_else(self):
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            request_role(self.member, "reviewer", reason="x", acting_user=self.outsider)


class DeletionRequestTests(ThetsabanTestCase):
    def test_a_member_asks_once_and_staff_see_the_request(self):
        self.login(self.member)
        response = self.client.post(DELETE, {"reason": "ไม่ใช้แล้ว"})
        self.assertContains(response, "This field is required")  # the confirmation box
        self.client.post(DELETE, {"reason": "ไม่ใช้แล้ว", "confirm": "on"})
        request = DeletionRequest.objects.get()
        self.assertEqual((request.user, request.username, request.status),
                         (self.member, "member", DeletionStatus.PENDING))
        self.assertTrue(AuditEntry.objects.for_object(request).filter(actor=self.member).exists())
        self.assertContains(self.client.get(DELETE), "You asked for your account to be deleted")
        self.client.post(DELETE, {"reason": "อีกครั้ง", "confirm": "on"})
        self.assertEqual(DeletionRequest.objects.count(), 1)

        changelist = reverse("admin:accounts_deletionrequest_changelist")
        self.login(self.editor)
        self.assertNotEqual(self.client.get(changelist).status_code, 200)
        self.login(self.staff)
        self.assertContains(self.client.get(changelist), "member")

    def test_the_admin_only_reads_a_deletion_request_staff_handle_it_as_an_erasure(self):
        request = DeletionRequest.objects.create(user=self.member, username="member")
        self.login(self.staff)
        url = reverse("admin:accounts_deletionrequest_change", args=[request.pk])
        self.assertContains(self.client.get(url), "member")
        self.client.post(url, {"status": "done", "staff_note": "ลบแล้ว"})
        request.refresh_from_db()
        self.assertEqual((request.status, request.handled_by), (DeletionStatus.PENDING, None))
        self.assertTrue(User.objects.filter(pk=self.member.pk).exists())
        self.assertFalse(AuditEntry.objects.for_object(request).exists())


class LockoutThroughEmailTests(ThetsabanTestCase):
    """django-axes counts the sign-ins of one account, typed as an address or a username."""

    def setUp(self):
        cache.clear()
        self.editor.email = "editor@example.org"
        self.editor.save()

    def post(self, login, password):
        return self.client.post(reverse("accounts:login"), {"login": login, "password": password},
                                REMOTE_ADDR="198.51.100.30")

    def test_failures_by_address_and_by_username_add_up_to_the_lock(self):
        for _n in range(3):
            self.assertEqual(self.post("editor@example.org", "wrong").status_code, 200)
        self.assertEqual(self.post("editor", "wrong").status_code, 200)
        self.assertEqual(self.post("EDITOR@example.org", "wrong").status_code, 429)
        for login in ("editor", "editor@example.org"):
            response = self.post(login, self.password)
            self.assertEqual(response.status_code, 429)
            self.assertContains(response, "Sign-in locked", status_code=429)
            self.assertNotIn("_auth_user_id", self.client.session)
        # Another account from the same address still signs in.
        self.assertEqual(self.post("member", self.password).status_code, 302)
