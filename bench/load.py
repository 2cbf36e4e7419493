"""Load and fault run: simulated people against the production set-up on this machine.

Two gunicorn app servers behind nginx (deploy/nginx/thetsaban-locations.conf), PostgreSQL with
a streaming replica (scripts/start-replica), Redis (a redis-server of the run's own on another
port, so that it may be restarted; the machine's Redis on 6379 is never touched) and the S3
store (moto's server on loopback). locust (bench/locustfile.py) runs USERS people for DURATION
seconds, mixing reads (pages, lists, search, API, photos through signed links) and writes
(comments, e-service reports through Open311, figures through the entry page). Fault drills
in the same run: one app server killed (SIGKILL) and started again, the replica stopped and
started, Redis restarted. Afterwards every successful write is looked for in the primary.

    .venv/bin/python bench/load.py [--users 50] [--duration 120] [--no-drills]

Prints p50/p95 per request kind, the errors (those within a drill's window apart), lost writes,
and the load average before and after. Example data only (hooks.EXAMPLE_MARK on what it adds).
The API throttles and posting limits are lifted for the run (every simulated person comes from
127.0.0.1); they are tested elsewhere.
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PRIMARY = "postgres://postgres@127.0.0.1:5432"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# Seconds after a drill's start during which errors are counted as the drill's.
DRILL_WINDOW = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(*args, env=None, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def uptime() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


class Stack:
    """Every process of the run, stopped in reverse order at the end."""

    def __init__(self, args):
        self.args = args
        self.var = Path(tempfile.mkdtemp(prefix="thetsaban-load-"))
        self.stoppers = []
        self.drills = []

    def stop(self):
        for stopper in reversed(self.stoppers):
            try:
                stopper()
            except Exception as error:  # noqa: BLE001 - keep stopping the others
                print(f"  (stopping: {error})", file=sys.stderr)
        shutil.rmtree(self.var, ignore_errors=True)

    # ---- services ------------------------------------------------------------------------
    def database(self):
        import psycopg

        name = self.args.database
        with psycopg.connect(f"{PRIMARY}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self.database_url = f"{PRIMARY}/{name}"

    def replica(self):
        port = self.args.replica_port
        self.replica_dir = run("scripts/start-replica", str(port)).stdout.strip()
        self.stoppers.append(lambda: run("scripts/start-replica", "--stop", self.replica_dir, check=False))
        self.replica_url = f"postgres://postgres@127.0.0.1:{port}/{self.args.database}"

    def pg_ctl(self, action):
        version = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
        command = [f"/usr/lib/postgresql/{version}/bin/pg_ctl", "-D", f"{self.replica_dir}/data",
                   "-w", "-l", f"{self.replica_dir}/log", action] + (["-m", "fast"] if action == "stop" else [])
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        run(*command)

    def redis(self):
        server = shutil.which("redis-server")
        if not server:
            self.redis_process = None
            print("  no redis-server binary: using the machine's Redis (db 15) and skipping the "
                  "Redis restart drill")
            return
        from thetsaban.tests.serving import Process

        self.redis_args = [server, "--port", str(self.redis_port), "--bind", "127.0.0.1",
                           "--save", "", "--appendonly", "no", "--dir", str(self.var)]
        self.redis_process = Process(self.redis_args, {"PATH": os.environ["PATH"]}, log=self.var / "redis.log")
        self.redis_process.wait_for_port(self.redis_port, timeout=20)
        self.stoppers.append(lambda: self.redis_process.stop())

    def store(self):
        from thetsaban.tests.objectstore import ObjectStore

        self.objects = ObjectStore(port=self.moto_port, bucket=self.bucket)
        self.stoppers.append(self.objects.stop)

    def settings_env(self) -> dict:
        """What the run's own Django (set-up and checks) and every server read."""
        self.redis_port, self.moto_port = free_port(), free_port()
        self.redis_url = (f"redis://127.0.0.1:{self.redis_port}/0" if shutil.which("redis-server")
                          else "redis://127.0.0.1:6379/15")
        self.bucket = f"thetsaban-load-{secrets.token_hex(4)}"
        return {
            "THETSABAN_VAR_DIR": str(self.var), "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "MAP_TILES_URL": "",
            "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
            "MEDIA_STORAGE_URL": f"s3://{self.bucket}/media?endpoint_url=http://127.0.0.1:{self.moto_port}"
                                 "&region_name=us-east-1",
            "AWS_ACCESS_KEY_ID": "testing-key", "AWS_SECRET_ACCESS_KEY": "testing-secret",
        }

    def environment(self) -> dict:
        from thetsaban.tests.serving import production_env

        return production_env(
            self.var, **self.base_env, DATABASE_REPLICA_URLS=self.replica_url,
            DATABASE_CONN_MAX_AGE="60",
            WHITENOISE_USE_FINDERS="true", WEB_CONCURRENCY=str(self.args.workers),
            WEB_ACCESS_LOG="false", TRUSTED_PROXY_COUNT="1", SITE_URL="http://127.0.0.1",
            API_THROTTLE_ANON="1000000/min", API_THROTTLE_USER="1000000/min",
            API_THROTTLE_EXPENSIVE="1000000/min",
            PARTICIPATION_POSTS_PER_MINUTE_PER_USER="100000",
            PARTICIPATION_POSTS_PER_DAY_PER_USER="100000",
            PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS="100000")

    def app_server(self, index):
        from thetsaban.tests.serving import Process

        port = self.app_ports[index]
        process = Process([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "deploy/gunicorn.conf.py",
                           "thetsaban.wsgi:application"], {**self.env, "BIND": f"127.0.0.1:{port}"},
                          log=self.var / f"web{index}.log")
        process.wait_for_port(port).wait_for_http(f"http://127.0.0.1:{port}/health/")
        self.servers[index] = process

    def app_servers(self):
        self.app_ports = [free_port(), free_port()]
        self.servers = [None, None]
        for index in (0, 1):
            self.app_server(index)
        self.stoppers.append(lambda: [server.stop() for server in self.servers if server])

    def nginx(self):
        from thetsaban.tests.serving import Process

        self.port = free_port()
        upstreams = "".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s; " for port in self.app_ports)
        config = self.var / "nginx.conf"
        config.write_text(f"""
            daemon off; pid {self.var}/nginx.pid; error_log {self.var}/nginx-error.log;
            worker_processes 1; events {{ worker_connections 1024; }}
            http {{
                include /etc/nginx/mime.types; access_log off;
                client_body_temp_path {self.var}/nginx-body; proxy_temp_path {self.var}/nginx-proxy;
                upstream thetsaban_web {{ {upstreams} keepalive 32; }}
                server {{ listen 127.0.0.1:{self.port}; set $thetsaban_var {self.var};
                         include {ROOT}/deploy/nginx/thetsaban-locations.conf; }}
            }}""")
        process = Process([NGINX, "-c", str(config), "-e", str(self.var / "nginx-error.log")],
                          {"PATH": os.environ["PATH"]}, log=self.var / "nginx.log")
        process.wait_for_port(self.port, timeout=20)
        self.stoppers.append(process.stop)

    # ---- drills --------------------------------------------------------------------------
    def drill(self, name, action):
        started = time.time()
        try:
            detail = action()
        except Exception as error:  # noqa: BLE001 - a failed drill is reported, not fatal
            detail = f"failed: {error}"
        self.drills.append({"name": name, "start": started, "seconds": round(time.time() - started, 1),
                            "detail": detail or ""})

    def kill_app_server(self):
        os.killpg(self.servers[0].popen.pid, signal.SIGKILL)
        self.servers[0].popen.wait()
        time.sleep(5)
        self.app_server(0)
        return "app server 1 killed with SIGKILL, started again after 5 s"

    def bounce_replica(self):
        self.pg_ctl("stop")
        time.sleep(10)
        self.pg_ctl("start")
        return "replica stopped (fast) for 10 s, then started"

    def restart_redis(self):
        if self.redis_process is None:
            return "skipped: no redis-server of the run's own"
        os.killpg(self.redis_process.popen.pid, signal.SIGTERM)
        self.redis_process.popen.wait()
        from thetsaban.tests.serving import Process

        self.redis_process = Process(self.redis_args, {"PATH": os.environ["PATH"]}, log=self.var / "redis.log")
        self.redis_process.wait_for_port(self.redis_port, timeout=20)
        return "redis-server stopped (no persistence: every key lost) and started again"

    def schedule_drills(self, duration):
        plan = [(0.25, "kill one app server", self.kill_app_server),
                (0.5, "stop and start the replica", self.bounce_replica),
                (0.75, "restart Redis", self.restart_redis)]
        started = time.monotonic()

        def runner():
            for share, name, action in plan:
                time.sleep(max(0, started + share * duration - time.monotonic()))
                self.drill(name, action)
        thread = threading.Thread(target=runner, daemon=True)
        thread.start()
        return thread


def prepare(stack, users: int) -> dict:
    """Migrate, load the demo, add the simulated people and a few photos; return the plan."""
    import django

    # Set up on the primary alone (the replica is copied from it afterwards).
    env = {name: value for name, value in stack.env.items() if name != "DATABASE_REPLICA_URLS"}
    started = time.monotonic()
    run(str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "--no-input", "-v0", env=env)
    run(str(ROOT / ".venv" / "bin" / "python"), "manage.py", "load_demo", env=env)
    print(f"  migrate and load_demo: {time.monotonic() - started:.0f} s")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore
    from rest_framework.authtoken.models import Token

    from thetsaban.accounts.models import LguMembership, User
    from thetsaban.eservice import services as eservice
    from thetsaban.eservice.models import Jurisdiction, Service
    from thetsaban.eservice.tests.base import jpeg
    from thetsaban.localdata.models import Indicator, Observation
    from thetsaban.places.models import Lgu
    from thetsaban.practices.models import Practice

    lgus = list(Lgu.objects.order_by("code"))
    indicators = list(Indicator.objects.filter(kind="entered", period_type="year").order_by("pk")
                      .values_list("pk", flat=True))
    # A year without figures, so that no box is locked by an approved one.
    first = Observation.objects.filter(indicator__in=indicators).order_by("period").values_list("period", flat=True).first()
    period = str(int(first) - 1) if first and str(first).isdigit() else "2020"
    people = []
    for number in range(users):
        user = User.objects.create_user(f"load-{number}", f"load-{number}@example.org", secrets.token_urlsafe(16))
        lgu = lgus[number % len(lgus)]
        # Each person who enters figures has a box of their own (an LGU and an indicator).
        indicator = number // len(lgus)
        LguMembership.objects.get_or_create(user=user, lgu=lgu)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        people.append({"session": session.session_key, "token": Token.objects.create(user=user).key,
                       "lgu": lgu.code, "indicator": indicators[indicator] if indicator < len(indicators) else None})
    jurisdiction = Jurisdiction.objects.filter(active=True).select_related("lgu").order_by("pk").first()
    service = Service.objects.filter(lgu=jurisdiction.lgu).order_by("pk").first()
    staff = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "load-staff", "load-staff@example.org", secrets.token_urlsafe(16))
    key = eservice.issue_api_key("load run (example)", acting_user=staff, per_minute=1_000_000)
    attributes = {f"attribute[{a.code}]": "A-1" if a.datatype in ("string", "text") else
                  (a.values[0]["key"] if a.values else "1")
                  for a in service.attributes.filter(required=True)}
    photos = []
    for _ in range(5):
        item = eservice.submit_request(service=service, description="ไฟดับ (ข้อมูลตัวอย่าง)",
                                       address="หน้าสำนักงาน", answers={k[10:-1]: v for k, v in attributes.items()},
                                       photos=[jpeg()])
        photos.extend(item.photos.values_list("pk", flat=True))
    print(f"  demo loaded: {Practice.objects.count()} practices, {Lgu.objects.count()} LGUs; "
          f"{users} people, {sum(1 for p in people if p['indicator'])} of them entering figures for {period}; "
          f"{len(photos)} photos in S3")
    return {
        "run": secrets.token_hex(3), "people": people,
        "practices": list(Practice.objects.published().values_list("pk", flat=True)[:200]),
        "words": ["ขยะ", "น้ำ", "การศึกษา", "สุขภาพ", "ถนน", "ชุมชน", "waste", "digital"],
        "photos": photos, "api_key": key.plain_key, "jurisdiction": jurisdiction.jurisdiction_id,
        "service_code": service.code, "attributes": attributes, "address": "หน้าสำนักงาน",
        "period": period,
    }


def verify(out: Path) -> dict:
    """Every successful write, looked for in the primary."""
    from django.db import connections

    from thetsaban.eservice.models import ServiceRequest
    from thetsaban.localdata.models import Observation
    from thetsaban.participation.models import Comment

    connections.close_all()
    writes = [json.loads(line) for line in (out / "writes.jsonl").read_text().splitlines()] \
        if (out / "writes.jsonl").exists() else []
    found = {"comment": 0, "report": 0, "observation": 0}
    total = {"comment": 0, "report": 0, "observation": 0}
    lost = []
    comments = dict(Comment.objects.using("default").values_list("pk", "text"))
    reports = dict(ServiceRequest.objects.using("default").values_list("pk", "description"))
    last = {}
    for write in writes:
        kind = write["kind"]
        total[kind] += 1
        if kind == "comment" and comments.get(write["id"]) == write["text"] \
                or kind == "report" and reports.get(write["id"]) == write["description"]:
            found[kind] += 1
        elif kind == "observation":
            cell = (write["lgu"], write["indicator"], write["period"])
            last[cell] = max(last.get(cell, 0), write["value"])
        else:
            lost.append(write)
    for (lgu, indicator, period), value in last.items():
        stored = Observation.objects.using("default").filter(
            lgu__code=lgu, indicator_id=indicator, period=period, category="").values_list("value", flat=True).first()
        if stored is not None and int(stored) == value:
            found["observation"] += sum(1 for w in writes if w["kind"] == "observation"
                                        and (w["lgu"], w["indicator"], w["period"]) == (lgu, indicator, period))
        else:
            lost.append({"kind": "observation", "cell": [lgu, indicator, period], "value": value,
                         "stored": str(stored)})
    return {"total": total, "found": found, "lost": lost}


def report(out: Path, stack, result: dict, load_before, load_after, args):
    rows = list(csv.DictReader(open(out / "stats_stats.csv", encoding="utf-8")))
    failures = [json.loads(line) for line in (out / "failures.jsonl").read_text().splitlines()] \
        if (out / "failures.jsonl").exists() else []
    print(f"\n{args.users} users, {args.duration} s, 2 app servers x {args.workers} workers behind nginx, "
          "PostgreSQL primary + replica, Redis, S3 (moto)")
    print(f"load average before {load_before}, after {load_after} (2 cores, shared)")
    print(f"{'kind':34} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for row in rows:
        print(f"{row['Name'][:34]:34} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{row['50%']:>7} {row['95%']:>7}")
    # Each error belongs to the last drill started before it, when within DRILL_WINDOW s of
    # that drill's end; any other error is counted outside the drills.
    owner = {}
    for index, failure in enumerate(failures):
        started = [d for d in stack.drills if d["start"] - 1 <= failure["time"]]
        if started and failure["time"] <= started[-1]["start"] + started[-1]["seconds"] + DRILL_WINDOW:
            owner[index] = started[-1]["name"]
    for drill in stack.drills:
        inside = [f for i, f in enumerate(failures) if owner.get(i) == drill["name"]]
        print(f"drill: {drill['name']}: {drill['detail']} ({drill['seconds']} s); errors from its start "
              f"to {DRILL_WINDOW} s after its end: {len(inside)}")
        kinds = {}
        for failure in inside:
            key = f"{failure['name']} ({failure['status'] or failure['error'][:60]})"
            kinds[key] = kinds.get(key, 0) + 1
        for key, count in sorted(kinds.items()):
            print(f"  {count} x {key}")
    outside = [f for i, f in enumerate(failures) if i not in owner]
    print(f"errors outside the drills: {len(outside)}")
    for failure in outside[:10]:
        print(f"  {failure['name']}: {failure['status']} {failure['error']}")
    signed_out = sum(1 for f in failures if f["name"] == "signed out")
    print(f"people asked to sign in again: {signed_out}")
    print(f"writes: {result['total']}; found afterwards: {result['found']}; lost: {len(result['lost'])}")
    for write in result["lost"][:10]:
        print(f"  lost: {write}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120, help="seconds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--database", default="thetsaban_load")
    parser.add_argument("--replica-port", type=int, default=5434)
    parser.add_argument("--no-drills", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(NGINX):
        print("bench/load.py needs nginx in front of the app servers: scripts/install-test-tools "
              "installs it", file=sys.stderr)
        return 2
    stack = Stack(args)
    try:
        started = time.monotonic()
        print("preparing: database, replica, Redis, S3, demo data, two app servers, nginx")
        stack.database()
        # The run's own Django reads the same settings as the servers (without the replica:
        # it sets up and checks on the primary), before anything reads the settings.
        stack.base_env = stack.settings_env()
        os.environ.update(stack.base_env, DJANGO_SETTINGS_MODULE="thetsaban.settings")
        stack.redis()
        stack.store()
        stack.replica_url = f"postgres://postgres@127.0.0.1:{args.replica_port}/{args.database}"
        stack.env = stack.environment()
        plan = prepare(stack, args.users)
        stack.replica()
        stack.app_servers()
        stack.nginx()
        out = stack.var / "out"
        out.mkdir()
        (stack.var / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
        print(f"  ready after {time.monotonic() - started:.0f} s")
        load_before = uptime()
        drills = None if args.no_drills else stack.schedule_drills(args.duration)
        locust = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(max(1, args.users // 5)), "-t", f"{args.duration}s",
             "--host", f"http://127.0.0.1:{stack.port}", "--csv", str(out / "stats"), "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "BENCH_PLAN": str(stack.var / "plan.json"), "BENCH_OUT": str(out)},
            capture_output=True, text=True)
        load_after = uptime()
        if drills:
            drills.join(timeout=60)
        if not (out / "stats_stats.csv").exists():
            print(locust.stdout[-3000:], locust.stderr[-3000:])
            return 1
        result = verify(out)
        report(out, stack, result, load_before, load_after, args)
        return 0 if not result["lost"] else 1
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
