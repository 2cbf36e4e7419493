#!/usr/bin/env python
"""Autocomplete benchmark: speed and rightness of the LGU and person pickers, in one run.

    .venv/bin/python bench/autocomplete.py                 # SQLite (a fresh file)
    .venv/bin/python bench/autocomplete.py --postgres      # PostgreSQL on 127.0.0.1

Data: the places demo (provinces) plus generated example data in a throwaway database:
8,000 LGUs (codes EXA-…, English names marked "(example data)") and 100,000 persons
(is_example, family names beginning "ตัวอย่าง" so no real person is named).

Each query is one request to /api/v1/pickers/<kind>/ through the whole stack (a signed-in
member, throttles included) in the forms people type: code, Thai name, English name, short name
("ทน.xxx", "อบต. xxx"), and partial names. The expected record is known from the generation and
looked up separately in the database (by code or id, not through the picker); an answer is
right when that record is among the first five. The baseline is the naive look-up the pickers
replace: icontains over the same name fields, ordered by name, first ten.

The generated rows are bulk-created (no signals), so the pickers' name-word index is then built
the way the migration backfills it, and timed. Each request's wall time and this process's CPU
time are reported: on a machine shared with other work, wall time includes waiting for a core;
CPU time is the look-up's own work (all of it on SQLite; without the server's share on PostgreSQL).
The database queries of each request are counted too (the session and user of the signed-in
member included): on a shared machine each round trip may wait for a core.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import percentile, setup_database  # noqa: E402

BATCH = 2000
TARGET_P95_MS = 50
# Syllables of generated place names (combined, they make 8,000+ distinct example names).
PLACE_A = ["บ้าน", "หนอง", "นา", "ท่า", "โคก", "ดอน", "ห้วย", "บาง", "วัง", "ทุ่ง", "เขา", "ป่า",
           "สระ", "บึง", "คลอง", "แม่", "ลำ", "โนน", "ไร่", "หาด"]
PLACE_B = ["ใหม่", "ทอง", "แก้ว", "ศรี", "บัว", "ยาง", "ไผ่", "สะแก", "โพธิ์", "ขาม", "จาน", "มะขาม",
           "กระทุ่ม", "ตาล", "สำโรง", "เกลือ", "ทราย", "หิน", "ม่วง", "ขี้เหล็ก"]
PLACE_C = ["เหนือ", "ใต้", "กลาง", "งาม", "พัฒนา", "สามัคคี", "เจริญ", "สุข", "ทองคำ", "ชัย",
           "วิเศษ", "น้อย", "หลวง", "เก่า", "ตะวันออก", "ตะวันตก", "ร่วมใจ", "รุ่งเรือง", "บูรพา", "สันติ"]
ROMAN = {"บ้าน": "Ban", "หนอง": "Nong", "นา": "Na", "ท่า": "Tha", "โคก": "Khok", "ดอน": "Don",
         "ห้วย": "Huai", "บาง": "Bang", "วัง": "Wang", "ทุ่ง": "Thung", "เขา": "Khao", "ป่า": "Pa",
         "สระ": "Sa", "บึง": "Bueng", "คลอง": "Khlong", "แม่": "Mae", "ลำ": "Lam", "โนน": "Non",
         "ไร่": "Rai", "หาด": "Hat"}
GIVEN = ["สมชาย", "สมหญิง", "วิชัย", "สุดา", "ประเสริฐ", "มาลี", "อนันต์", "จันทร์เพ็ญ", "ธนา", "พรทิพย์",
         "สุรชัย", "กาญจนา", "ชัยวัฒน์", "นภา", "ปกรณ์", "รัตนา", "วีระ", "ศิริพร", "อำนาจ", "อรุณี"]
GIVEN_EN = ["Somchai", "Somying", "Wichai", "Suda", "Prasoet", "Mali", "Anan", "Chanphen", "Thana",
            "Phonthip", "Surachai", "Kanchana", "Chaiwat", "Napha", "Pakorn", "Rattana", "Wira",
            "Siriphon", "Amnat", "Aruni"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lgus", type=int, default=8_000)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="records sampled per kind")
    parser.add_argument("--postgres", action="store_true", help="use PostgreSQL database thetsaban_bench_pickers")
    parser.add_argument("--database-url", help="any database URL (it is emptied)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="with --database-url: keep the example data and name-word index an "
                             "earlier run left there (same --lgus and --persons), only query")
    return parser.parse_args()


def place_names(count):
    """Distinct example place names (Thai, romanised) from the syllable lists."""
    names = []
    for a in PLACE_A:
        for b in PLACE_B:
            for c in PLACE_C:
                names.append((a + b + c, f"{ROMAN[a]} {PLACE_B.index(b) + 1}-{PLACE_C.index(c) + 1}"))
    if count > len(names):
        raise SystemExit(f"at most {len(names)} LGUs")
    return names[:count]


def generate_lgus(count, rng):
    from thetsaban import thai
    from thetsaban.places.choices import LGU_TYPE_SHORT, LguType
    from thetsaban.places.models import Lgu, Province

    kinds = [(LguType.SAO, "องค์การบริหารส่วนตำบล", "Subdistrict Administrative Organisation")] * 6 + [
        (LguType.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบล", "Subdistrict Municipality")] * 3 + [
        (LguType.TOWN, "เทศบาลเมือง", "Town Municipality"), (LguType.CITY, "เทศบาลนคร", "City Municipality")]
    provinces = list(Province.objects.values_list("pk", flat=True))
    rows = []
    for i, (place, roman) in enumerate(place_names(count), start=1):
        lgu_type, word, word_en = kinds[i % len(kinds)]
        name_th = word + place
        rows.append(Lgu(code=f"EXA-{i:05d}", name_th=name_th, name_en=f"{roman} {word_en} (example data)",
                        short_name=LGU_TYPE_SHORT[lgu_type] + place, lgu_type=lgu_type,
                        province_id=rng.choice(provinces), sort_name=thai.sort_key(name_th)))
    Lgu.objects.bulk_create(rows, batch_size=BATCH)


def generate_persons(count, rng):
    from thetsaban import thai
    from thetsaban.directory.choices import Visibility
    from thetsaban.directory.models import Person, search_text

    families = [("ตัวอย่าง" + a + b, f"Tuayang {ROMAN[a]}{PLACE_B.index(b) + 1}")
                for a in PLACE_A for b in PLACE_B]
    rows = []
    for i in range(count):
        g = i % len(GIVEN)
        family, family_en = families[(i // len(GIVEN)) % len(families)]
        number = i // (len(GIVEN) * len(families))
        name_th = f"{GIVEN[g]} {family}" + (f" {number + 1}" if number else "")
        name_en = f"{GIVEN_EN[g]} {family_en}" + (f" {number + 1}" if number else "")
        visibility = Visibility.PUBLIC if i % 3 else Visibility.MEMBERS
        summary = "(ข้อมูลตัวอย่าง) example data"
        rows.append(Person(name_th=name_th, name_en=name_en, visibility=visibility,
                           listing_consent=(i % 10 != 0), is_example=True, summary=summary,
                           sort_name=thai.sort_key(name_th), search_text=search_text(name_th, name_en, summary)))
        if len(rows) == BATCH:
            Person.objects.bulk_create(rows)
            rows = []
    Person.objects.bulk_create(rows)


def lgu_queries(rng, n):
    """(text, expected code) in the forms people type."""
    from thetsaban.places.models import Lgu

    sample = list(Lgu.objects.filter(code__startswith="EXA-").order_by("?")[:n])
    queries = []
    for lgu in sample:
        place = lgu.short_name.split(".", 1)[1]
        abbreviation = lgu.short_name.split(".", 1)[0] + "."
        queries += [
            ("code", lgu.code, lgu.code),
            ("Thai name", lgu.name_th, lgu.code),
            ("English name", lgu.name_en.replace(" (example data)", ""), lgu.code),
            ("short name", lgu.short_name, lgu.code),
            ("abbreviation + space", f"{abbreviation} {place}", lgu.code),
            ("place name only", place, lgu.code),
        ]
    return queries


def person_queries(rng, n, user):
    from thetsaban.directory.models import Person

    visible = Person.objects.restrict(user, "view").filter(is_example=True)
    sample = list(visible.order_by("?")[:n])
    queries = []
    for person in sample:
        given, family = person.name_th.split(" ", 1)
        queries += [
            ("Thai name", person.name_th, person.pk),
            ("English name", person.name_en, person.pk),
            # Homonyms differ only by the family name and number, so those are typed in full.
            ("start of given + family", f"{given[:3]} {family}", person.pk),
        ]
    return queries


def expected_exists(kind, key) -> bool:
    """The separate look-up: the expected record is there, by its code or id."""
    from thetsaban.directory.models import Person
    from thetsaban.places.models import Lgu

    if kind == "lgus":
        return Lgu.objects.filter(code=key).exists()
    return Person.objects.filter(pk=key).exists()


def main():
    args = parse_args()
    url = setup_database(args, "thetsaban_bench_pickers")
    import django

    django.setup()
    from django.test.utils import override_settings

    override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
                      ALLOWED_HOSTS=["*"]).enable()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thetsaban.accounts.models import User
    from thetsaban.directory.models import Person
    from thetsaban.places import demo as places_demo
    from thetsaban.places.models import Lgu

    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    # bulk_create sends no post_save: the pickers' name-word index is built as the backfill does.
    from thetsaban.directory.pickers import PERSONS
    from thetsaban.places.pickers import LGUS

    reuse = (args.reuse and args.database_url
             and Lgu.objects.filter(code__startswith="EXA-").count() == args.lgus
             and Person.objects.filter(is_example=True).count() == args.persons
             and PERSONS.word_model.objects.exists())
    if reuse:
        print(f"reusing {args.lgus:,} LGUs and {args.persons:,} persons (example data) and their index")
    else:
        places_demo.load()
        started = time.perf_counter()
        generate_lgus(args.lgus, rng)
        generate_persons(args.persons, rng)
        print(f"generated {Lgu.objects.count():,} LGUs and {Person.objects.count():,} persons (example data)"
              f" in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        LGUS.refresh_all_words()
        PERSONS.refresh_all_words()
        print(f"name-word index: {LGUS.word_model.objects.count():,} LGU and "
              f"{PERSONS.word_model.objects.count():,} person entries in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql" and not reuse:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE places_lgu")
            cursor.execute("VACUUM ANALYZE directory_person")
            cursor.execute("VACUUM ANALYZE places_lgunameword")
            cursor.execute("VACUUM ANALYZE directory_personnameword")

    member, _created = User.objects.get_or_create(username="bench-member")
    client = Client()
    client.force_login(member)
    queries = [("lgus", *q) for q in lgu_queries(rng, args.queries)]
    queries += [("persons", *q) for q in person_queries(rng, args.queries, member)]

    def picker(kind, text):
        response = client.get(f"/api/v1/pickers/{kind}/", {"q": text})
        assert response.status_code == 200, response.content
        return [r["key"] for r in response.json()["results"]]

    def naive(kind, text):
        if kind == "lgus":
            rows = Lgu.objects.filter(Q(name_th__icontains=text) | Q(name_en__icontains=text)
                                      | Q(short_name__icontains=text) | Q(code__icontains=text))
            return list(rows.order_by("sort_name").values_list("code", flat=True)[:10])
        rows = Person.objects.restrict(member, "view").filter(
            Q(name_th__icontains=text) | Q(name_en__icontains=text))
        return [str(pk) for pk in rows.order_by("sort_name").values_list("pk", flat=True)[:10]]

    picker("lgus", "ทน"), picker("persons", "สม"), naive("lgus", "x")  # warm caches
    results = {}
    for name, fn in (("picker API", picker), ("naive icontains", naive)):
        for kind, form, text, key in queries:
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                got = fn(kind, text)
                elapsed = (time.perf_counter() - started) * 1000
                cpu = (time.process_time() - cpu_started) * 1000
            right = str(key) in got[:5] and expected_exists(kind, key)
            results.setdefault((name, kind), []).append((elapsed, right, form, cpu, len(captured)))

    print()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine load average (1 min) at the end of the run: {load:.1f} on {os.cpu_count()} cores")
    print(f"{len(queries)} queries ({args.queries} records sampled per kind); right = expected record in the first five")
    # Wall time includes waiting for a loaded machine's cores; CPU time is this process's own
    # work (on SQLite the whole look-up; on PostgreSQL without the server's share).
    print(f"  {'':18}{'kind':10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'right':>13}{'CPU p50':>9}{'CPU p95':>9}"
          f"{'queries':>9}")
    for (name, kind), rows in results.items():
        times = [r[0] for r in rows]
        cpu = [r[3] for r in rows]
        right = sum(r[1] for r in rows)
        counts = [r[4] for r in rows]
        print(f"  {name:18}{kind:10}{statistics.median(times):>9.1f}{percentile(times, 95):>9.1f}"
              f"{max(times):>9.1f}{right:>7}/{len(rows):<5}{statistics.median(cpu):>9.1f}"
              f"{percentile(cpu, 95):>9.1f}{f'{min(counts)}-{max(counts)}':>9}")
    print("  right answers by form of name (picker API / naive):")
    forms = {}
    for (name, kind), rows in results.items():
        for _elapsed, right, form, _cpu, _queries in rows:
            forms.setdefault((kind, form), {}).setdefault(name, []).append(right)
    for (kind, form), by_name in forms.items():
        counts = " / ".join(f"{sum(v)}/{len(v)}" for v in by_name.values())
        print(f"    {kind:9}{form:26}{counts}")
    checks = []
    for kind in ("lgus", "persons"):
        rows = results[("picker API", kind)]
        p95 = percentile([r[0] for r in rows], 95)
        checks.append((f"{kind}: p95 <= {TARGET_P95_MS} ms ({p95:.1f})", p95 <= TARGET_P95_MS))
        checks.append((f"{kind}: every answer right", all(r[1] for r in rows)))
    for label, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}")
    if args.postgres:
        connection.close()
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
