"""/health/, /metrics, request ids and JSON logs (thetsaban/observability.py)."""

import io
import json
import logging
import re
import tempfile

from django.conf import settings
from django.test import override_settings

from thetsaban.observability import JsonFormatter, RequestIdFilter
from thetsaban.testing import ThetsabanTestCase

BROKEN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                            "LOCATION": "redis://127.0.0.1:1/0"}}


# /health/ and /metrics read each replica too (a mirror of the test database in tests).
WITH_REPLICAS = {"default", *settings.DATABASE_REPLICAS}


class HealthTests(ThetsabanTestCase):
    databases = WITH_REPLICAS

    def setUp(self):
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        override = override_settings(MEDIA_ROOT=media.name)
        override.enable()
        self.addCleanup(override.disable)

    def test_health_reports_each_check_as_json_with_200(self):
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        for name in ("database", "cache", "storage"):
            self.assertIs(body["checks"][name]["ok"], True, name)
            self.assertIsInstance(body["checks"][name]["ms"], float)
        self.assertEqual(response["Cache-Control"], "no-store")

    @override_settings(CACHES=BROKEN_CACHE)
    def test_health_is_503_when_the_cache_is_down(self):
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/health/")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "failing")
        self.assertIs(body["checks"]["cache"]["ok"], False)
        self.assertEqual(body["checks"]["cache"]["error"], "ConnectionError")
        self.assertIs(body["checks"]["database"]["ok"], True)

    @override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["thetsaban.example.org"])
    def test_a_load_balancer_probes_by_address_over_plain_http(self):
        response = self.client.get("/health/", headers={"host": "10.0.0.12:8000"})
        self.assertEqual(response.status_code, 200)
        # Everything else still gets the host check and the redirect.
        with self.assertLogs("django.security.DisallowedHost", "ERROR"):
            response = self.client.get("/", headers={"host": "10.0.0.12:8000"})
        self.assertEqual(response.status_code, 400)


class MetricsTests(ThetsabanTestCase):
    databases = WITH_REPLICAS

    def test_metrics_are_off_without_a_token(self):
        self.assertEqual(self.client.get("/metrics").status_code, 404)

    @override_settings(METRICS_TOKEN="s3cret-token")
    def test_metrics_need_the_token_even_for_staff(self):
        self.login(self.staff)
        self.assertEqual(self.client.get("/metrics").status_code, 401)
        response = self.client.get("/metrics", headers={"authorization": "Bearer wrong"})
        self.assertEqual(response.status_code, 401)

    @override_settings(METRICS_TOKEN="s3cret-token")
    def test_metrics_count_requests_by_view_and_status_with_latencies(self):
        # The counters live as long as the process (other tests may have counted before).
        def home_count():
            text = self.client.get("/metrics", headers={"authorization": "Bearer s3cret-token"}).content.decode()
            found = re.search(r'thetsaban_http_requests_total\{method="GET",status="200",view="home"\} ([0-9.]+)',
                              text)
            return float(found.group(1)) if found else 0.0

        before = home_count()
        self.client.get("/")
        self.client.get("/")
        self.client.get("/no-such-page/")
        response = self.client.get("/metrics", headers={"authorization": "Bearer s3cret-token"})
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertEqual(home_count(), before + 2)
        self.assertIn('thetsaban_http_requests_total{method="GET",status="404",view="unmatched"}', text)
        self.assertIn('thetsaban_http_request_duration_seconds_bucket{le="0.5",method="GET",view="home"}', text)


class RequestIdTests(ThetsabanTestCase):
    def test_a_request_id_from_the_proxy_is_answered_and_one_is_made_otherwise(self):
        response = self.client.get("/", headers={"x-request-id": "nginx-7f3a9c"})
        self.assertEqual(response["X-Request-ID"], "nginx-7f3a9c")
        made = self.client.get("/")["X-Request-ID"]
        self.assertRegex(made, r"^[0-9a-f]{32}$")
        self.assertNotEqual(self.client.get("/")["X-Request-ID"], made)
        # Anything that is not a plain token is replaced, never echoed.
        response = self.client.get("/", headers={"x-request-id": "<script>" + "x" * 200})
        self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")

    def test_json_log_lines_carry_the_request_id(self):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(JsonFormatter())
        logger = logging.getLogger("django.request")
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        self.addCleanup(logger.setLevel, logger.level)
        self.addCleanup(setattr, logger, "propagate", logger.propagate)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
        with override_settings(DEBUG=False):
            self.client.get("/practices/999999999/", headers={"x-request-id": "req-42"})
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        self.assertTrue(lines)
        self.assertEqual(lines[-1]["request_id"], "req-42")
        self.assertEqual(lines[-1]["level"], "WARNING")
        self.assertEqual(lines[-1]["logger"], "django.request")
        self.assertIn("/practices/999999999/", lines[-1]["message"])
        self.assertEqual(lines[-1]["status"], 404)
