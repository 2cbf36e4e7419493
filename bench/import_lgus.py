"""Time `import_lgus` on an 8,000-row national LGU list in Windows-874 (example data).

Runs on a throwaway SQLite database in a temporary directory (or on DATABASE_URL if
BENCH_DATABASE_URL is given), so it never touches the real data:

    .venv/bin/python bench/import_lgus.py [--rows 8000]
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TYPES = ["ทน.", "ทม.", "ทต.", "อบต.", "อบจ.", "city", "town", "subdistrict", "sao"]
NAMES = ["บ้านใหม่", "หนองบัว", "ท่าช้าง", "โพธิ์ทอง", "สันทราย", "ดอนแก้ว", "ห้วยยาง",
         "นาคำ", "เชียงแสน", "บางพลี", "คลองหลวง", "ศรีสำราญ"]


def example_csv(rows: int, provinces: list[tuple[str, str]]) -> bytes:
    """An example LGU list (example data, not the official list) encoded in Windows-874."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name_th", "name_en", "short_name", "type", "province",
                     "population", "website", "latitude", "longitude"])
    for i in range(rows):
        code, province = provinces[i % len(provinces)]
        name = f"{NAMES[i % len(NAMES)]} {i}"
        kind = TYPES[i % len(TYPES)]
        writer.writerow([
            f"EX{i:06d}", f"ตัวอย่าง องค์กรปกครองส่วนท้องถิ่น{name}", f"Example LGU {i}",
            f"{kind}{name}", kind, code if i % 2 else province, 1000 + i * 7,
            f"https://example{i}.example.org", f"{6 + (i % 1400) / 100:.4f}",
            f"{98 + (i % 700) / 100:.4f}",
        ])
    return out.getvalue().encode("cp874")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=8000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="thetsaban-bench-") as tmp:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        os.environ.setdefault("DEBUG", "true")  # a throw-away site: its own key under tmp
        os.environ.setdefault("THETSABAN_VAR_DIR", tmp)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thetsaban.settings")

        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from thetsaban.places import demo
        from thetsaban.places.models import Province
        from thetsaban.places.services import import_lgus

        demo.load()
        provinces = list(Province.objects.values_list("code", "name_th"))
        path = Path(tmp) / "lgus-cp874.csv"
        path.write_bytes(example_csv(args.rows, provinces))
        print(f"{args.rows} rows, {path.stat().st_size / 1024:.0f} KB, Windows-874")

        for label in ("first import (create)", "re-import (unchanged)"):
            started = time.perf_counter()
            result = import_lgus(path, acting_user=None, filename=path.name)
            seconds = time.perf_counter() - started
            print(f"{label}: {seconds:.2f} s, {result.rows / seconds:,.0f} rows/s "
                  f"(created {result.created}, updated {result.updated}, "
                  f"unchanged {result.unchanged}, read as {result.encoding})")


if __name__ == "__main__":
    main()
