"""The erasure ledger: an erasure done after a backup is applied again when that backup is
restored (`manage.py restore` replays the ledger on the restored database)."""

import io
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from unittest import mock

import dj_database_url
import psycopg
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from thetsaban.accounts.models import User
from thetsaban.eservice import services as eservice
from thetsaban.eservice.models import Service
from thetsaban.privacy import ledger, services
from thetsaban.privacy.choices import IdentityMethod, RequestKind
from thetsaban.testing import make_place_tree
from thetsaban.tests.serving import PRODUCTION_KEY, production_env, subprocess_database_url


class ErasureLedgerTests(TransactionTestCase):
    def setUp(self):
        self.work = Path(tempfile.mkdtemp(prefix="thetsaban-ledger-"))
        self.addCleanup(shutil.rmtree, self.work, True)
        self.ledger = self.work / "ledger.jsonl"
        override = override_settings(MEDIA_ROOT=self.work / "media", PRIVACY_ERASURE_LEDGER=self.ledger)
        override.enable()
        self.addCleanup(override.disable)
        lgu, _other = make_place_tree()
        eservice.join(lgu, subdistricts=["900101"])
        self.staff = User.objects.create(username="staff", is_staff=True)
        self.second_staff = User.objects.create(username="staff-2", is_staff=True)
        self.person = User.objects.create(username="example-person", email="person@example.org",
                                          first_name="Example-Firstname")
        self.report = eservice.submit_request(
            service=Service.objects.get(lgu=lgu, code="street_lights"), description="ไฟดับ",
            address="ตัวอย่าง (example data) หน้าตลาด", reporter=self.person, acting_user=self.person,
            contact_email="person@example.org", contact_phone="081-234-5678")

    def empty_database_url(self) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.work / 'restored.sqlite3'}"
        name = connection.settings_dict["NAME"] + "_ledger"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.addCleanup(self.drop_database, name)
        return subprocess_database_url(self.work).rsplit("/", 1)[0] + "/" + name

    def drop_database(self, name):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run_sql(self, url, sql):
        if connection.vendor == "sqlite":
            with sqlite3.connect(dj_database_url.parse(url)["NAME"]) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as db:
            return db.execute(sql).fetchall()

    def test_an_erasure_after_a_backup_is_applied_again_after_the_restore(self):
        out = io.StringIO()
        call_command("backup", str(self.work / "backups"), stdout=out)
        backup = out.getvalue().strip()

        made = services.record_request(kind=RequestKind.ERASURE, subject=self.person,
                                       identity_method=IdentityMethod.ID_CARD, identity_note="ID card seen",
                                       acting_user=self.staff)
        services.complete_request(made, outcome="", acting_user=self.second_staff)
        self.assertFalse(User.objects.filter(pk=self.person.pk).exists())
        self.assertEqual(len(ledger.lines()), 1)

        target = self.empty_database_url()
        # The replay runs in a process of its own on the restored database, as in production.
        environment = production_env(self.work, PRIVACY_ERASURE_LEDGER=str(self.ledger))
        with mock.patch.dict("os.environ", {**environment, "SECRET_KEY": PRODUCTION_KEY}):
            out = io.StringIO()
            call_command("restore", backup, "--database-url", target, "--media-root",
                         str(self.work / "restored-media"), "--yes", stdout=out)
        self.assertIn("Later erasures re-applied", out.getvalue())

        # The person is still erased in the restored database.
        self.assertEqual(self.run_sql(target, f"SELECT count(*) FROM accounts_user WHERE id = {self.person.pk}"),
                         [(0,)])
        self.assertEqual(self.run_sql(target, "SELECT reporter_id, contact_email, contact_phone, description "
                                              f"FROM eservice_servicerequest WHERE id = {self.report.pk}"),
                         [(None, "", "", "ไฟดับ")])
        trail = json.dumps(self.run_sql(target, "SELECT object_repr, before, after FROM accounts_auditentry"),
                           ensure_ascii=False, default=str)
        self.assertNotIn("person@example.org", trail)
        self.assertNotIn("Example-Firstname", trail)
        erasures = self.run_sql(target, "SELECT ledger_id, subject_user_id, replayed_at IS NOT NULL FROM privacy_erasure")
        self.assertEqual(erasures, [(ledger.lines()[0]["id"], self.person.pk, True)])

    def test_replaying_on_a_database_that_already_forgot_the_person_changes_nothing(self):
        eservice.submit_request(service=self.report.service, description="ไฟดับ", address="หน้าตลาด",
                                contact_email="walk-in@example.org", contact_name="Example-Walkin")
        made = services.record_request(kind=RequestKind.ERASURE, subject_email="walk-in@example.org",
                                       identity_method=IdentityMethod.EMAIL, identity_note="Replied",
                                       acting_user=self.staff)
        services.complete_request(made, outcome="", acting_user=self.second_staff)
        self.assertEqual(ledger.replay(), [])
        out = io.StringIO()
        call_command("replay_erasures", stdout=out)
        self.assertEqual(out.getvalue(), "")

    def test_a_broken_ledger_line_is_reported_with_its_number(self):
        self.ledger.write_text('{"id": "a"}\nnot json\n')
        with self.assertRaisesMessage(ledger.LedgerError, "line 2"):
            ledger.lines()
