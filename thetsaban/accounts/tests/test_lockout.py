from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from thetsaban.testing import ThetsabanTestCase

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


def credentials(url, username, password):
    """The site's sign-in form (django-allauth) takes `login`, the admin's `username`."""
    return {"login" if url == LOGIN else "username": username, "password": password}


class SignInLockoutTests(ThetsabanTestCase):
    """After LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, even the
    right password is refused until the wait is over or staff lift the lock."""

    def setUp(self):
        # django-allauth's own per-address limit on sign-ins counts in the cache.
        cache.clear()

    def fail(self, username="editor", times=None, url=LOGIN, address="198.51.100.20"):
        response = None
        for _n in range(settings.AXES_FAILURE_LIMIT if times is None else times):
            response = self.client.post(url, credentials(url, username, "wrong"),
                                        REMOTE_ADDR=address)
        return response

    def sign_in(self, username="editor", url=LOGIN, address="198.51.100.20"):
        self.client.logout()
        return self.client.post(url, credentials(url, username, self.password),
                                REMOTE_ADDR=address)

    def assert_signed_in(self, response, signed_in=True):
        self.assertEqual("_auth_user_id" in self.client.session, signed_in, response)

    def test_the_right_password_is_refused_after_too_many_wrong_ones(self):
        self.assertEqual(settings.AXES_FAILURE_LIMIT, 5)
        self.assertEqual(self.fail(times=4).status_code, 200)  # the form again, with its error
        response = self.fail(times=1)
        self.assertEqual(response.status_code, 429)
        response = self.sign_in()
        self.assertEqual(response.status_code, 429)
        self.assert_signed_in(response, False)
        self.assertContains(response, "Sign-in locked", status_code=429)
        self.assertContains(response, "There were 5 failed sign-ins", status_code=429)
        self.assertContains(response, "Please try again after", status_code=429)
        self.assertContains(response, "(in 15 minutes)", status_code=429)
        self.assertEqual(response["Retry-After"], "900")

    def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(self):
        self.fail(times=30)
        self.assert_signed_in(self.sign_in(), False)

    def test_the_lock_is_for_that_username_from_that_address_only(self):
        self.fail()
        self.assert_signed_in(self.sign_in("member"))
        self.assert_signed_in(self.sign_in("editor", address="203.0.113.9"))

    def test_a_forged_forwarded_for_header_does_not_escape_the_lock(self):
        self.fail()
        response = self.client.post(LOGIN, {"login": "editor", "password": self.password},
                                    REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="192.0.2.1")
        self.assertEqual(response.status_code, 429)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_the_lock_is_for_the_forwarded_client(self):
        for _n in range(settings.AXES_FAILURE_LIMIT):
            self.client.post(LOGIN, {"login": "editor", "password": "wrong"},
                             REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
        self.assertEqual(AccessAttempt.objects.get().ip_address, "198.51.100.20")
        response = self.client.post(LOGIN, {"login": "editor", "password": self.password},
                                    REMOTE_ADDR="10.0.0.2",
                                    HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.20")
        self.assertEqual(response.status_code, 429)
        # Another client behind the same proxy signs in.
        self.assert_signed_in(self.client.post(
            LOGIN, {"login": "editor", "password": self.password},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.21"))

    def test_a_successful_sign_in_starts_the_count_again(self):
        self.fail(times=4)
        self.assert_signed_in(self.sign_in())
        self.fail(times=4)
        self.assert_signed_in(self.sign_in())

    def test_the_lock_ends_after_the_wait(self):
        self.fail()
        AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time
                                     - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
        self.assert_signed_in(self.sign_in())

    def test_the_admin_sign_in_is_locked_as_well(self):
        self.fail("staff", url=ADMIN_LOGIN)
        response = self.sign_in("staff", url=ADMIN_LOGIN)
        self.assertEqual(response.status_code, 429)
        self.assert_signed_in(response, False)

    def test_staff_lift_the_lock_in_the_admin(self):
        self.fail()
        attempt = AccessAttempt.objects.get(username="editor")
        self.assertEqual(self.sign_in().status_code, 429)
        self.login(self.staff)
        changelist = self.client.get(reverse("admin:axes_accessattempt_changelist"))
        self.assertContains(changelist, "editor")
        response = self.client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
                                    {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assert_signed_in(self.sign_in())

    def test_editors_cannot_see_or_lift_locks(self):
        self.fail("member")
        attempt = AccessAttempt.objects.get(username="member")
        for user in (self.editor, None):
            self.login(user)
            response = self.client.post(
                reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
            self.assertEqual(response.status_code, 302)  # to the admin's sign-in page
            self.assertIn(ADMIN_LOGIN, response["Location"])
        self.assertTrue(AccessAttempt.objects.filter(pk=attempt.pk).exists())

    @override_settings(LANGUAGE_CODE="th")
    def test_the_lockout_page_follows_the_readers_language(self):
        self.fail()
        response = self.client.post(LOGIN, {"login": "editor", "password": self.password},
                                    REMOTE_ADDR="198.51.100.20", HTTP_ACCEPT_LANGUAGE="th")
        self.assertContains(response, '<html lang="th">', status_code=429)
        self.assertContains(response, "lockout-until", status_code=429)
