"""Two app server processes (gunicorn) against one database and the machine's Redis: sessions,
API throttles and the sign-in lockout hold across them. Skipped when no Redis answers
(REDIS_URL, or redis://127.0.0.1:6379/0)."""

import http.cookiejar
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from unittest import skipUnless

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache.backends.redis import RedisCache
from django.test import SimpleTestCase

from thetsaban.accounts.models import User
from thetsaban.tests.serving import (
    BASE_DIR,
    Process,
    free_port,
    production_env,
    subprocess_database_url,
)

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_client():
    return RedisCache(REDIS_URL, {})._cache.get_client(write=True)


def redis_answers() -> bool:
    try:
        return bool(redis_client().ping())
    except Exception:  # noqa: BLE001 (any failure means: no Redis to test against)
        return False


class Browser:
    """One user's browser: a cookie jar shared by requests to either app server."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=20) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    def sign_in(self, server, username, password):
        _status, _url, page = self.open(server + "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.open(server + "/accounts/login/", {
            "csrfmiddlewaretoken": token, "login": username, "password": password})


@skipUnless(redis_answers(), "no Redis server answers")
class TwoAppServersTests(SimpleTestCase):
    databases = {"default"}
    password = "correct-horse-battery"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.var = Path(tempfile.mkdtemp(prefix="thetsaban-two-"))
        cls.prefix = f"thetsaban-test-{uuid.uuid4().hex}"
        # The servers check passwords with the production hashers, not the test runner's.
        password = PBKDF2PasswordHasher().encode(cls.password, "saltsaltsalt", iterations=1000)
        cls.users = [
            User.objects.create(username=f"shared-{name}-{cls.prefix[-8:]}", is_staff=True,
                                is_superuser=True, password=password)
            for name in ("session", "lockout")
        ]
        env = production_env(
            cls.var, DATABASE_URL=subprocess_database_url(cls.var), REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=cls.prefix, API_THROTTLE_ANON="4/min", LOGIN_FAILURE_LIMIT="3",
            WHITENOISE_USE_FINDERS="true")
        cls.servers, cls.urls = [], []
        for name in ("a", "b"):
            port = free_port()
            cls.servers.append(Process(
                [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "--config",
                 "deploy/gunicorn.conf.py", "thetsaban.wsgi:application"],
                {**env, "BIND": f"127.0.0.1:{port}"}, log=cls.var / f"{name}.log"))
            cls.urls.append(f"http://127.0.0.1:{port}")
        for server, url in zip(cls.servers, cls.urls, strict=True):
            server.wait_for_port(int(url.rsplit(":", 1)[1])).wait_for_http(url + "/health/")

    @classmethod
    def tearDownClass(cls):
        for server in cls.servers:
            server.stop()
        client = redis_client()
        keys = list(client.scan_iter(f"{cls.prefix}:*"))
        if keys:
            client.delete(*keys)
        User.objects.filter(pk__in=[user.pk for user in cls.users]).delete()
        shutil.rmtree(cls.var, True)
        super().tearDownClass()

    def test_a_session_started_on_one_server_is_valid_on_the_other_and_kept_in_redis(self):
        a, b = self.urls
        browser = Browser()
        status, url, _page = browser.sign_in(a, self.users[0].username, self.password)
        self.assertEqual(status, 200)
        self.assertNotIn("/accounts/login/", url)
        # The admin index answers only a signed-in staff member.
        for server in (b, a, b):
            status, url, page = browser.open(server + "/admin/")
            self.assertEqual((status, urllib.parse.urlsplit(url).path), (200, "/admin/"))
        self.assertTrue(list(redis_client().scan_iter(f"{self.prefix}:*cached_db*")))
        # Without that session cookie, the same page asks for a sign-in.
        status, url, _page = Browser().open(b + "/admin/")
        self.assertIn("/login/", url)

    def test_the_api_throttle_counts_requests_to_both_servers_once(self):
        a, b = self.urls
        statuses = [Browser().open(server + "/api/v1/lgus/")[0] for server in (a, b, a, b, a, b)]
        self.assertEqual(statuses, [200, 200, 200, 200, 429, 429])

    def test_failed_sign_ins_on_either_server_count_towards_one_lockout(self):
        a, b = self.urls
        username = self.users[1].username
        for server in (a, b):
            status, url, _page = Browser().sign_in(server, username, "wrong password")
            self.assertEqual(status, 200)
            self.assertIn("/accounts/login/", url)
        # The third failure (LOGIN_FAILURE_LIMIT=3), on A again, locks the user out...
        self.assertEqual(Browser().sign_in(a, username, "wrong password")[0], 429)
        # ...on both servers, even with the right password.
        for server in (b, a):
            status, _url, _page = Browser().sign_in(server, username, self.password)
            self.assertEqual(status, 429)
