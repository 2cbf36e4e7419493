#!/usr/bin/env python
"""Search benchmark: the Thai full-text index against a plain icontains search, in one run.

    .venv/bin/python bench/search.py --practices 100000               # SQLite (a fresh file)
    .venv/bin/python bench/search.py --practices 100000 --postgres    # PostgreSQL on 127.0.0.1

Data comes from `generate_example_data` (marked as example data) in a throwaway database.
Prints the index build time and MB/s, p50/p95 latency of Thai queries through the API,
the same for icontains over the same records, and the ratio; then checks the targets.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Realistic queries a municipal officer or citizen would type (one to three words).
QUERIES = [
    "ขยะ", "การจัดการขยะ", "ขยะมูลฝอย", "น้ำเสีย", "บำบัดน้ำเสีย", "ตลาดเก่า", "ผู้สูงอายุ",
    "การมีส่วนร่วม", "ชุมชน", "งบประมาณ", "ธรรมาภิบาล", "คาร์บอนต่ำ", "พลังงานแสงอาทิตย์",
    "น้ำท่วม", "ท่องเที่ยว", "บริการประชาชน", "ลดขั้นตอน", "เด็กเล็ก", "สุขภาพ", "โรงเรียน",
    "ป่าชุมชน", "ทุนทางสังคม", "เครือข่าย", "อาสาสมัคร", "ธนาคารขยะ", "คัดแยกขยะ",
    "ปุ๋ยหมัก", "ถนน", "ไฟฟ้า", "ประปา", "ระบบสารสนเทศ", "ออนไลน์", "แผนชุมชน", "กองทุน",
    "การคลัง", "ภาษี", "รายได้", "สวนสาธารณะ", "ต้นไม้", "จักรยาน", "ความปลอดภัย",
    "กล้องวงจรปิด", "ภัยพิบัติ", "ภัยแล้ง", "เกษตรอินทรีย์", "วิสาหกิจชุมชน", "ผู้พิการ",
    "การศึกษา", "ห้องสมุด", "วัฒนธรรม", "ประเพณี", "อาหารปลอดภัย", "ตลาดนัด", "คนพิการ",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL database thetsaban_bench")
    parser.add_argument("--database-url", help="any database URL (it is emptied)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def setup_database(args) -> str:
    if args.database_url:
        url = args.database_url
    elif args.postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS thetsaban_bench")
            conn.execute("CREATE DATABASE thetsaban_bench")
        url = "postgres://postgres@127.0.0.1:5432/thetsaban_bench"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='thetsaban-bench-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thetsaban.settings")
    return url


def main():
    args = parse_args()
    url = setup_database(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test import Client

    from thetsaban.practices.models import Practice
    from thetsaban.search import services

    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
    started = time.perf_counter()
    call_command("generate_example_data", practices=args.practices, seed=args.seed)
    print(f"generated {args.practices:,} example practices in {time.perf_counter() - started:.1f} s")

    # Index build, measured on its own: the whole practice index from scratch.
    started = time.perf_counter()
    indexed_bytes = services.rebuild(kinds=["practice"])
    build_seconds = time.perf_counter() - started
    build_rate = indexed_bytes / 1e6 / build_seconds
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    else:
        with connection.cursor() as cursor:
            # Fresh statistics and visibility map for the tables the searches read.
            cursor.execute("VACUUM ANALYZE search_searchdocument")
            cursor.execute("VACUUM ANALYZE search_vector")

    rng = random.Random(args.seed)
    queries = [rng.choice(QUERIES) if rng.random() < 0.7 else " ".join(rng.sample(QUERIES, 2))
               for _ in range(args.queries)]
    client = Client()

    def timed(fn):
        latencies = []
        for query in queries:
            started = time.perf_counter()
            fn(query)
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies

    def api(query):
        response = client.get("/api/v1/search/", {"q": query, "type": "practice"})
        assert response.status_code == 200, response.content
        return response.json()

    def icontains(query):
        condition = Q()
        for word in query.split():
            condition &= (Q(title_th__icontains=word) | Q(title_en__icontains=word)
                          | Q(summary__icontains=word) | Q(situation_before__icontains=word)
                          | Q(objectives__icontains=word) | Q(lessons__icontains=word)
                          | Q(lgu__name_th__icontains=word))
        matches = Practice.objects.published().filter(condition)
        total = matches.count()
        page = list(matches.order_by("-published_at").values("pk", "title_th", "summary")[:20])
        return total, page

    api(queries[0]), icontains(queries[0])  # warm caches and the segmenter
    index_ms = timed(api)
    plain_ms = timed(icontains)

    p50, p95 = statistics.median(index_ms), percentile(index_ms, 95)
    b50, b95 = statistics.median(plain_ms), percentile(plain_ms, 95)
    ratio = b95 / p95
    print()
    print(f"index build: {build_seconds:.1f} s for {indexed_bytes / 1e6:.1f} MB of text = {build_rate:.2f} MB/s")
    print(f"{'':24}{'p50 ms':>10}{'p95 ms':>10}")
    print(f"{'full-text index (API)':24}{p50:>10.1f}{p95:>10.1f}")
    print(f"{'icontains baseline':24}{b50:>10.1f}{b95:>10.1f}")
    print(f"speed-up at p95: {ratio:.1f}x (p50: {b50 / p50:.1f}x)")
    checks = [
        ("p95 <= 30 ms", p95 <= 30),
        (">= 20x faster than icontains", ratio >= 20),
        ("index build >= 1 MB/s", build_rate >= 1),
    ]
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
