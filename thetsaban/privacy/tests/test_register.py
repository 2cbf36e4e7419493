"""The register of personal data: each app declares its entries in its AppConfig; staff read it
and download it; a wrong declaration is refused at start-up."""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test import SimpleTestCase
from django.urls import reverse

from thetsaban import hooks
from thetsaban.privacy import demo
from thetsaban.testing import ThetsabanTestCase


class RegisterTests(ThetsabanTestCase):
    def test_staff_read_where_personal_data_lives_with_purpose_and_legal_basis(self):
        self.login(self.staff)
        page = self.client.get(reverse("privacy:register"))
        self.assertContains(page, "eservice.ServiceRequest")
        self.assertContains(page, "Reaching the person who reported a problem while the LGU handles it.")
        self.assertContains(page, "Public task of the LGU (s.24(4))")
        self.assertContains(page, "Kept as a civic record, shown as “a member”")
        self.assertContains(page, "730")

    def test_staff_download_the_register_as_csv(self):
        self.login(self.staff)
        response = self.client.get(reverse("privacy:register_csv"))
        text = response.content.decode("utf-8-sig")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertTrue(text.startswith("Record,Model,Personal fields,Purpose,Legal basis"))
        self.assertIn("participation.Comment", text)
        self.assertEqual(len(text.strip().splitlines()), len(hooks.personal_data()) + 1)

    def test_only_staff_read_it(self):
        for user in (self.member, self.editor, self.outsider, self.reviewer):
            self.login(user)
            for name in ("privacy:register", "privacy:register_csv"):
                self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("privacy:register")).status_code, 302)

    def test_every_entry_names_existing_fields_and_lookups(self):
        for entry in hooks.personal_data():
            with self.subTest(model=entry.model_label):
                for name in entry.fields:
                    entry.model._meta.get_field(name)
                if entry.erasure == "reassign":
                    self.assertTrue(entry.model._meta.get_field(entry.subject).is_relation)
                lookups = [entry.subject, entry.subject_email, entry.retention_from]
                for lookup in filter(None, lookups):
                    entry.model._default_manager.filter(**{f"{lookup}__isnull": True}).exists()


# Rows deleted with an account that need no entry, and why.
NOT_IN_THE_REGISTER = {
    "admin.LogEntry": "the admin's own log of an account's edits, deleted with it (the audit trail is "
                      "accounts.AuditEntry)",
    "authtoken.Token": "a secret for the API, deleted with the account",
    "authtoken.TokenProxy": "the same tokens",
}


class CompletenessTests(SimpleTestCase):
    def test_every_row_deleted_with_an_account_is_declared_so_erasure_keeps_civic_records(self):
        """A model whose rows go when their account is deleted must say what erasure does with
        them: otherwise deleting the account would silently take civic records with it."""
        declared = {(entry.model_label, entry.subject) for entry in hooks.personal_data()}
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is user_model \
                        and field.remote_field.on_delete is models.CASCADE:
                    with self.subTest(model=model._meta.label, field=field.name):
                        self.assertTrue((model._meta.label, field.name) in declared
                                        or model._meta.label in NOT_IN_THE_REGISTER)


class DeclarationTests(SimpleTestCase):
    def test_a_declaration_with_an_unknown_legal_basis_or_no_reason_to_keep_is_refused(self):
        bad = [hooks.PersonalData("accounts.User", ("email",), purpose="x", legal_basis="because"),
               hooks.PersonalData("accounts.User", ("email",), purpose="x", legal_basis="consent", erasure="keep")]
        for entry in bad:
            with self.subTest(entry=entry), self.assertRaises(ImproperlyConfigured):
                hooks.check_personal_data([entry])


class DemoTests(ThetsabanTestCase):
    def test_the_queue_and_the_breach_log_have_example_work_and_loading_twice_adds_nothing(self):
        self.assertEqual(demo.load(), 3)
        self.assertEqual(demo.load(), 0)
        self.login(self.staff)
        queue = self.client.get(reverse("privacy:queue"))
        self.assertContains(queue, hooks.EXAMPLE_MARK)
        self.assertContains(queue, "overdue")
        self.assertContains(self.client.get(reverse("privacy:breaches")), hooks.EXAMPLE_MARK)
