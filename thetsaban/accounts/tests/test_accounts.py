from io import StringIO

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import delete_audited, save_audited
from thetsaban.env import env_bool, env_int
from thetsaban.places.models import Lgu
from thetsaban.testing import ThetsabanTestCase


class AuditTrailTests(ThetsabanTestCase):
    def test_save_audited_records_who_when_and_before_and_after(self):
        self.lgu.population = 75_000
        save_audited(self.lgu, acting_user=self.staff)
        entry = AuditEntry.objects.for_object(self.lgu).get()
        self.assertEqual(entry.actor, self.staff)
        self.assertEqual(entry.action, "update")
        self.assertIsNone(entry.before["population"])
        self.assertEqual(entry.after["population"], 75_000)
        self.assertIn(("population", None, 75_000), entry.changes)

    def test_delete_audited_keeps_the_last_values(self):
        lgu = Lgu.objects.create(code="X1", name_th="เทศบาลตำบลทดสอบ", lgu_type="subdistrict",
                                 province=self.lgu.province)
        pk = lgu.pk
        delete_audited(lgu, acting_user=self.staff)
        entry = AuditEntry.objects.get(object_id=str(pk), action="delete")
        self.assertEqual(entry.before["name_th"], "เทศบาลตำบลทดสอบ")

    def test_password_hashes_never_enter_the_audit_trail(self):
        call_command("ensure_staff", username="boss", stdout=StringIO())
        entry = AuditEntry.objects.filter(object_repr="boss").first()
        self.assertNotIn("password", entry.after)

    def test_staff_can_browse_a_records_history_and_no_one_else_can(self):
        save_audited(self.lgu, acting_user=self.staff)
        url = reverse("accounts:history", args=["places", "lgu", self.lgu.pk])
        for user, status in [(self.staff, 200), (self.editor, 404), (self.outsider, 404),
                             (self.member, 404), (None, 404)]:
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)
        self.login(self.staff)
        self.assertContains(self.client.get(url), "staff")


class StaffAccountTests(ThetsabanTestCase):
    def test_ensure_staff_prints_a_generated_password_that_works_and_changes_each_time(self):
        first, second = StringIO(), StringIO()
        call_command("ensure_staff", username="league", stdout=first)
        call_command("ensure_staff", username="league", stdout=second)
        password = second.getvalue().strip().split()[-1]
        self.assertNotEqual(first.getvalue().strip().split()[-1], password)
        user = User.objects.get(username="league")
        self.assertTrue(user.is_staff and user.check_password(password))


class LoginPageTests(ThetsabanTestCase):
    def test_sign_in_with_the_form(self):
        response = self.client.post(reverse("accounts:login"),
                                    {"login": "editor", "password": self.password})
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        response = self.client.post(reverse("accounts:login"),
                                    {"login": "editor", "password": "wrong"})
        self.assertEqual(response.status_code, 200)

    @override_settings(LANGUAGE_CODE="th")
    def test_pages_default_to_thai_with_an_english_switch(self):
        response = self.client.get(reverse("home"))
        self.assertContains(response, '<html lang="th">')
        self.assertContains(response, "แนวปฏิบัติ")
        response = self.client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
        self.assertContains(response, '<html lang="en">')


class StrictSettingsTests(SimpleTestCase):
    def test_a_wrong_boolean_is_an_error_not_false(self):
        import os

        os.environ["THETSABAN_TEST_FLAG"] = "maybe"
        try:
            with self.assertRaises(ImproperlyConfigured):
                env_bool("THETSABAN_TEST_FLAG", False)
            os.environ["THETSABAN_TEST_FLAG"] = "ten"
            with self.assertRaises(ImproperlyConfigured):
                env_int("THETSABAN_TEST_FLAG", 1)
        finally:
            del os.environ["THETSABAN_TEST_FLAG"]
