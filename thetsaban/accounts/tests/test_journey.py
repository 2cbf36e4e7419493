"""A visitor's whole way in: sign up, confirm, sign in by e-mail and by username, reset and
change the password, fill in the profile, ask to edit their LGU, and edit it once staff agree."""

import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from thetsaban.accounts.choices import RequestStatus
from thetsaban.accounts.models import AuditEntry, LguMembership, Profile, RoleRequest, User
from thetsaban.practices.choices import ReviewStatus
from thetsaban.practices.tests.base import make_practice
from thetsaban.testing import ThetsabanTestCase

NEW_PASSWORD = "another-long-passphrase-9"
LAST_PASSWORD = "a-third-long-passphrase-7"


def link_in(message, path_start: str) -> str:
    """The path of the first link in an e-mail that starts with `path_start`."""
    for url in re.findall(r"https?://\S+", message.body):
        path = urlsplit(url).path
        if path.startswith(path_start):
            return path
    raise AssertionError(f"no link to {path_start} in: {message.body}")


class SignUpJourneyTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.practice = make_practice(cls.lgu, ReviewStatus.DRAFT, title_th="ร่างตลาดนัดชุมชน")

    def setUp(self):
        cache.clear()  # django-allauth's rate limits count in the cache

    def signed_in_as(self):
        return User.objects.filter(pk=self.client.session.get("_auth_user_id")).first()

    def sign_in(self, login, password):
        self.client.logout()
        return self.client.post(reverse("accounts:login"), {"login": login, "password": password})

    def test_the_whole_way_from_sign_up_to_editing_ones_lgu(self):
        # Sign up: the form is inside the site's layout.
        page = self.client.get(reverse("account_signup"))
        self.assertContains(page, 'class="site"')
        self.assertContains(page, 'class="stacked card narrow"')
        response = self.client.post(reverse("account_signup"), {
            "email": "somchai@example.org", "username": "somchai",
            "password1": self.password, "password2": self.password})
        self.assertRedirects(response, reverse("account_email_verification_sent"))
        user = User.objects.get(username="somchai")
        self.assertIsNone(self.signed_in_as())
        self.assertEqual(len(mail.outbox), 1)
        confirm = link_in(mail.outbox[0], "/accounts/confirm-email/")
        self.assertEqual(mail.outbox[0].to, ["somchai@example.org"])

        # Not confirmed yet: signing in sends the address a new link instead.
        self.sign_in("somchai", self.password)
        self.assertIsNone(self.signed_in_as())

        # Confirm: the link shows a button, which confirms.
        self.assertContains(self.client.get(confirm), "somchai@example.org")
        self.client.post(confirm)
        self.assertTrue(EmailAddress.objects.get(user=user).verified)

        # Sign in by e-mail address, then by username.
        self.assertEqual(self.sign_in("somchai@example.org", self.password).status_code, 302)
        self.assertEqual(self.signed_in_as(), user)
        self.assertEqual(self.sign_in("somchai", self.password).status_code, 302)
        self.assertEqual(self.signed_in_as(), user)
        self.client.post(reverse("accounts:logout"))
        self.assertIsNone(self.signed_in_as())

        # Forgotten password: the e-mailed link sets a new one.
        mail.outbox.clear()
        response = self.client.post(reverse("account_reset_password"), {"email": "SOMCHAI@example.org"})
        self.assertRedirects(response, reverse("account_reset_password_done"))
        reset = link_in(mail.outbox[0], "/accounts/password/reset/key/")
        form_page = self.client.get(reset, follow=True)
        self.assertContains(form_page, 'name="password1"')
        self.client.post(form_page.redirect_chain[-1][0],
                         {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        self.sign_in("somchai", self.password)
        self.assertIsNone(self.signed_in_as())
        self.sign_in("somchai", NEW_PASSWORD)
        self.assertEqual(self.signed_in_as(), user)

        # Change the password while signed in.
        response = self.client.post(reverse("account_change_password"), {
            "oldpassword": NEW_PASSWORD, "password1": LAST_PASSWORD, "password2": LAST_PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.sign_in("somchai@example.org", LAST_PASSWORD)
        self.assertEqual(self.signed_in_as(), user)

        # The profile.
        response = self.client.post(reverse("accounts:profile"), {
            "first_name": "สมชาย", "last_name": "ใจดี", "affiliation": "เทศบาลนครสงขลา",
            "lgu": self.lgu.pk, "languages": "ไทย, English", "email_notifications": ""})
        self.assertRedirects(response, reverse("accounts:profile"))
        profile = Profile.objects.get(user=user)
        self.assertEqual((profile.lgu, profile.languages, profile.email_notifications),
                         (self.lgu, "ไทย, English", False))
        user.refresh_from_db()
        self.assertEqual(user.get_full_name(), "สมชาย ใจดี")
        self.assertTrue(AuditEntry.objects.for_object(profile).filter(actor=user).exists())

        # Not an editor yet: the LGU's draft practice cannot be edited.
        edit = reverse("practices:edit", args=[self.practice.pk])
        self.assertIn(self.client.get(edit).status_code, (403, 404))

        # Ask to edit for one's LGU (the form offers the profile's LGU).
        page = self.client.get(reverse("accounts:role_request_new"))
        self.assertContains(page, f'<option value="{self.lgu.pk}" selected>')
        response = self.client.post(reverse("accounts:role_request_new"), {
            "role": "lgu_editor", "lgu": self.lgu.pk, "reason": "นิติกรชำนาญการ กองวิชาการ"})
        self.assertRedirects(response, reverse("accounts:role_requests_mine"))
        role_request = RoleRequest.objects.get(user=user)
        self.assertEqual(role_request.status, RequestStatus.PENDING)

        # The member cannot grant it (not staff).
        decide = reverse("accounts:role_request_decide", args=[role_request.pk])
        self.assertEqual(self.client.post(decide, {"decision": "approve"}).status_code, 403)
        self.assertEqual(self.client.get(reverse("accounts:role_requests")).status_code, 403)

        # Staff see it in the list and grant it.
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("accounts:role_requests")), "somchai@example.org")
        response = self.client.post(decide, {"decision": "approve", "note": "ตรวจสอบแล้ว"}, follow=True)
        self.assertContains(response, "Granted")
        role_request.refresh_from_db()
        self.assertEqual((role_request.status, role_request.decided_by),
                         (RequestStatus.APPROVED, self.staff))
        membership = LguMembership.objects.get(user=user, lgu=self.lgu)
        self.assertTrue(AuditEntry.objects.for_object(membership).filter(actor=self.staff).exists())
        self.assertTrue(AuditEntry.objects.for_object(role_request).filter(actor=self.staff).exists())

        # Now the member edits the LGU's practice, on the page and through the API.
        self.sign_in("somchai", LAST_PASSWORD)
        self.assertEqual(self.client.get(edit).status_code, 200)
        response = self.client.patch(f"/api/v1/practices/{self.practice.pk}/",
                                     {"title_en": "Community market"}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        # … but not the other LGU's.
        other = make_practice(self.other_lgu, ReviewStatus.DRAFT, title_th="ร่างของเชียงราย")
        self.assertIn(self.client.get(reverse("practices:edit", args=[other.pk])).status_code,
                      (403, 404))
        response = self.client.patch(f"/api/v1/practices/{other.pk}/", {"title_en": "X"},
                                     content_type="application/json")
        self.assertIn(response.status_code, (403, 404))

    def test_the_sign_up_pages_are_in_thai_by_default(self):
        with self.settings(LANGUAGE_CODE="th"):
            page = self.client.get(reverse("account_signup"))
        self.assertContains(page, '<html lang="th">')
        self.assertContains(page, "ลงทะเบียน")  # django-allauth's own Thai

    def test_an_address_already_used_cannot_sign_up_again_nor_be_found_out(self):
        self.member.email = "member@example.org"
        self.member.save()
        response = self.client.post(reverse("account_signup"), {
            "email": "Member@example.org", "username": "someone",
            "password1": self.password, "password2": self.password})
        # Answered as any sign-up, so that nobody learns which addresses have accounts; the
        # address's owner is told by e-mail.
        self.assertRedirects(response, reverse("account_email_verification_sent"))
        self.assertFalse(User.objects.filter(username="someone").exists())
        self.assertEqual([m.to for m in mail.outbox], [["member@example.org"]])

    def test_accounts_staff_made_sign_in_without_a_confirmation(self):
        # Made in the admin or a command: no address record, staff vouch for it.
        self.sign_in("editor", self.password)
        self.assertEqual(self.signed_in_as(), self.editor)


class AccountPagesTests(ThetsabanTestCase):
    """Every account page sits in the site's layout, in Thai and in English."""

    def test_pages_for_visitors(self):
        for name in ("accounts:login", "account_signup", "account_reset_password",
                     "account_reset_password_done", "account_email_verification_sent"):
            for language in ("th", "en"):
                with self.settings(LANGUAGE_CODE=language):
                    page = self.client.get(reverse(name))
                self.assertContains(page, f'<html lang="{language}">', msg_prefix=name)
                self.assertContains(page, '<header class="site">', msg_prefix=name)

    def test_pages_for_members(self):
        self.login(self.member)
        for name in ("accounts:profile", "account_change_password", "account_email",
                     "accounts:logout", "accounts:role_requests_mine", "accounts:role_request_new",
                     "accounts:delete_account", "participation:me", "participation:notifications"):
            page = self.client.get(reverse(name))
            self.assertContains(page, '<header class="site">', msg_prefix=name)
            self.assertContains(page, 'class="stacked card narrow"' if name != "participation:me"
                                and "role_requests" not in name and "notifications" not in name
                                else "<h1>", msg_prefix=name)

    def test_the_sign_in_page_offers_sign_up_and_a_forgotten_password(self):
        page = self.client.get(reverse("accounts:login"))
        self.assertContains(page, f'href="{reverse("account_signup")}"')
        self.assertContains(page, f'href="{reverse("account_reset_password")}"')
        self.assertContains(page, "E-mail address or username")
