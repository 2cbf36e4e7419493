"""Reads from a real PostgreSQL streaming replica, writes to the primary (thetsaban/replicas.py).

Runs when DATABASE_REPLICA_URLS names a replica of the test database's cluster, as .ci/run
arranges with scripts/start-replica; skipped otherwise. The replica alias is a test mirror of
the primary, so it opens the same test database, which reaches the replica by streaming
replication. The data is committed (TransactionTestCase): the replica sees nothing else.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from thetsaban import replicas
from thetsaban.places.models import Country
from thetsaban.search import services as search
from thetsaban.testing import make_place_tree
from thetsaban.tests.serving import BASE_DIR, free_port, production_env

REPLICA = settings.DATABASE_REPLICAS[0] if settings.DATABASE_REPLICAS else None


def served_by(alias: str) -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return {"alias": alias, "in_recovery": cursor.fetchone()[0]}


def write_country(request):
    """A write, then a read in the same request (which must see it)."""
    country = Country.objects.create(code=request.POST["code"], name_th="ตัวอย่าง",
                                     name_en="Example country")
    seen = Country.objects.filter(pk=country.pk).exists()
    return HttpResponse(json.dumps({"seen": seen}), content_type="application/json")


def read_country(request):
    """A read: whether the country exists, and which database answered."""
    alias = replicas.read_alias(Country)
    found = Country.objects.filter(code=request.GET["code"]).exists()
    return HttpResponse(json.dumps({"found": found, **served_by(alias)}),
                        content_type="application/json")


urlpatterns = [path("write/", write_country), path("read/", read_country),
               path("", include("thetsaban.urls"))]


@skipUnless(REPLICA, "DATABASE_REPLICA_URLS is not set")
@override_settings(DATABASE_REPLICA_READS=True, ROOT_URLCONF=__name__,
                   DATABASE_REPLICA_RETRY_SECONDS=2)
class StreamingReplicaTests(TransactionTestCase):
    """One class, so that no two tests pause the replica's replay at the same time."""

    databases = {"default", REPLICA} if REPLICA else {"default"}

    def setUp(self):
        replicas._down_until.clear()
        replicas.begin()
        self.addCleanup(replicas.begin)

    def wait_for_replay(self, timeout=15):
        lsn = replicas.primary_position()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.05)
        self.fail(f"the replica did not replay {lsn} within {timeout}s")

    def pause_replay(self):
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        self.addCleanup(self.resume_replay)

    def resume_replay(self):
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")

    def test_the_replica_is_a_standby_of_the_primary_with_the_test_database(self):
        self.assertEqual(served_by(REPLICA)["in_recovery"], True)
        self.assertEqual(served_by("default")["in_recovery"], False)
        self.assertEqual(connections[REPLICA].settings_dict["NAME"],
                         connections["default"].settings_dict["NAME"])

    def test_reads_are_served_by_the_replica_and_writes_by_the_primary(self):
        with CaptureQueriesContext(connections["default"]) as primary, \
                CaptureQueriesContext(connections[REPLICA]) as replica:
            Country.objects.create(code="ZZ", name_th="ตัวอย่าง", name_en="Example")
        self.assertTrue(any(q["sql"].startswith("INSERT") for q in primary.captured_queries))
        self.assertFalse(any("places_country" in q["sql"] for q in replica.captured_queries))

        self.wait_for_replay()
        replicas.begin()  # a new request that has not written
        with CaptureQueriesContext(connections["default"]) as primary, \
                CaptureQueriesContext(connections[REPLICA]) as replica:
            self.assertEqual(list(Country.objects.values_list("code", flat=True)), ["ZZ"])
        self.assertTrue(any("places_country" in q["sql"] for q in replica.captured_queries))
        self.assertFalse(any("places_country" in q["sql"] for q in primary.captured_queries))

        # The real application: the public API list and the full-text search (the tsvector
        # table is replicated) read from the replica.
        make_place_tree()
        self.wait_for_replay()
        with CaptureQueriesContext(connections["default"]) as primary, \
                CaptureQueriesContext(connections[REPLICA]) as replica:
            response = self.client.get("/api/v1/lgus/")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json()["count"], 2)
        self.assertTrue(any("places_lgu" in q["sql"] for q in replica.captured_queries))
        self.assertFalse(any("places_lgu" in q["sql"] for q in primary.captured_queries))
        replicas.begin()
        with CaptureQueriesContext(connections[REPLICA]) as replica:
            total, results = search.search("สงขลา")
        self.assertGreaterEqual(total, 1)
        self.assertIn("เทศบาลนครสงขลา", [result.title for result in results])
        self.assertTrue(any("search_" in q["sql"] for q in replica.captured_queries))

    def test_a_writer_reads_its_own_write_while_the_replica_lags(self):
        self.pause_replay()
        response = self.client.post("/write/", {"code": "QQ"})
        self.assertEqual(response.json(), {"seen": True})  # in the request itself
        pin = response.cookies[replicas.COOKIE]
        self.assertRegex(pin.value, r"^[0-9A-F]+/[0-9A-F]+$")
        self.assertEqual(int(pin["max-age"]), settings.DATABASE_REPLICA_PIN_SECONDS)

        # The writer's next request reads from the primary and sees the write...
        answer = self.client.get("/read/", {"code": "QQ"}).json()
        self.assertEqual(answer, {"found": True, "alias": "default", "in_recovery": False})
        # ...while a reader without the cookie gets the lagging replica, without it.
        other = self.client_class()
        answer = other.get("/read/", {"code": "QQ"}).json()
        self.assertEqual(answer, {"found": False, "alias": REPLICA, "in_recovery": True})

        # Once the replica has replayed the write, the writer reads from it again and the
        # cookie is dropped.
        self.resume_replay()
        self.wait_for_replay()
        response = self.client.get("/read/", {"code": "QQ"})
        self.assertEqual(response.json(), {"found": True, "alias": REPLICA, "in_recovery": True})
        dropped = response.cookies[replicas.COOKIE]
        self.assertEqual((dropped.value, dropped["max-age"]), ("", 0))

    def test_reads_fall_back_to_the_primary_when_the_replica_goes_away(self):
        Country.objects.create(code="RR", name_th="ตัวอย่าง", name_en="Example")
        self.wait_for_replay()
        self.assertEqual(self.client.get("/read/", {"code": "RR"}).json()["alias"], REPLICA)
        health = self.client.get("/health/").json()
        self.assertEqual(health["status"], "ok")
        self.assertIs(health["checks"]["replicas"][REPLICA]["ok"], True)
        self.assertLess(health["checks"]["replicas"][REPLICA]["lag_seconds"], 5)
        with override_settings(METRICS_TOKEN="t0ken"):
            metrics = self.client.get("/metrics", headers={"authorization": "Bearer t0ken"})
        self.assertIn(f'thetsaban_replica_up{{replica="{REPLICA}"}} 1.0', metrics.content.decode())
        self.assertIn(f'thetsaban_replica_lag_seconds{{replica="{REPLICA}"}}', metrics.content.decode())

        # The replica goes away: its server drops our connection and refuses new ones.
        replica = connections[REPLICA]
        real_port = replica.settings_dict["PORT"]
        replica.settings_dict["PORT"] = free_port()
        self.addCleanup(self.restore_port, real_port)
        try:
            with replica.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        except DatabaseError:
            pass
        self.assertFalse(replica.is_usable())
        started = time.monotonic()
        for _n in range(5):
            answer = self.client.get("/read/", {"code": "RR"}).json()
            self.assertEqual(answer, {"found": True, "alias": "default", "in_recovery": False})
        self.assertLess(time.monotonic() - started, 5, "a down replica must not slow each read")
        # The app server still serves (200) and says that it runs without its replica.
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "degraded")
        self.assertIs(response.json()["checks"]["replicas"][REPLICA]["ok"], False)

        # Back again: after DATABASE_REPLICA_RETRY_SECONDS reads go to it once more.
        self.restore_port(real_port)
        time.sleep(settings.DATABASE_REPLICA_RETRY_SECONDS + 0.1)
        self.assertEqual(self.client.get("/read/", {"code": "RR"}).json()["alias"], REPLICA)

    def test_a_replica_stopped_between_two_queries_of_a_request_falls_back_to_the_primary(self):
        """The replica's server stops after the list's count and before its rows: the page
        still answers 200 with the right rows, read from the primary, and so do the next ones."""
        make_place_tree()
        self.wait_for_replay()
        data_dir, pg_ctl = self.replica_server()
        stopped = []

        def stop_after_the_count(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            if "places_lgu" in sql and not stopped:
                self.pg_ctl(pg_ctl, "-D", data_dir, "-m", "fast", "-w", "stop")
                stopped.append(sql)
            return result

        self.addCleanup(self.start_replica_server, pg_ctl, data_dir)
        with connections[REPLICA].execute_wrapper(stop_after_the_count), \
                CaptureQueriesContext(connections["default"]) as primary:
            response = self.client.get("/api/v1/lgus/")
        self.assertEqual(len(stopped), 1, "the count was read from the replica")
        self.assertIn("COUNT(", stopped[0].upper())
        self.assertEqual(response.status_code, 200, response.content[:500])
        body = response.json()
        self.assertEqual(body["count"], 2)
        self.assertIn("เทศบาลนครสงขลา", json.dumps(body["results"], ensure_ascii=False))
        self.assertEqual(len(body["results"]), 2)
        self.assertTrue(any("places_lgu" in q["sql"] for q in primary.captured_queries))
        self.assertTrue(replicas.is_down(REPLICA))

        # The next requests go straight to the primary, without waiting for the replica.
        started = time.monotonic()
        for _n in range(3):
            response = self.client.get("/api/v1/lgus/")
            self.assertEqual((response.status_code, response.json()["count"]), (200, 2))
        self.assertLess(time.monotonic() - started, 5)

        # Back again: once started and after DATABASE_REPLICA_RETRY_SECONDS, reads use it.
        self.start_replica_server(pg_ctl, data_dir)
        time.sleep(settings.DATABASE_REPLICA_RETRY_SECONDS + 0.1)
        replicas.begin()
        self.assertEqual(self.client.get("/read/", {"code": "XX"}).json()["alias"], REPLICA)

    def replica_server(self):
        """The replica's data directory and its pg_ctl (run as the postgres OS user)."""
        if os.geteuid() != 0 and os.environ.get("USER") != "postgres":
            self.skipTest("stopping the replica's server needs root or the postgres user")
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT current_setting('data_directory'), "
                           "current_setting('server_version_num')::int / 10000")
            data_dir, major = cursor.fetchone()
        pg_ctl = Path(f"/usr/lib/postgresql/{major}/bin/pg_ctl")
        if not pg_ctl.exists():
            self.skipTest(f"{pg_ctl} is not installed")
        return data_dir, str(pg_ctl)

    @staticmethod
    def pg_ctl(*args):
        command = list(args) if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *args]
        subprocess.run(command, check=True, capture_output=True, timeout=90)

    def start_replica_server(self, pg_ctl, data_dir):
        if Path(data_dir, "postmaster.pid").exists():
            return
        self.pg_ctl(pg_ctl, "-D", data_dir, "-l", str(Path(data_dir).parent / "replica.log"),
                    "-w", "-t", "60", "start")
        connections[REPLICA].close()
        deadline = time.monotonic() + 60
        while True:
            try:
                served_by(REPLICA)
                break
            except DatabaseError:
                connections[REPLICA].close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        connections[REPLICA].close()

    def restore_port(self, port):
        connections[REPLICA].close()
        connections[REPLICA].settings_dict["PORT"] = port


class ReplicaSettingsTests(SimpleTestCase):
    """DATABASE_REPLICA_URLS as a production process reads it (no replica needed)."""

    def settings_of(self, **env):
        code = ("import django, json; from django.conf import settings; django.setup(); "
                "print(json.dumps({'aliases': settings.DATABASE_REPLICAS, "
                "'routers': settings.DATABASE_ROUTERS, 'middleware': settings.MIDDLEWARE[1], "
                "'replica': settings.DATABASES.get('replica2')}, default=str))")
        with tempfile.TemporaryDirectory() as var:
            return subprocess.run(
                [sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True,
                timeout=120, env=production_env(Path(var), DJANGO_SETTINGS_MODULE="thetsaban.settings",
                                                **env))

    def test_each_replica_url_is_a_database_mirrored_in_tests_with_a_short_connect_timeout(self):
        result = self.settings_of(
            DATABASE_URL="postgres://app@db1:5432/thetsaban",
            DATABASE_REPLICA_URLS="postgres://app@db2:5432/thetsaban, postgres://app@db3:5432/thetsaban")
        self.assertEqual(result.returncode, 0, result.stderr)
        found = json.loads(result.stdout)
        self.assertEqual(found["aliases"], ["replica1", "replica2"])
        self.assertEqual(found["routers"], ["thetsaban.replicas.ReplicaRouter"])
        self.assertEqual(found["middleware"], "thetsaban.replicas.ReadYourWritesMiddleware")
        self.assertEqual(found["replica"]["HOST"], "db3")
        self.assertEqual(found["replica"]["TEST"]["MIRROR"], "default")
        self.assertEqual(found["replica"]["OPTIONS"]["connect_timeout"], 2)

    def test_sqlite_has_no_replicas(self):
        result = self.settings_of(DATABASE_REPLICA_URLS="postgres://app@db2:5432/thetsaban")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SQLite has no replicas", result.stderr)
