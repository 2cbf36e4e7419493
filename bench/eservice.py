"""Benchmark the e-service at national size: example requests over example LGUs (example data).

Measures the p95 of the staff inbox page, of `GET /open311/v2/requests.json` with typical filters
and of the public LGU statistics page (target: at most 50 ms each), against a naive full scan in
the same run that also computes every answer separately; then POST throughput and p95 with 8
concurrent clients against gunicorn (target: 0 errors). Runs on a throw-away SQLite database in a
temporary directory, or on BENCH_DATABASE_URL (an empty PostgreSQL database you created):

    .venv/bin/python bench/eservice.py [--requests 1000000] [--lgus 2000] [--posts 400]
"""

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 50


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def timed(fn, repeat: int):
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--lgus", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="thetsaban-bench-eservice-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
    os.environ.update(DATABASE_URL=url, THETSABAN_VAR_DIR=tmp, DJANGO_SETTINGS_MODULE="thetsaban.settings",
                      SECRET_KEY=os.environ.get("SECRET_KEY", "bench-" + "k" * 60), DEBUG="false",
                      SECURE_SSL_REDIRECT="false", MAP_TILES_URL="",
                      EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from thetsaban.accounts.models import LguMembership, User
    from thetsaban.eservice import examples, services, stats
    from thetsaban.eservice.choices import CLOSED_STATUSES, OPEN_STATUSES, Status
    from thetsaban.eservice.models import Jurisdiction, ServiceRequest
    from thetsaban.places import demo as places_demo

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    places_demo.load()
    started = time.perf_counter()
    examples.generate(args.requests, lgu_count=args.lgus)
    print(f"generated {args.requests:,} example requests over {args.lgus:,} LGUs in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    lgu_id = (ServiceRequest.objects.values("lgu_id").order_by("lgu_id")
              .annotate(n=django.db.models.Count("pk")).order_by("-n")[0]["lgu_id"])
    jurisdiction = Jurisdiction.objects.select_related("lgu").get(lgu_id=lgu_id)
    lgu = jurisdiction.lgu
    editor, _ = User.objects.get_or_create(username="bench-editor")
    LguMembership.objects.get_or_create(user=editor, lgu=lgu)
    staff_client, public = Client(), Client()
    staff_client.force_login(editor)
    print(f"measured LGU: {lgu.code} ({ServiceRequest.objects.filter(lgu=lgu).count():,} requests)")

    # The naive computation: one full scan of every request, the answers worked out in Python.
    fields = ("pk", "lgu_id", "service__code", "status", "requested_at", "fixed_at", "fix_due_at",
              "fix_rejections", "hidden")

    def naive():
        rows = [r for r in ServiceRequest.objects.values_list(*fields).iterator(chunk_size=20000) if r[1] == lgu_id]
        now = django.utils.timezone.now()
        open_rows = sorted((r for r in rows if r[3] in OPEN_STATUSES), key=lambda r: (r[6], r[0]))
        since = now - timedelta(days=90)
        api = sorted((r for r in rows if r[3] in OPEN_STATUSES and r[2] == "street_lights" and r[4] >= since
                      and not r[8]), key=lambda r: (r[4], r[0]), reverse=True)[:1000]
        fixed = [r for r in rows if r[3] == Status.FIXED]
        ever = [r for r in rows if r[3] == Status.FIXED or r[7] > 0]
        hours = [(r[5] - r[4]).total_seconds() / 3600 for r in fixed]
        totals = {"received": len(rows), "fixed": len(fixed),
                  "median_hours": round(statistics.median(hours), 1) if hours else None,
                  "within_sla": round(100 * sum(r[5] <= r[6] for r in fixed) / len(fixed), 1) if fixed else None,
                  "rejected": round(100 * sum(r[7] > 0 for r in ever) / len(ever), 1) if ever else None}
        return {"open_count": len(open_rows), "inbox_first": [r[0] for r in open_rows[:50]],
                "api_ids": [str(r[0]) for r in api], "totals": totals}

    def checked(fn):
        """One more request with the template context recorded (test instrumentation, not timed)."""
        setup_test_environment()
        try:
            return fn()
        finally:
            teardown_test_environment()

    naive_repeat = 3 if args.requests >= 100_000 else 10
    naive_ms, expected = timed(naive, naive_repeat)
    results, right, checks = [], 0, 0

    inbox_url = f"/eservice/inbox/?lgu={lgu.code}&state=open"
    samples, _r = timed(lambda: staff_client.get(inbox_url), args.repeat)
    response = checked(lambda: staff_client.get(inbox_url))
    got = [row.pk for row in response.context["page"]]
    for ok in (response.status_code == 200, response.context["open_count"] == expected["open_count"],
               got == expected["inbox_first"]):
        checks += 1
        right += bool(ok)
    results.append(("staff inbox page (open, by due time)", samples))

    api_url = (f"/open311/v2/requests.json?jurisdiction_id={jurisdiction.jurisdiction_id}"
               "&status=open&service_code=street_lights")
    samples, response = timed(lambda: public.get(api_url), args.repeat)
    checks += 1
    right += [r["service_request_id"] for r in response.json()] == expected["api_ids"]
    results.append(("GET /open311/v2/requests.json (status, service)", samples))

    stats_url = f"/eservice/lgu/{jurisdiction.jurisdiction_id}/stats/"
    samples, _r = timed(lambda: public.get(stats_url), args.repeat)
    response = checked(lambda: public.get(stats_url))
    total = response.context["report"]["total"]
    for key, value in expected["totals"].items():
        checks += 1
        right += total[key] == value
        if total[key] != value:
            print(f"  MISMATCH stats {key}: page {total[key]} vs separate {value}")
    results.append(("public LGU statistics page", samples))

    floor, _r = timed(lambda: public.get("/places/"), args.repeat)
    print(f"\n{'measure':52} {'p50 ms':>8} {'p95 ms':>8}  target")
    for name, values in results:
        verdict = "ok" if p95(values) <= TARGET_MS else "MISSED"
        print(f"{name:52} {statistics.median(values):8.1f} {p95(values):8.1f}  <= {TARGET_MS} {verdict}")
    print(f"{'floor: the places index page, same layout':52} {statistics.median(floor):8.1f} {p95(floor):8.1f}")
    load = os.getloadavg()[0]
    print(f"{'load average during the run (cores: ' + str(os.cpu_count()) + ')':52} {load:8.1f}")
    print(f"{'naive full scan computing all three (baseline)':52} {statistics.median(naive_ms):8.1f} {p95(naive_ms):8.1f}")
    print(f"answers checked against the separate computation: {right}/{checks} right")

    # POST throughput under gunicorn with concurrent clients.
    import requests as http

    key = services.issue_api_key("bench", acting_user=None, per_minute=10**9).plain_key
    before = ServiceRequest.objects.count()
    port = 18000 + os.getpid() % 1000
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "thetsaban.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", "4", "--log-level", "warning"], cwd=ROOT, env=os.environ.copy())
    try:
        for _ in range(100):
            try:
                http.get(f"http://127.0.0.1:{port}/open311/v2/discovery.json", timeout=5)
                break
            except http.RequestException:
                time.sleep(0.5)
        base = float(lgu.latitude or 7.0) if lgu.latitude else 7.0

        def post(i):
            started = time.perf_counter()
            response = http.post(f"http://127.0.0.1:{port}/open311/v2/requests.json", data={
                "jurisdiction_id": jurisdiction.jurisdiction_id, "api_key": key, "service_code": "noise",
                "lat": f"{base + i * 0.0001:.6f}", "long": "100.5", "description": f"(ข้อมูลตัวอย่าง) bench {i}"},
                timeout=30)
            return (time.perf_counter() - started) * 1000, response.status_code

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            outcomes = list(pool.map(post, range(args.posts)))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    errors = sum(status != 201 for _ms, status in outcomes)
    stored = ServiceRequest.objects.count() - before
    print(f"\nPOST /open311/v2/requests.json, {args.clients} clients, gunicorn 4 workers: "
          f"{args.posts / elapsed:.1f} requests/s, p95 {p95([ms for ms, _s in outcomes]):.1f} ms, "
          f"{errors} errors (target 0); stored {stored} of {args.posts} (checked by count: "
          f"{'right' if stored == args.posts - errors else 'WRONG'})")
    _ = CLOSED_STATUSES, stats


if __name__ == "__main__":
    main()
