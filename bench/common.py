"""What every benchmark shares: a throw-away database chosen from the command line, and percentiles."""

import os
import tempfile


def percentile(values, p):
    """The p-th percentile of `values` (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def setup_database(args, postgres_name: str) -> str:
    """Point Django at the benchmark's database (emptied): `--database-url`, `--postgres` (the
    database `postgres_name` on 127.0.0.1, dropped and created) or a new SQLite file; returns its URL.

    One client sends thousands of requests, so the API throttles are lifted for the run.
    """
    if args.database_url:
        url = args.database_url
    elif args.postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {postgres_name}")
            conn.execute(f"CREATE DATABASE {postgres_name}")
        url = f"postgres://postgres@127.0.0.1:5432/{postgres_name}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='thetsaban-bench-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    for rate in ("API_THROTTLE_ANON", "API_THROTTLE_USER", "API_THROTTLE_EXPENSIVE"):
        os.environ.setdefault(rate, "1000000/min")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thetsaban.settings")
    if not os.environ.get("SECRET_KEY"):
        import secrets

        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    return url
