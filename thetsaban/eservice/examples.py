"""National-size example requests (marked as example data) for load tests and the benchmark."""

import json
import random
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from thetsaban.eservice import services
from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import Jurisdiction, Service, ServiceRequest
from thetsaban.practices.examples import ensure_example_lgus

BATCH = 5000
TEXTS = ["(ข้อมูลตัวอย่าง) ไฟถนนดับ", "(ข้อมูลตัวอย่าง) ถนนเป็นหลุม", "(ข้อมูลตัวอย่าง) น้ำท่วมขัง",
         "(ข้อมูลตัวอย่าง) ขยะไม่ได้เก็บ", "(ข้อมูลตัวอย่าง) น้ำประปาไม่ไหล", "(ข้อมูลตัวอย่าง) ต้นไม้ล้ม"]
# Rough shares of where requests stand, as in a working service.
STATUS_WEIGHTS = [(Status.OPEN, 12), (Status.ACKNOWLEDGED, 8), (Status.IN_PROGRESS, 10), (Status.FIXED, 55),
                  (Status.CLOSED, 8), (Status.DUPLICATE, 4), (Status.REFERRED, 3)]


def ensure_example_jurisdictions(lgu_count: int, rng) -> list:
    """Example LGUs EX-… that take requests, each with the league catalogue, created in bulk."""
    services.ensure_league_catalogue()
    lgus = ensure_example_lgus(lgu_count, rng)
    have = set(Jurisdiction.objects.filter(lgu__in=lgus).values_list("lgu_id", flat=True))
    Jurisdiction.objects.bulk_create([Jurisdiction(lgu=lgu, jurisdiction_id=f"ex-{lgu.pk}")
                                      for lgu in lgus if lgu.pk not in have], batch_size=BATCH)
    league = list(Service.objects.filter(lgu__isnull=True))
    offered = set(Service.objects.filter(lgu__in=lgus).values_list("lgu_id", "code"))
    Service.objects.bulk_create([
        Service(lgu=lgu, based_on=s, code=s.code, name_th=s.name_th, name_en=s.name_en, group=s.group,
                keywords=s.keywords, ack_hours=s.ack_hours, fix_hours=s.fix_hours)
        for lgu in lgus for s in league if (lgu.pk, s.code) not in offered], batch_size=BATCH)
    return lgus


def generate(count: int, *, lgu_count: int = 2000, seed: int = 1, days: int = 365, progress=None) -> int:
    """Create `count` example requests spread over `lgu_count` example LGUs; return how many."""
    rng = random.Random(seed)
    with transaction.atomic():
        lgus = ensure_example_jurisdictions(lgu_count, rng)
    by_lgu = {}
    for service in Service.objects.filter(lgu__in=lgus).only("pk", "lgu_id", "ack_hours", "fix_hours"):
        by_lgu.setdefault(service.lgu_id, []).append(service)
    centres = {lgu.pk: (6.0 + (i * 7919 % 1400) / 100, 98.0 + (i * 104729 % 700) / 100)
               for i, lgu in enumerate(lgus)}
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    now = timezone.now()
    made = 0
    while made < count:
        rows = []
        for _ in range(min(BATCH, count - made)):
            lgu = lgus[rng.randrange(len(lgus))]
            service = rng.choice(by_lgu[lgu.pk])
            lat, lon = centres[lgu.pk]
            start = now - timedelta(seconds=rng.randrange(days * 86400))
            status = rng.choice(statuses)
            fixed = start + timedelta(hours=rng.expovariate(1 / (service.fix_hours * 0.7))) \
                if status == Status.FIXED else None
            if fixed and fixed > now:
                fixed = now
            closed = fixed or (start + timedelta(hours=rng.randrange(1, 400)) if status not in
                               (Status.OPEN, Status.ACKNOWLEDGED, Status.IN_PROGRESS) else None)
            if closed and closed > now:
                closed = now
            rows.append(dict(
                lgu=lgu.pk, service=service.pk, status=status, description=rng.choice(TEXTS),
                latitude=round(lat + rng.uniform(-0.03, 0.03), 6), longitude=round(lon + rng.uniform(-0.03, 0.03), 6),
                requested_at=start, updated_at=closed or start, fixed_at=fixed, closed_at=closed,
                acknowledged_at=None if status == Status.OPEN else start + timedelta(hours=2),
                ack_due_at=start + timedelta(hours=service.ack_hours),
                fix_due_at=start + timedelta(hours=service.fix_hours),
                fix_rejections=1 if status == Status.FIXED and rng.random() < 0.05 else 0,
                token=uuid.UUID(int=rng.getrandbits(128)), reporter_key=uuid.UUID(int=rng.getrandbits(128)),
                example=True))
        insert_requests(rows)
        made += len(rows)
        if progress:
            progress(len(rows))
    return made


def insert_requests(rows: list[dict]) -> None:
    """Insert example requests (by field name; the other fields take their defaults) in one
    statement per batch: COPY on PostgreSQL, executemany on SQLite. Each value is prepared as the
    ORM would store it, without a model instance per row."""
    if not rows:
        return
    fields = [f for f in ServiceRequest._meta.concrete_fields if not f.primary_key]
    given = [f for f in fields if f.name in rows[0]]
    defaults = [f for f in fields if f.name not in rows[0]]
    copy = connection.vendor == "postgresql"
    # COPY takes Python values (psycopg adapts them); executemany the values the ORM would bind.
    prepared = {f.name: (lambda value, f=f: f.get_db_prep_save(value, connection))
                for f in given if not copy and f.get_internal_type() in ("DateTimeField", "UUIDField", "DecimalField")}
    fixed = [f.get_db_prep_save(f.get_default(), connection) for f in defaults]
    if copy:
        fixed = [json.dumps(f.get_default()) if isinstance(f, JSONField) else f.get_default() for f in defaults]
    columns = [f.column for f in given + defaults]
    values = []
    for row in rows:
        line = [prepared[f.name](row[f.name]) if f.name in prepared else row[f.name] for f in given]
        values.append(line + fixed)
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if copy:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as stream:
                for line in values:
                    stream.write_row(line)
            return
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", values)


def generate_for_command(count: int, *, lgus: int | None = None, seed: int = 1, progress=None) -> int:
    """`generate_example_data --requests N`: example requests over 2,000 example LGUs by default."""
    return generate(count, lgu_count=lgus or 2000, seed=seed, progress=progress)
