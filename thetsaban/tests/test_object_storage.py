"""Uploads in an S3-compatible object store (thetsaban/storage.py), tested against moto's S3
server on 127.0.0.1: upload, read back, signed links after the platform's permission check,
their short lifetime, refusal for another LGU's user and an anonymous visitor, deletion, and
/health/'s storage check."""

import json
import os
import shutil
import tempfile
import time
import unittest
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.urls import reverse

from thetsaban import backups
from thetsaban.accounts.apps import create_cache_table
from thetsaban.eservice.tests.base import EserviceTestCase, jpeg
from thetsaban.practices.choices import ReviewStatus
from thetsaban.practices.models import PracticeAttachment, Theme
from thetsaban.practices.tests.base import make_practice
from thetsaban.storage import media_origins, media_storage
from thetsaban.tests import test_backups
from thetsaban.tests.objectstore import MOTO_MISSING, SKIP_REASON, ObjectStore
from thetsaban.tests.serving import (
    BASE_DIR,
    Process,
    free_port,
    get,
    production_env,
    subprocess_database_url,
)
from thetsaban.tests.test_production_server import DATABASE_CACHE

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class SettingsTests(SimpleTestCase):
    """The environment chooses the store; local disk when nothing is said."""

    def entry(self, **env):
        names = ("MEDIA_STORAGE_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL",
                 "AWS_S3_REGION_NAME", "AWS_LOCATION", "MEDIA_SIGNED_URL_SECONDS")
        clean = {name: value for name, value in os.environ.items() if name not in names}
        with mock.patch.dict(os.environ, {**clean, **env}, clear=True):
            return media_storage()

    def test_local_disk_is_the_default(self):
        self.assertEqual(self.entry(), {"BACKEND": "django.core.files.storage.FileSystemStorage"})

    def test_a_storage_url_names_bucket_prefix_endpoint_and_link_lifetime(self):
        entry = self.entry(MEDIA_STORAGE_URL="s3://uploads/site-a?endpoint_url=https://s3.example.org"
                                             "&region_name=ap-southeast-1",
                           MEDIA_SIGNED_URL_SECONDS="120")
        self.assertEqual(entry["BACKEND"], "storages.backends.s3.S3Storage")
        options = entry["OPTIONS"]
        self.assertEqual((options["bucket_name"], options["location"]), ("uploads", "site-a"))
        self.assertEqual(options["endpoint_url"], "https://s3.example.org")
        self.assertEqual(options["region_name"], "ap-southeast-1")
        self.assertEqual((options["default_acl"], options["querystring_auth"]), ("private", True))
        self.assertEqual(options["querystring_expire"], 120)
        self.assertEqual(media_origins(entry), ["https://s3.example.org"])

    def test_the_usual_aws_settings_work_too(self):
        entry = self.entry(AWS_STORAGE_BUCKET_NAME="uploads", AWS_S3_REGION_NAME="ap-southeast-1")
        self.assertEqual(entry["OPTIONS"]["bucket_name"], "uploads")
        self.assertEqual(entry["OPTIONS"]["querystring_expire"], 300)
        self.assertIn("https://uploads.s3.ap-southeast-1.amazonaws.com", media_origins(entry))

    def test_a_wrong_url_or_option_is_named(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "is not an object store URL"):
            self.entry(MEDIA_STORAGE_URL="https://uploads.example.org/")
        with self.assertRaisesMessage(ImproperlyConfigured, "unknown option 'endpoint'"):
            self.entry(MEDIA_STORAGE_URL="s3://uploads?endpoint=http://127.0.0.1:9000")


@unittest.skipIf(MOTO_MISSING, SKIP_REASON)
class ObjectStoreTestCase(EserviceTestCase):
    """Each test with the default storage in a moto bucket (one server for the class)."""

    @classmethod
    def setUpClass(cls):
        cls.store = ObjectStore()
        cls.addClassCleanup(cls.store.stop)
        super().setUpClass()

    def setUp(self):
        self.store.empty()
        override = override_settings(STORAGES=self.store.storages())
        override.enable()
        self.addCleanup(override.disable)

    def follow_to_store(self, response):
        """The signed link a platform page redirected to, and what the store answers on it."""
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Cache-Control"], "private, no-store")
        link = response["Location"]
        self.assertTrue(link.startswith(self.store.endpoint + "/"), link)
        return link, get(link)


class PhotoTests(ObjectStoreTestCase):
    def test_a_photo_is_uploaded_to_the_store_and_read_back_through_a_signed_link(self):
        item = self.report(photos=[jpeg(gps=True)])
        photo = item.photos.get()
        keys = self.store.keys()
        self.assertEqual(keys, sorted([f"media/{photo.image.name}", f"media/{photo.thumbnail.name}"]))
        stored = self.store.read(f"media/{photo.image.name}")
        self.assertTrue(stored.startswith(b"\xff\xd8"))
        self.assertNotIn(b"PhoneMaker", stored)  # re-encoded before it was stored

        before = datetime.now(UTC).replace(microsecond=0)
        link, (status, headers, body) = self.follow_to_store(
            self.client.get(reverse("eservice:photo", args=[photo.pk])))
        self.assertEqual(status, 200)
        self.assertEqual(body, stored)
        self.assertEqual(headers["Content-Type"], "image/jpeg")
        # Short-lived: signed now, valid for MEDIA_SIGNED_URL_SECONDS (300) only.
        query = parse_qs(urlsplit(link).query)
        self.assertEqual(query["X-Amz-Expires"], ["300"])
        signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        self.assertLessEqual(abs((signed - before).total_seconds()), 60)
        # The object itself is private: the same address without the signature is refused.
        bare = link.split("?", 1)[0]
        self.assertEqual(get(bare)[0], 403)

    def test_the_link_lifetime_follows_the_setting(self):
        with override_settings(STORAGES=self.store.storages(querystring_expire=5)):
            photo = self.report(photos=[jpeg()]).photos.get()
            link, (status, _headers, _body) = self.follow_to_store(
                self.client.get(reverse("eservice:thumb", args=[photo.pk])))
        self.assertEqual(status, 200)
        self.assertEqual(parse_qs(urlsplit(link).query)["X-Amz-Expires"], ["5"])

    def test_a_hidden_requests_photos_only_for_its_lgu_editors(self):
        item = self.report(photos=[jpeg()])
        photo = item.photos.get()
        item.hidden = True
        item.save(update_fields=["hidden"])
        url = reverse("eservice:photo", args=[photo.pk])
        self.assertEqual(self.client.get(url).status_code, 404)  # anonymous
        self.login(self.outsider)  # an editor of another LGU
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.editor)
        _link, (status, _headers, body) = self.follow_to_store(self.client.get(url))
        self.assertEqual(status, 200)
        self.assertEqual(body, self.store.read(f"media/{photo.image.name}"))

    def test_deleting_a_photo_deletes_its_files_from_the_store(self):
        photo = self.report(photos=[jpeg()]).photos.get()
        url = reverse("eservice:photo", args=[photo.pk])
        link, (status, _headers, _body) = self.follow_to_store(self.client.get(url))
        self.assertEqual(status, 200)
        with self.captureOnCommitCallbacks(execute=True):
            photo.delete()
        self.assertEqual(self.store.keys(), [])
        # The link handed out before is dead (S3 answers 403 for a missing key to a reader
        # who may not list the bucket, 404 to one who may).
        self.assertIn(get(link)[0], (403, 404))
        self.assertEqual(self.client.get(url).status_code, 404)


class AttachmentTests(ObjectStoreTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Theme.objects.get_or_create(code="governance", defaults={"name_th": "ธรรมาภิบาล", "name_en": "Governance"})

    def attach(self, status):
        practice = make_practice(self.lgu, status=status)
        attachment = PracticeAttachment(practice=practice, kind="document", title="รายงาน (ตัวอย่าง)")
        attachment.file.save("report.pdf", ContentFile(PDF), save=False)
        attachment.save()
        return practice, attachment

    def test_a_drafts_attachment_only_for_its_lgu(self):
        practice, attachment = self.attach(ReviewStatus.DRAFT)
        url = reverse("practices:attachment", args=[practice.pk, attachment.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.editor)
        page = self.client.get(reverse("practices:detail", args=[practice.pk]))
        self.assertContains(page, f'href="{url}"')
        _link, (status, headers, body) = self.follow_to_store(self.client.get(url))
        self.assertEqual((status, body), (200, PDF))
        self.assertEqual(headers["Content-Type"], "application/pdf")

    def test_a_published_practices_attachment_for_everyone(self):
        practice, attachment = self.attach(ReviewStatus.PUBLISHED)
        url = reverse("practices:attachment", args=[practice.pk, attachment.pk])
        _link, (status, _headers, body) = self.follow_to_store(self.client.get(url))
        self.assertEqual((status, body), (200, PDF))

    def test_an_attachment_of_another_practice_is_not_found_through_this_one(self):
        practice, _attachment = self.attach(ReviewStatus.PUBLISHED)
        _draft, hidden = self.attach(ReviewStatus.DRAFT)
        url = reverse("practices:attachment", args=[practice.pk, hidden.pk])
        self.assertEqual(self.client.get(url).status_code, 404)


class HealthTests(ObjectStoreTestCase):
    def test_health_writes_reads_and_deletes_a_file_in_the_store(self):
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIs(response.json()["checks"]["storage"]["ok"], True)
        self.assertEqual(self.store.keys(), [])  # the probe file was removed

    def test_health_is_503_when_the_store_does_not_answer(self):
        closed = self.store.storages(endpoint_url="http://127.0.0.1:1")
        with override_settings(STORAGES=closed), self.assertLogs("django.request", "ERROR"):
            started = time.monotonic()
            response = self.client.get("/health/")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertIs(body["checks"]["storage"]["ok"], False)
        self.assertIs(body["checks"]["database"]["ok"], True)
        self.assertLess(time.monotonic() - started, 60)

    def test_files_saved_under_one_name_are_kept_apart(self):
        first = default_storage.save("imports/rows.csv", ContentFile(b"a,b\n"))
        second = default_storage.save("imports/rows.csv", ContentFile(b"c,d\n"))
        self.assertNotEqual(first, second)
        self.assertEqual(self.store.read(f"media/{first}"), b"a,b\n")
        self.assertEqual(self.store.read(f"media/{second}"), b"c,d\n")
        default_storage.delete(first)
        default_storage.delete(second)
        self.assertEqual(self.store.keys(), [])


@unittest.skipIf(MOTO_MISSING, SKIP_REASON)
class ProductionServerTests(SimpleTestCase):
    """A gunicorn server configured by the documented variables reaches the store."""

    databases = {"default"}

    def test_a_server_with_media_storage_url_checks_and_allows_the_store(self):
        store = ObjectStore()
        self.addCleanup(store.stop)
        var = Path(tempfile.mkdtemp(prefix="thetsaban-s3-serve-"))
        self.addCleanup(shutil.rmtree, var, True)
        port = free_port()
        # The database cache's table, as `migrate` makes it (before SQLite is copied).
        with override_settings(CACHES=DATABASE_CACHE):
            create_cache_table(using="default")
        env = production_env(
            var, DATABASE_URL=subprocess_database_url(var), BIND=f"127.0.0.1:{port}",
            WHITENOISE_USE_FINDERS="true",
            MEDIA_STORAGE_URL=f"s3://{store.bucket}/media?endpoint_url={store.endpoint}"
                              "&region_name=us-east-1",
            AWS_ACCESS_KEY_ID="testing-key", AWS_SECRET_ACCESS_KEY="testing-secret")
        server = Process([str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "--config",
                          "deploy/gunicorn.conf.py", "thetsaban.wsgi:application"], env,
                         log=var / "gunicorn.log")
        self.addCleanup(server.stop)
        base = f"http://127.0.0.1:{port}"
        server.wait_for_port(port).wait_for_http(base + "/health/")
        status, _headers, body = get(base + "/health/")
        self.assertEqual(status, 200, body)
        self.assertIs(json.loads(body)["checks"]["storage"]["ok"], True)
        self.assertEqual(store.keys(), [])
        # Pages may show photos that the browser fetches from the store after the redirect.
        status, headers, _body = get(base + "/")
        self.assertEqual(status, 200)
        self.assertIn(store.endpoint, headers["Content-Security-Policy"])


@unittest.skipIf(MOTO_MISSING, SKIP_REASON)
class BackupTests(TransactionTestCase):
    """`manage.py backup` carries the object store's files; `restore` puts them back."""

    empty_database_url = test_backups.BackupRestoreTests.empty_database_url
    drop_database = test_backups.BackupRestoreTests.drop_database

    def test_a_backup_carries_the_stores_files_and_a_restore_puts_them_back(self):
        store = ObjectStore()
        self.addCleanup(store.stop)
        self.work = Path(tempfile.mkdtemp(prefix="thetsaban-s3-backup-"))
        self.addCleanup(shutil.rmtree, self.work, True)
        with override_settings(STORAGES=store.storages()):
            default_storage.save("practices/1/plan.pdf", ContentFile(PDF))
            default_storage.save("eservice/7/photo.jpg", ContentFile(b"\xff\xd8 example"))
            directory = backups.backup(self.work / "backups")
            # After the backup: one file deleted, another added.
            default_storage.delete("practices/1/plan.pdf")
            default_storage.save("practices/1/later.pdf", ContentFile(b"%PDF later"))
            differing = backups.restore(directory, database_url=self.empty_database_url())
        self.assertEqual(differing, [])
        self.assertEqual(store.keys(), ["media/eservice/7/photo.jpg", "media/practices/1/plan.pdf"])
        self.assertEqual(store.read("media/practices/1/plan.pdf"), PDF)
