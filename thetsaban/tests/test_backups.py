"""`manage.py backup` and `manage.py restore` round-trip a populated database and the uploads
into an empty database, table by table (thetsaban/backups.py)."""

import io
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import psycopg
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from thetsaban import backups
from thetsaban.places.models import Lgu
from thetsaban.testing import make_place_tree
from thetsaban.tests.serving import subprocess_database_url


class BackupRestoreTests(TransactionTestCase):
    def setUp(self):
        self.work = Path(tempfile.mkdtemp(prefix="thetsaban-backup-"))
        self.addCleanup(shutil.rmtree, self.work, True)
        self.media = self.work / "media"
        (self.media / "attachments").mkdir(parents=True)
        (self.media / "attachments" / "plan.pdf").write_bytes(b"%PDF-1.4 example data")
        override = override_settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)
        make_place_tree()  # places and their search index entries

    def empty_database_url(self) -> str:
        """A new, empty database of the same engine as the test database."""
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.work / 'restored.sqlite3'}"
        name = connection.settings_dict["NAME"] + "_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.addCleanup(self.drop_database, name)
        return subprocess_database_url(self.work).rsplit("/", 1)[0] + "/" + name

    def drop_database(self, name):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def test_a_backup_restores_into_an_empty_database_with_every_table_equal(self):
        out = io.StringIO()
        call_command("backup", str(self.work / "backups"), stdout=out)
        made = Path(out.getvalue().strip())
        manifest = json.loads((made / "manifest.json").read_text())
        self.assertEqual(manifest["tables"]["places_lgu"]["rows"], 2)
        self.assertGreater(manifest["tables"]["search_searchdocument"]["rows"], 0)
        self.assertEqual(manifest["tables"], backups.table_fingerprints(connection))

        # A change after the backup is not in it.
        Lgu.objects.filter(code="TEST-CR").delete()

        target = self.empty_database_url()
        restored_media = self.work / "restored-media"
        with self.assertRaisesMessage(CommandError, "add --yes"):
            call_command("restore", str(made), "--database-url", target)
        out = io.StringIO()
        call_command("restore", str(made), "--database-url", target,
                     "--media-root", str(restored_media), "--yes", stdout=out)
        self.assertIn("every table matches", out.getvalue())
        self.assertEqual((restored_media / "attachments" / "plan.pdf").read_bytes(),
                         b"%PDF-1.4 example data")
        # Every table: the same rows and checksums as at the backup, the deleted LGU included.
        self.assertEqual(backups.verify(manifest, self.parse(target)), [])
        self.assertEqual(self.count_lgus(target), 2)

        # The check does see a difference: one row less in one table.
        self.delete_one_lgu(target)
        self.assertEqual(backups.verify(manifest, self.parse(target)), ["places_lgu", "places_lgunameword"])

    def parse(self, url):
        import dj_database_url

        return dj_database_url.parse(url)

    def run_sql(self, url, sql):
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.parse(url)["NAME"]) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as db:
            cursor = db.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def count_lgus(self, url):
        return self.run_sql(url, "SELECT count(*) FROM places_lgu")[0][0]

    def delete_one_lgu(self, url):
        # Its name words (the pickers' index) go first: PostgreSQL keeps the foreign key.
        self.run_sql(url, "DELETE FROM places_lgunameword WHERE owner_id IN "
                          "(SELECT id FROM places_lgu WHERE code = 'TEST-CR')")
        self.run_sql(url, "DELETE FROM places_lgu WHERE code = 'TEST-CR'")
