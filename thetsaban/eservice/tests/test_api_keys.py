"""Open311 API keys are stored hashed: the key is shown once, when it is issued; only its first
characters are kept to tell keys apart, and keys stored before are hashed by a migration."""

import hashlib

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.eservice import services
from thetsaban.eservice.models import ApiClient
from thetsaban.eservice.tests.base import EserviceTestCase

BEFORE = [("eservice", "0001_initial")]


class ApiKeyStorageTests(EserviceTestCase):
    def test_an_issued_key_is_stored_only_as_a_hash_and_its_first_characters(self):
        client = services.issue_api_key("LINE bot", acting_user=self.staff)
        key = client.plain_key
        stored = ApiClient.objects.get(pk=client.pk)
        self.assertEqual(stored.key_prefix, key[:8])
        self.assertEqual(stored.key_hash, hashlib.sha256(key.encode()).hexdigest())
        self.assertFalse(hasattr(stored, "plain_key"))
        self.assertNotIn(key, str(stored.__dict__))
        for entry in AuditEntry.objects.for_object(stored):
            self.assertNotIn(key, str(entry.before) + str(entry.after))

    def test_the_key_works_and_a_key_that_only_shares_its_prefix_does_not(self):
        client = services.issue_api_key("LINE bot", acting_user=self.staff)
        data = {"jurisdiction_id": self.jurisdiction.jurisdiction_id, "service_code": "street_lights",
                "lat": "7.1898", "long": "100.5954", "description": "ไฟดับ", "attribute[pole]": "B-1"}
        ok = self.client.post("/open311/v2/requests.json", {**data, "api_key": client.plain_key})
        self.assertEqual(ok.status_code, 201, ok.content)
        forged = self.client.post("/open311/v2/requests.json", {**data, "api_key": client.key_prefix + "x" * 35})
        self.assertEqual(forged.status_code, 403)
        self.assertEqual(forged.json()[0]["description"], "api_key is not valid")

    def test_the_admin_shows_a_new_key_once_and_then_only_its_prefix(self):
        self.client.force_login(self.staff)
        response = self.client.post(reverse("admin:eservice_apiclient_add"),
                                    {"name": "City works", "active": "on", "per_minute": "60"}, follow=True)
        client = ApiClient.objects.get(name="City works")
        shown = [str(m) for m in response.context["messages"]]
        self.assertEqual(len(shown), 2, shown)  # the key, and Django's "was added"
        message = next(m for m in shown if client.key_prefix in m)
        key = next(word.rstrip(".") for word in message.split() if word.startswith(client.key_prefix))
        self.assertEqual(ApiClient.hash_key(key), client.key_hash)
        page = self.client.get(reverse("admin:eservice_apiclient_change", args=[client.pk])).content.decode()
        self.assertIn(client.key_prefix, page)
        self.assertNotIn(key, page)
        listing = self.client.get(reverse("admin:eservice_apiclient_changelist")).content.decode()
        self.assertIn(client.key_prefix, listing)
        self.assertNotIn(key, listing)


class ApiKeyMigrationTests(TransactionTestCase):
    """Keys stored in plain text before 0002 are hashed, and taken out of the audit trail."""

    available_apps = None

    def test_the_migration_hashes_existing_keys_and_redacts_them_from_the_audit_trail(self):
        executor = MigrationExecutor(connection)
        latest = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "eservice"]
        try:
            executor.migrate(BEFORE)
            old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
            OldClient = old_apps.get_model("eservice", "ApiClient")
            key = "old-plain-key-0123456789abcdefghij"
            client = OldClient.objects.create(name="Old client", key=key, per_minute=60)
            # Only the e-service went back: the audit trail's table is as it is today.
            content_type, _ = ContentType.objects.get_or_create(app_label="eservice", model="apiclient")
            AuditEntry.objects.create(action="create", content_type=content_type, object_id=str(client.pk),
                                    object_repr="Old client", after={"name": "Old client", "key": key})
        finally:
            MigrationExecutor(connection).migrate(latest)
        stored = ApiClient.objects.get(name="Old client")
        self.assertEqual(stored.key_prefix, "old-plai")
        self.assertEqual(stored.key_hash, ApiClient.hash_key(key))
        entry = AuditEntry.objects.get(object_repr="Old client")
        self.assertEqual(entry.after, {"name": "Old client", "key_prefix": "old-plai"})
        User.objects.create(username="x", password=make_password("x"))  # the database is usable after
