"""`make serve` for real: gunicorn started the documented way, and nginx in front of it with the
example site configuration from deploy/ (when nginx is installed)."""

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, override_settings

from thetsaban.accounts.apps import create_cache_table
from thetsaban.tests.serving import (
    BASE_DIR,
    Process,
    free_port,
    get,
    production_env,
    subprocess_database_url,
)

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
DATABASE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                              "LOCATION": "thetsaban_cache"}}
# `-o` keeps make from reinstalling the virtual environment from inside a test.
MAKE_SERVE = ["make", "--no-print-directory", "-o", ".venv/.installed", "serve"]


def make_serve(env, timeout=120):
    return subprocess.run(MAKE_SERVE, cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=timeout)


class ServeRefusesTests(SimpleTestCase):
    def test_make_serve_refuses_to_start_without_a_secret_key(self):
        with tempfile.TemporaryDirectory() as var:
            env = production_env(Path(var))
            del env["SECRET_KEY"]
            result = make_serve(env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set", result.stderr)

    def test_make_serve_refuses_a_database_with_unapplied_migrations(self):
        with tempfile.TemporaryDirectory() as var:
            env = production_env(Path(var), DATABASE_URL=f"sqlite:///{var}/empty.sqlite3")
            result = make_serve(env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("unapplied migrations", result.stderr)
        self.assertNotIn("gunicorn", result.stdout)


class ServeTests(SimpleTestCase):
    """One gunicorn started by `make serve` on the test database, nginx in front of it."""

    # Outside a transaction: the server process reads the same database (or a copy of it).
    databases = {"default"}

    def setUp(self):
        self.var = Path(tempfile.mkdtemp(prefix="thetsaban-serve-"))
        self.addCleanup(shutil.rmtree, self.var, True)
        self.port = free_port()
        # What `migrate` makes for a production server without Redis (the test runner's cache
        # is in memory): the database cache table.
        with override_settings(CACHES=DATABASE_CACHE):
            create_cache_table(using="default")
        env = production_env(self.var, DATABASE_URL=subprocess_database_url(self.var),
                             BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY="2",
                             METRICS_TOKEN="m3trics", LOG_FORMAT="json",
                             PROMETHEUS_MULTIPROC_DIR=str(self.var / "metrics"))
        self.server = Process(MAKE_SERVE, env, log=self.var / "serve.log")
        self.addCleanup(self.server.stop)
        self.base = f"http://127.0.0.1:{self.port}"
        self.server.wait_for_port(self.port).wait_for_http(self.base + "/health/")

    def test_make_serve_runs_gunicorn_and_nginx_in_front_of_it_serves_the_site(self):
        self.check_gunicorn_serves_pages_and_compressed_static_files()
        if NGINX:
            self.check_nginx_with_the_example_configuration()

    def check_gunicorn_serves_pages_and_compressed_static_files(self):
        status, headers, body = get(self.base + "/")
        self.assertEqual(status, 200, body[:500])
        self.assertIn("gunicorn", headers["Server"])
        self.assertIn("Content-Security-Policy", headers)
        # collectstatic ran: the files and their compressed copies are in STATIC_ROOT, and
        # WhiteNoise answers a client that accepts gzip with the compressed copy.
        css = self.var / "static" / "thetsaban" / "site.css"
        self.assertTrue(css.exists() and css.with_suffix(".css.gz").exists())
        status, headers, body = get(self.base + "/static/thetsaban/site.css",
                                    {"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(body), css.read_bytes())
        self.assertIn("max-age", headers["Cache-Control"])
        # No media from the app server: nginx (or object storage) serves them.
        self.assertEqual(get(self.base + "/media/x.txt")[0], 404)
        # The load balancer's probe, and the metrics of both workers together.
        status, headers, body = get(self.base + "/health/")
        self.assertEqual((status, json.loads(body)["status"]), (200, "ok"), body)
        for _n in range(6):
            get(self.base + "/")
        status, _headers, body = get(self.base + "/metrics",
                                     {"Authorization": "Bearer m3trics"})
        self.assertEqual(status, 200)
        served = re.findall(rb'thetsaban_http_requests_total\{method="GET",status="200",view="home"\} ([0-9.]+)', body)
        self.assertEqual(sum(float(n) for n in served), 7.0, body.decode()[:2000])

    def check_nginx_with_the_example_configuration(self):
        """Static and media from disk, pages proxied (skipped where nginx is not installed)."""
        nginx_port = free_port()
        (self.var / "media" / "attachments").mkdir(parents=True)
        (self.var / "media" / "attachments" / "report.html").write_text("<script>x</script>")
        # nginx's workers run as an unprivileged user: let them read the files.
        for path in (self.var, *self.var.rglob("*")):
            try:
                path.chmod(0o755 if path.is_dir() else 0o644)
            except FileNotFoundError:
                pass  # SQLite removes its -wal and -shm files when the last connection closes
        config = self.var / "nginx.conf"
        config.write_text(f"""
            daemon off;
            pid {self.var}/nginx.pid;
            error_log {self.var}/nginx-error.log;
            events {{}}
            http {{
                include /etc/nginx/mime.types;
                access_log off;
                client_body_temp_path {self.var}/nginx-body;
                proxy_temp_path {self.var}/nginx-proxy;
                upstream thetsaban_web {{ server 127.0.0.1:{self.port}; keepalive 4; }}
                server {{
                    listen 127.0.0.1:{nginx_port};
                    set $thetsaban_var {self.var};
                    include {BASE_DIR}/deploy/nginx/thetsaban-locations.conf;
                }}
            }}
        """)
        nginx = Process([NGINX, "-c", str(config), "-e", str(self.var / "nginx-error.log")],
                        {"PATH": os.environ.get("PATH", "")}, log=self.var / "nginx.log")
        self.addCleanup(nginx.stop)
        nginx.wait_for_port(nginx_port, timeout=20)
        front = f"http://127.0.0.1:{nginx_port}"

        status, headers, body = get(front + "/", {"X-Forwarded-For": "203.0.113.9"})
        self.assertEqual(status, 200, body[:500])
        # nginx made the request id; the app answered with it.
        self.assertRegex(headers["X-Request-ID"], r"^[0-9a-f]{32}$")
        self.assertEqual(get(front + "/health/")[0], 200)
        self.assertIn("Content-Security-Policy", headers)
        # Static files come from disk (nginx, not gunicorn), compressed when asked.
        status, headers, body = get(front + "/static/thetsaban/site.css",
                                    {"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertIn("nginx", headers["Server"])
        self.assertEqual(headers["Content-Encoding"], "gzip")
        css = self.var / "static" / "thetsaban" / "site.css"
        self.assertEqual(gzip.decompress(body), css.read_bytes())
        # Uploads are served, but an uploaded page cannot run as the site.
        status, headers, body = get(front + "/media/attachments/report.html")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"<script>x</script>")
        self.assertIn("sandbox", headers["Content-Security-Policy"])
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(get(front + "/media/missing.pdf")[0], 404)
        # A body larger than MAX_UPLOAD_MB is refused by nginx before it reaches an app server.
        self.assertEqual(get(front + "/accounts/login/", data=b"x" * (12 * 1024 * 1024))[0], 413)
