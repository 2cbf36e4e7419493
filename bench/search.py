#!/usr/bin/env python
"""Search benchmark: correctness and speed of the Thai full-text index, in one run.

    .venv/bin/python bench/search.py --practices 100000               # SQLite (a fresh file)
    .venv/bin/python bench/search.py --practices 100000 --postgres    # PostgreSQL on 127.0.0.1

Data comes from `generate_example_data` (marked as example data) in a throwaway database.
Prints four parts, then checks the targets:
 (a) the index build (MB/s) and a query mix drawn from the indexed text's own word
     frequencies: frequent, middling and rare words, one and two words, Thai and English;
 (b) every query of the mix checked against an exhaustive ranking: every match's title flag
     and score fetched without LIMIT and sorted here by the documented function
     (title match, then score, then kind and id); page 1 and count must be identical;
 (c) 4 concurrent readers through the API while a writer re-indexes practices for the whole
     run: errors and p95;
 (d) the same queries as a plain icontains search, for the speed-up;
 (e) on SQLite, the same queries with the impact-ordered side index switched off (every match
     ranked in the database, the way before it), for the side index's own gain, and how many
     queries the side index answered (the others are ranked the exhaustive way).
"""

import argparse
import collections
import contextlib
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import percentile, setup_database  # noqa: E402
from tqdm import tqdm  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--concurrent-seconds", type=float, default=30.0)
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL database thetsaban_bench")
    parser.add_argument("--database-url", help="any database URL (it is emptied)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="PATH_OR_URL",
                        help="an SQLite file or a PostgreSQL database URL kept between runs: made once (migrate,"
                             " demo, example data, index), then reused as it is when it already holds"
                             " --practices example practices")
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest queries to list")
    args = parser.parse_args()
    if args.keep:
        if args.postgres or args.database_url:
            parser.error("--keep names the database itself: give it alone")
        args.database_url = (args.keep if args.keep.startswith(("postgres://", "postgresql://"))
                             else f"sqlite:///{Path(args.keep).resolve()}")
    return args


def main():
    args = parse_args()
    url = setup_database(args, "thetsaban_bench")
    import django

    django.setup()
    from django.test.utils import override_settings

    # The API's rate-limit counters in this process's memory, as a deployment keeps them in
    # Redis: in the database cache table, each search would write a counter and so wait for
    # the re-indexing writer, which is not what this measures.
    override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}).enable()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test import Client

    from thetsaban.practices.models import Practice
    from thetsaban.search import services

    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    reuse = args.keep and kept(args.practices)
    if reuse:
        # The build rate of the run that made the file (the index is not rebuilt).
        build_seconds, indexed_bytes = reuse
        print(f"reusing {args.practices:,} example practices and their index in {args.keep}")
    else:
        call_command("migrate", verbosity=0)
        from thetsaban.practices.models import Practice as Generated

        if args.keep and Generated.objects.filter(is_example=True).count() >= args.practices:
            # A kept file whose run stopped before its index was built: generated already.
            print(f"reusing {args.practices:,} example practices in {args.keep}; building their index")
        else:
            call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))
            started = time.perf_counter()
            call_command("generate_example_data", practices=args.practices, seed=args.seed)
            print(f"generated {args.practices:,} example practices in {time.perf_counter() - started:.1f} s")

        # Index build, measured on its own: the whole practice index from scratch.
        started = time.perf_counter()
        with tqdm(total=Practice.objects.count(), desc="index build", file=sys.stderr) as bar:
            indexed_bytes = services.rebuild(kinds=["practice"], progress=bar.update)
        build_seconds = time.perf_counter() - started
    build_rate = indexed_bytes / 1e6 / build_seconds
    if not reuse:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            else:
                # Fresh statistics and visibility map for the tables the searches read.
                cursor.execute("VACUUM ANALYZE search_searchdocument")
                cursor.execute("VACUUM ANALYZE search_vector")
            if args.keep:
                cursor.execute("CREATE TABLE IF NOT EXISTS bench_kept (practices integer, build_seconds real,"
                               " indexed_bytes integer)")
                cursor.execute("DELETE FROM bench_kept")
                cursor.execute("INSERT INTO bench_kept VALUES (%s, %s, %s)",
                               [args.practices, build_seconds, indexed_bytes])

    rng = random.Random(args.seed)
    phase("drawing the query mix from the indexed words")
    queries = query_mix(rng, args.queries)
    client = Client()

    def api(query, page=1):
        response = client.get("/api/v1/search/", {"q": query, "type": "practice", "page": page})
        assert response.status_code == 200, response.content
        return response.json()

    def timed(fn):
        latencies = []
        for query in queries:
            started = time.perf_counter()
            fn(query)
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies

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
    counts, side_index = {}, []

    def api_noted(query):
        before = len(side_index)
        counts[query] = api(query)["count"]
        if connection.vendor == "sqlite" and len(side_index) == before:
            side_index.append((False, "nothing to rank" if not counts[query] else "?"))

    phase(f"(a) timing {len(queries)} queries through the API")
    with noting(side_index):
        index_ms = timed(api_noted)
    print(f"    p50 {statistics.median(index_ms):.1f} ms, p95 {percentile(index_ms, 95):.1f} ms,"
          f" max {max(index_ms):.1f} ms", file=sys.stderr)

    # (b) every query against the exhaustive ranking
    wrong = []
    for query in tqdm(queries, desc="(b) exhaustive check", file=sys.stderr):
        expected_total, expected_page = exhaustive(query)
        got = api(query)
        if got["count"] != expected_total or [r["id"] for r in got["results"]] != expected_page:
            wrong.append(query)
    correct = 100 * (len(queries) - len(wrong)) / len(queries)

    # (c) readers while a writer re-indexes
    phase(f"(c) 4 readers and a writer for {args.concurrent_seconds:.0f} s")
    readers_ms, errors = concurrent(queries, args.concurrent_seconds, rng)

    # (d) the icontains baseline
    phase("(d) the icontains baseline")
    plain_ms = timed(icontains)

    # (e) the side index against ranking every match, in the same run
    if connection.vendor == "sqlite":
        phase("(e) the same queries with the side index off")
    side = side_index_comparison(queries, api) if connection.vendor == "sqlite" else None

    p50, p95, worst = statistics.median(index_ms), percentile(index_ms, 95), max(index_ms)
    b50, b95 = statistics.median(plain_ms), percentile(plain_ms, 95)
    r95 = percentile(readers_ms, 95) if readers_ms else float("nan")
    ratio = b95 / p95
    print()
    print(f"(a) index build: {build_seconds:.1f} s for {indexed_bytes / 1e6:.1f} MB of text = {build_rate:.2f} MB/s")
    print(f"    {len(queries)} queries: {describe(queries)}")
    print(f"    {'':24}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    print(f"    {'full-text index (API)':24}{p50:>10.1f}{p95:>10.1f}{worst:>10.1f}")
    print(f"(b) correct against the exhaustive ranking: {correct:.1f} %"
          + (f" (wrong: {', '.join(wrong[:5])})" if wrong else ""))
    print(f"(c) 4 readers during a writer: {len(readers_ms)} searches, {errors} errors,"
          f" p95 {r95:.1f} ms")
    print(f"(d) {'icontains baseline':24}{b50:>10.1f}{b95:>10.1f}")
    print(f"    speed-up at p95: {ratio:.1f}x (p50: {b50 / p50:.1f}x)")
    if side:
        answered, on_ms, off_ms, same = side
        print(f"(e) side index answered {answered} of {len(queries)} queries; pages identical with it"
              f" off: {same} of {len(queries)}; each query timed on, then off:")
        for label, values in (("side index on", on_ms), ("off: every match ranked", off_ms)):
            print(f"    {label:24}{statistics.median(values):>10.1f}{percentile(values, 95):>10.1f}"
                  f"{max(values):>10.1f}")
    print(f"    side index answered {sum(1 for answered, _why in side_index if answered)} of {len(queries)};"
          f" the {args.slowest} slowest:")
    print(f"    {'ms':>8}{'matches':>9}{'titles':>8}  {'side index':<40} query")
    side_index = side_index or [(False, "not SQLite")] * len(queries)
    slowest = sorted(zip(index_ms, queries, side_index, strict=True), reverse=True)[:args.slowest]
    for ms, query, (answered, why) in slowest:
        print(f"    {ms:>8.1f}{counts[query]:>9,}{title_matches(query):>8,}  {'yes' if answered else 'no: ' + why:<40} {query}"
              f" {services.parse_query(query)}")
    checks = [
        ("100% of queries correct", not wrong),
        ("p95 <= 30 ms", p95 <= 30),
        ("no query over 150 ms", worst <= 150),
        ("0 errors under a concurrent writer", errors == 0),
        (">= 20x faster than icontains", ratio >= 20),
        ("index build >= 1 MB/s", build_rate >= 1),
    ]
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")
    return 0 if all(ok for _label, ok in checks) else 1


def kept(practices):
    """(build seconds, indexed bytes) recorded in a kept file that holds `practices` example
    practices and their whole index, else None."""
    from django.db import connection

    from thetsaban.practices.models import Practice
    from thetsaban.search.models import SearchDocument

    if "bench_kept" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT practices, build_seconds, indexed_bytes FROM bench_kept")
        row = cursor.fetchone()
    # At least: the demo may carry example practices of its own beside the generated ones.
    if (not row or row[0] != practices
            or Practice.objects.filter(is_example=True).count() < practices
            or not SearchDocument.objects.filter(kind="practice").exists()):
        return None
    return row[1], row[2]


@contextlib.contextmanager
def noting(notes):
    """Append (whether the side index answered, why not) to `notes` for each search."""
    from unittest import mock

    from thetsaban.search import backends

    original = backends.SqliteBackend._top

    def spy(backend, *args):
        hits = original(backend, *args)
        notes.append((hits is not None, "" if hits is not None else backend.declined or "?"))
        return hits

    if connection_vendor() != "sqlite":
        yield
        return
    with mock.patch.object(backends.SqliteBackend, "_top", spy):
        yield


def phase(text):
    """Say what the run is doing now (on stderr, beside the progress bars), with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {text} ...", file=sys.stderr, flush=True)


def connection_vendor():
    from django.db import connection

    return connection.vendor


def title_matches(query):
    """How many practices match `query` in their title."""
    from django.db import connection

    from thetsaban.search import backends, services

    parsed = services.parse_query(query)
    if not parsed or connection.vendor != "sqlite":
        return 0
    expr = backends.SqliteBackend.expression(parsed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s AND rowid < %s",
                       [f"{{title}} : ({expr})", backends.fts_rowid("practice", 0),
                        backends.fts_rowid("practice", 1 << backends.KIND_SHIFT)])
        return cursor.fetchone()[0]


def side_index_comparison(queries, api):
    """Each query with the side index on, then off, alternating (so both see the same load):
    (queries the side index answered, latencies on, latencies off, pages identical)."""
    from unittest import mock

    from thetsaban.search import backends

    original = backends.SqliteBackend._top
    answered, on_ms, off_ms, same = [], [], [], 0

    def spy(backend, *args):
        hits = original(backend, *args)
        answered.append(hits is not None)
        return hits

    for query in queries:
        pages = []
        for side, latencies in ((spy, on_ms), (lambda backend, *args: None, off_ms)):
            with mock.patch.object(backends.SqliteBackend, "_top", side):
                started = time.perf_counter()
                data = api(query)
                latencies.append((time.perf_counter() - started) * 1000)
            pages.append((data["count"], [r["id"] for r in data["results"]]))
        same += pages[0] == pages[1]
    return sum(answered), on_ms, off_ms, same


def query_mix(rng, size):
    """Queries drawn from the indexed text's own words: frequent, middling and rare, Thai and English."""
    from thetsaban import thai
    from thetsaban.search.models import SearchDocument

    frequency = collections.Counter()
    # A sample drawn by the seeded generator (not ORDER BY RANDOM()), so that runs on a kept
    # file time the same queries.
    documents = SearchDocument.objects.filter(kind="practice")
    ids = sorted(documents.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(2000, len(ids)))
    sample = documents.filter(pk__in=chosen).order_by("pk").values_list("title", "title_en", "body")
    for title, title_en, body in sample:
        frequency.update(set(thai.tokens(" ".join((title, title_en, body)))))
    words = [w for w, _n in frequency.most_common() if len(w) > 1 and not w.isdigit()]
    thai_words = [w for w in words if not w.isascii()]
    english = [w for w in words if w.isascii() and w.isalpha()]
    bands = []
    for pool in (thai_words, english):
        third = max(1, len(pool) // 3)
        bands += [pool[:third], pool[third:2 * third] or pool, pool[2 * third:] or pool]
    bands = [band for band in bands if band]
    queries = []
    while len(queries) < size:
        band = bands[len(queries) % len(bands)]
        if rng.random() < 0.6:
            queries.append(rng.choice(band))
        else:
            queries.append(" ".join((rng.choice(band), rng.choice(rng.choice(bands)))))
    return queries


def describe(queries):
    two = sum(1 for q in queries if " " in q)
    english = sum(1 for q in queries if q.isascii())
    return f"{len(queries) - two} of one word, {two} of two; {english} English"


def exhaustive(query):
    """(count, ids of page 1) by sorting every match here by the documented ranking."""
    from django.db import connection

    from thetsaban.search import backends, services

    parsed = services.parse_query(query)
    if not parsed:
        return 0, []
    engine = backends.backend()
    ranking = engine.ranking(parsed, "practice", "p.id")
    # One statement over the whole match set: each match's title flag and score, no LIMIT.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, {ranking.in_title[0]}, {ranking.score[0]} FROM practices_practice p"
            f" WHERE p.id IN ({ranking.matches[0]})",
            ranking.in_title[1] + ranking.score[1] + ranking.matches[1])
        rows = cursor.fetchall()
    rows.sort(key=lambda row: (not row[1], -row[2], row[0]))
    return len(rows), [row[0] for row in rows[:20]]


def concurrent(queries, seconds, rng):
    """4 reader threads through the API while a writer thread re-indexes practices."""
    from django.db import connection, transaction
    from django.test import Client

    from thetsaban.practices.models import Practice
    from thetsaban.search import services

    stop = threading.Event()
    latencies, errors = [], [0]
    lock = threading.Lock()
    pks = list(Practice.objects.published().values_list("pk", flat=True)[:5000])

    def writer():
        local = random.Random(1)
        try:
            while not stop.is_set():
                with transaction.atomic():
                    for pk in local.sample(pks, min(50, len(pks))):
                        services.index_object(Practice.objects.get(pk=pk))
        finally:
            connection.close()

    def reader(number):
        client, local = Client(), random.Random(number)
        try:
            while not stop.is_set():
                query = local.choice(queries)
                started = time.perf_counter()
                try:
                    ok = client.get("/api/v1/search/", {"q": query, "type": "practice"}).status_code == 200
                except Exception:  # noqa: BLE001  a failed read is what this part counts
                    ok = False
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    errors[0] += not ok
        finally:
            connection.close()

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


if __name__ == "__main__":
    sys.exit(main())
