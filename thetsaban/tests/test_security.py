"""Deployment hardening: throttles, shared rate-limit counters, headers, the secret key."""

import os
import re
import stat
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from unittest import mock, skipUnless

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from thetsaban import settings as project_settings
from thetsaban.accounts.apps import create_cache_table
from thetsaban.participation import ratelimit
from thetsaban.participation.ratelimit import RateLimited
from thetsaban.testing import ThetsabanTestCase

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_KEY = "kV3q9-Zr7mXw2LpT8yHn4BcJ6fDs1GaQ5eUo0RiYtEhWlKzMxNvP"

# The production environment README's Deploying table documents.
PRODUCTION_ENV = {
    "SECRET_KEY": PRODUCTION_KEY,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "thetsaban.example.org",
    "SECURE_PROXY_SSL_HEADER": "true",
}


def run_manage(*args, env=None):
    """Run manage.py in a fresh process with only the given environment (plus PATH)."""
    with tempfile.TemporaryDirectory() as var:
        full_env = {"PATH": os.environ.get("PATH", ""), "THETSABAN_VAR_DIR": var,
                    "MAP_TILES_URL": "", **(env or {})}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=full_env,
                              capture_output=True, text=True, timeout=120)


def start_app(env):
    """Load the WSGI application the way an app server does, in a fresh process."""
    with tempfile.TemporaryDirectory() as var:
        full_env = {"PATH": os.environ.get("PATH", ""), "THETSABAN_VAR_DIR": var,
                    "MAP_TILES_URL": "", **env}
        return subprocess.run([sys.executable, "-c", "import thetsaban.wsgi"], cwd=BASE_DIR,
                              env=full_env, capture_output=True, text=True, timeout=120)


def throttle_rates(**rates):
    return override_settings(REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "expensive": "1000/min",
                                   **rates},
    })


class ApiThrottleTests(ThetsabanTestCase):
    def setUp(self):
        cache.clear()

    def assert_throttled(self, response):
        self.assertEqual(response.status_code, 429, response.content)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertIn("throttled", response.json()["detail"])

    @throttle_rates(anon="3/min")
    def test_anonymous_requests_past_the_rate_get_429_with_retry_after(self):
        for _n in range(3):
            self.assertEqual(self.client.get("/api/v1/lgus/").status_code, 200)
        self.assert_throttled(self.client.get("/api/v1/lgus/"))
        # Another address still gets answers.
        self.assertEqual(self.client.get("/api/v1/lgus/", REMOTE_ADDR="203.0.113.4").status_code, 200)

    @throttle_rates(user="4/min")
    def test_signed_in_requests_are_counted_per_user(self):
        self.login(self.editor)
        for _n in range(4):
            self.assertEqual(self.client.get("/api/v1/lgus/").status_code, 200)
        self.assert_throttled(self.client.get("/api/v1/lgus/"))
        self.login(self.outsider)
        self.assertEqual(self.client.get("/api/v1/lgus/").status_code, 200)

    @throttle_rates(expensive="2/min")
    def test_search_and_exports_have_a_lower_rate_of_their_own(self):
        for path in ("/api/v1/search/?q=test", reverse("popolo"), "/api/v1/policy-report/"):
            with self.subTest(path=path):
                cache.clear()
                for _n in range(2):
                    self.assertEqual(self.client.get(path).status_code, 200)
                self.assert_throttled(self.client.get(path))
                self.assertEqual(self.client.get("/api/v1/lgus/").status_code, 200)

    @throttle_rates(expensive="2/min")
    def test_pages_doing_the_same_work_are_throttled_with_the_api(self):
        pages = [reverse("search:page") + "?q=test", reverse("policy:report"),
                 reverse("policy:report_xlsx"), reverse("policy:report_docx"),
                 reverse("transfers:export", args=["csv"])]
        for path in pages:
            with self.subTest(path=path):
                cache.clear()
                for _n in range(2):
                    self.assertEqual(self.client.get(path).status_code, 200)
                response = self.client.get(path)
                self.assertContains(response, "Too many requests", status_code=429)
                self.assertGreater(int(response["Retry-After"]), 0)
                self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        # The page and the API count together: switching door does not start a new count.
        cache.clear()
        for _n in range(2):
            self.assertEqual(self.client.get("/api/v1/search/?q=test").status_code, 200)
        self.assertEqual(self.client.get(pages[0]).status_code, 429)
        self.login(self.editor)  # a signed-in reader is counted by account, like in the API
        self.assertEqual(self.client.get(pages[0]).status_code, 200)

    @throttle_rates(anon="2/min")
    def test_a_forged_forwarded_for_header_does_not_reset_the_count(self):
        for n in range(2):
            self.client.get("/api/v1/lgus/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        self.assert_throttled(self.client.get("/api/v1/lgus/", HTTP_X_FORWARDED_FOR="192.0.2.99"))

    @override_settings(TRUSTED_PROXY_COUNT=1)
    @throttle_rates(anon="2/min")
    def test_behind_a_trusted_proxy_each_client_is_counted_by_the_address_it_forwards(self):
        proxy = {"REMOTE_ADDR": "10.0.0.2"}
        for forged in ("1.1.1.1", "2.2.2.2"):
            response = self.client.get("/api/v1/lgus/", HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.7",
                                       **proxy)
            self.assertEqual(response.status_code, 200)
        self.assert_throttled(self.client.get("/api/v1/lgus/", HTTP_X_FORWARDED_FOR="198.51.100.7",
                                              **proxy))
        response = self.client.get("/api/v1/lgus/", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
        self.assertEqual(response.status_code, 200)

    def test_the_rates_are_read_from_the_environment(self):
        os.environ["THETSABAN_TEST_RATE"] = "7/hour"
        try:
            self.assertEqual(project_settings.env_rate("THETSABAN_TEST_RATE", "1/min"), "7/hour")
            os.environ["THETSABAN_TEST_RATE"] = "lots"
            with self.assertRaises(ImproperlyConfigured):
                project_settings.env_rate("THETSABAN_TEST_RATE", "1/min")
        finally:
            del os.environ["THETSABAN_TEST_RATE"]


class SharedCounterTests(ThetsabanTestCase):
    """Two app servers are two processes, each with its own cache client: the posting limit
    holds only if both count in the same store."""

    def post_through(self, worker, n):
        with mock.patch.object(ratelimit, "cache", worker):
            for _n in range(n):
                ratelimit.check_and_count(self.member, "192.0.2.50")

    def assert_two_workers_share_the_posting_limit(self):
        worker_a = caches.create_connection("default")
        worker_b = caches.create_connection("default")
        self.assertIsNot(worker_a, worker_b)
        self.post_through(worker_a, 3)
        self.post_through(worker_b, 2)
        with self.assertRaises(RateLimited) as raised:
            self.post_through(worker_b, 1)
        self.assertIn("at most 5 posts a minute", str(raised.exception.message))
        with self.assertRaises(RateLimited):
            self.post_through(worker_a, 1)

    @override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                           "LOCATION": "thetsaban_cache"}})
    def test_two_workers_share_the_posting_limit_through_the_database_cache(self):
        call_command("createcachetable", verbosity=0)
        self.assert_two_workers_share_the_posting_limit()

    @skipUnless(settings.CACHE_URL, "REDIS_URL is not set")
    def test_two_workers_share_the_posting_limit_and_api_throttle_through_redis(self):
        prefix = f"thetsaban-test-{uuid.uuid4().hex}"
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                 "LOCATION": settings.CACHE_URL, "KEY_PREFIX": prefix}
        self.addCleanup(self.delete_redis_keys, prefix)
        with override_settings(CACHES={"default": redis}):
            self.assertIsInstance(caches["default"], RedisCache)
            self.assert_two_workers_share_the_posting_limit()
            with throttle_rates(anon="2/min"):
                for _n in range(2):
                    self.assertEqual(self.client.get("/api/v1/lgus/").status_code, 200)
                self.assertEqual(self.client.get("/api/v1/lgus/").status_code, 429)

    def delete_redis_keys(self, prefix):
        """Only this test's keys: the Redis server may be shared, so never flush it."""
        client = RedisCache(settings.CACHE_URL, {})._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)

    def test_migrate_creates_the_database_cache_table(self):
        table = f"thetsaban_cache_{uuid.uuid4().hex[:8]}"
        db_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
        with override_settings(CACHES={"default": db_cache}):
            create_cache_table(using="default")
        self.assertIn(table, connection.introspection.table_names())


class ProductionSettingsTests(SimpleTestCase):
    """Settings as a production process reads them (a fresh process, not the test runner)."""

    def test_check_deploy_is_clean_with_the_documented_production_settings(self):
        result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("System check identified no issues", result.stdout)
        # The same check does see the settings: without HSTS it warns.
        result = run_manage("check", "--deploy", env={**PRODUCTION_ENV, "SECURE_HSTS_SECONDS": "0"})
        self.assertIn("security.W004", result.stderr + result.stdout)

    def test_a_short_or_repetitive_secret_key_is_refused(self):
        self.assertEqual(start_app(PRODUCTION_ENV).returncode, 0)
        for key in ("x", "test-only", "a" * 60):
            with self.subTest(key=key):
                result = start_app({**PRODUCTION_ENV, "SECRET_KEY": key})
                self.assertNotEqual(result.returncode, 0)
                self.assertIn("SECRET_KEY is too weak", result.stderr)

    def test_manage_py_says_why_it_refuses_the_settings(self):
        result = run_manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "x"})
        self.assertEqual(result.returncode, 1)
        self.assertIn("Settings refused: SECRET_KEY is too weak", result.stderr)

    def test_migrations_are_checked_without_a_key_but_nothing_serves_without_one(self):
        result = run_manage("makemigrations", "--check", "--dry-run")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("No changes detected", result.stdout)
        result = run_manage("check")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Settings refused: SECRET_KEY must be set", result.stderr)

    def test_production_counts_in_the_database_or_redis_never_in_process_memory(self):
        code = ("from django.conf import settings; import django; django.setup(); "
                "print(settings.CACHES['default']['BACKEND'])")
        for extra, backend in (({}, "django.core.cache.backends.db.DatabaseCache"),
                               ({"REDIS_URL": "redis://127.0.0.1:6379/0"},
                                "django.core.cache.backends.redis.RedisCache")):
            with self.subTest(backend=backend), tempfile.TemporaryDirectory() as var:
                env = {"PATH": os.environ.get("PATH", ""), "THETSABAN_VAR_DIR": var,
                       "DJANGO_SETTINGS_MODULE": "thetsaban.settings", **PRODUCTION_ENV, **extra}
                result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env,
                                        capture_output=True, text=True, timeout=120)
                self.assertEqual(result.stdout.strip(), backend, result.stderr)

    def test_a_cache_url_that_is_not_redis_is_an_error(self):
        result = start_app({**PRODUCTION_ENV, "REDIS_URL": "memcached://x"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("is not a Redis URL", result.stderr)

    def test_the_development_key_file_is_readable_by_its_owner_only(self):
        with tempfile.TemporaryDirectory() as var:
            path = Path(var) / "secret_key"
            key = project_settings._development_key(path)
            self.assertGreaterEqual(len(key), 50)
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
            path.chmod(0o644)
            self.assertEqual(project_settings._development_key(path), key)
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)


class SecurityHeaderTests(ThetsabanTestCase):
    def test_pages_carry_a_content_security_policy_without_inline_code(self):
        self.login(self.staff)
        for path in ("/", reverse("accounts:login"), reverse("admin:index"), reverse("api-docs"),
                     "/api/v1/lgus/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                policy = response["Content-Security-Policy"]
                self.assertIn("script-src 'self'", policy)
                self.assertIn("style-src 'self'", policy)
                self.assertIn("object-src 'none'", policy)
                self.assertIn("frame-ancestors 'none'", policy)
                self.assertNotIn("unsafe-inline", policy)
                self.assertNotIn("unsafe-eval", policy)
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertIn("geolocation=()", response["Permissions-Policy"])

    def test_the_api_docs_page_loads_its_script_from_a_file(self):
        page = self.client.get(reverse("api-docs"))
        self.assertNotRegex(page.content.decode(), r"<script>|<style>")
        self.assertContains(page, "?script")
        script = self.client.get(reverse("api-docs") + "?script")
        self.assertEqual(script.status_code, 200)
        self.assertEqual(script["Content-Type"], "application/javascript")

    @override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000,
                       SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    def test_https_is_enforced_behind_the_proxy(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))
        response = self.client.get("/", HTTP_X_FORWARDED_PROTO="https")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Strict-Transport-Security"],
                         "max-age=31536000; includeSubDomains; preload")


class NoInlineCodeTests(SimpleTestCase):
    """The policy allows no inline script, style or event handler, so no template may hold one."""

    INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)

    def test_no_template_holds_inline_script_or_style(self):
        templates = sorted((BASE_DIR / "thetsaban").glob("**/templates/**/*.html"))
        self.assertGreater(len(templates), 50)
        found = [f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
                 for path in templates for match in self.INLINE.finditer(path.read_text())]
        self.assertEqual(found, [])
