"""An LGU's public record of requests, and the map's points: computed by the database.

Received counts every request; "fixed" those whose status is fixed now; the median time to fix
is over those; "within SLA" is fixed no later than the fix-by time; "fixes rejected" is the
share of requests ever marked fixed (fixed now, or reopened by a rejection) that a reporter
rejected at least once.
"""

import statistics
from datetime import datetime

from django.db.models import Avg, Case, Count, F, FloatField, IntegerField, Min, Q, Value, When
from django.db.models.functions import Cast, Floor
from django.utils import formats, timezone, translation

from thetsaban import thai
from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import Service, ServiceRequest

WITHIN = Q(status=Status.FIXED, fixed_at__lte=F("fix_due_at"))
FIXED = Q(status=Status.FIXED)
EVER_FIXED = Q(status=Status.FIXED) | Q(fix_rejections__gt=0)
REJECTED = Q(fix_rejections__gt=0)
# What each group counts (None: every request).
COUNTS = {"received": None, "fixed": FIXED, "within": WITHIN, "ever_fixed": EVER_FIXED, "rejected": REJECTED}


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _row(label, counts: dict, durations: list[float]) -> dict:
    return {
        "label": label, "received": counts["received"], "fixed": counts["fixed"],
        "median_hours": round(statistics.median(durations), 1) if durations else None,
        "within_sla": _share(counts["within"], counts["fixed"]),
        "rejected": _share(counts["rejected"], counts["ever_fixed"]),
    }


def month_label(month) -> str:
    """A month as its readers write it: "ธ.ค. 2569" on Thai pages, "Dec 2026" otherwise."""
    if (translation.get_language() or "th").startswith("th"):
        return f"{thai.THAI_MONTHS_SHORT[month.month - 1]} {thai.buddhist_year(month.year)}"
    return formats.date_format(month, "M Y")


def _month_starts(first: datetime, last: datetime, zone) -> list[datetime]:
    """The starts (local midnight on the 1st) of the months from `first`'s to `last`'s, and of
    the month after: the edges of the month buckets."""
    local = timezone.localtime(first, zone)
    year, month = local.year, local.month
    end = timezone.localtime(last, zone)
    starts = []
    while True:
        starts.append(datetime(year, month, 1, tzinfo=zone))
        if (year, month) > (end.year, end.month):
            return starts
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_bucket(starts: list[datetime]):
    """The number of the month a request was received in (0 for starts[0]'s), worked out by the
    database from plain comparisons (an index range, no date function per row)."""
    return Case(*[When(requested_at__lt=edge, then=Value(number)) for number, edge in enumerate(starts[1:])],
                default=Value(len(starts) - 1), output_field=IntegerField())


def _empty_counts() -> dict:
    return dict.fromkeys(COUNTS, 0)


def lgu_report(lgu, *, requests=None) -> dict:
    """Totals, per service and per month (of the date received, local time).

    Four reads whatever the number of requests: the first and the last date received, the
    counts grouped by service and month, and the times to fix of the fixed requests (the medians
    need each of them). Totals, per service and per month rows are sums of the same groups."""
    queryset = requests if requests is not None else ServiceRequest.objects.filter(lgu=lgu).public()
    queryset = queryset.order_by()
    names = {s.pk: s.name for s in Service.objects.filter(lgu=lgu).only("name_th", "name_en")}
    # The first and the last date received: two steps along the (LGU, date received) index.
    dates = queryset.values_list("requested_at", flat=True)
    first, last = dates.order_by("requested_at").first(), dates.order_by("-requested_at").first()
    if first is None:
        return {"total": _row("", _empty_counts(), []), "per_service": [], "per_month": []}
    zone = timezone.get_current_timezone()
    starts = _month_starts(first, last, zone)
    bucket = _month_bucket(starts)
    groups = (queryset.annotate(month=bucket).values("service_id", "month")
              .annotate(**{key: Count("pk", filter=condition) if condition is not None else Count("pk")
                           for key, condition in COUNTS.items()}))
    fix_hours = (queryset.filter(FIXED).annotate(month=bucket)
                 .values_list("service_id", "month", "requested_at", "fixed_at"))
    total, per_service, per_month = _empty_counts(), {}, {}
    for group in groups:
        for counts in (total, per_service.setdefault(group["service_id"], _empty_counts()),
                       per_month.setdefault(group["month"], _empty_counts())):
            for key in COUNTS:
                counts[key] += group[key]
    all_hours, service_hours, month_hours = [], {}, {}
    for service_id, month, start, end in fix_hours:
        hours = (end - start).total_seconds() / 3600
        all_hours.append(hours)
        service_hours.setdefault(service_id, []).append(hours)
        month_hours.setdefault(month, []).append(hours)
    months = []
    for number in sorted(per_month):
        label = starts[number].date()
        row = _row(label, per_month[number], month_hours.get(number, []))
        row["month_label"] = month_label(label)
        months.append(row)
    return {"total": _row("", total, all_hours),
            "per_service": [_row(names.get(service_id, "?"), per_service[service_id],
                                 service_hours.get(service_id, []))
                            for service_id in sorted(per_service)],
            "per_month": months}


def charts(report: dict) -> dict:
    """Bar geometry for the SVG charts (as the coverage page draws them): received and fixed per
    month, and the share fixed within the SLA per service."""
    label_width, bar_width, bar_height, gap = 140, 220, 14, 8
    months = report["per_month"][-12:]
    top = max([m["received"] for m in months] or [1]) or 1
    month_bars = []
    for i, month in enumerate(months):
        y = i * (2 * bar_height + gap)
        month_bars.append({"label": month["label"], "month_label": month_label(month["label"]), "label_y": y + bar_height, "y": y, "fixed_y": y + bar_height,
                           "received": month["received"], "fixed": month["fixed"],
                           "received_width": round(bar_width * month["received"] / top),
                           "fixed_width": round(bar_width * month["fixed"] / top)})
    service_bars = []
    for i, row in enumerate(report["per_service"]):
        y = i * (bar_height + gap)
        share = row["within_sla"] or 0
        service_bars.append({"label": row["label"], "y": y, "label_y": y + bar_height - 2,
                             "width": round(bar_width * share / 100), "share": row["within_sla"]})
    return {"label_width": label_width, "value_x": label_width + bar_width + 6, "bar_height": bar_height,
            "width": label_width + bar_width + 60, "months": month_bars, "services": service_bars,
            "months_height": max(len(month_bars) * (2 * bar_height + gap), 1),
            "services_height": max(len(service_bars) * (bar_height + gap), 1)}


def map_points(queryset, *, limit: int) -> dict:
    """Each request as a point when there are at most `limit`, otherwise every request counted in
    grid clusters (count and centre) of 0.1 degree, or 1 degree when there are very many."""
    count = queryset.count()
    if count <= limit:
        rows = queryset.select_related("service").only(
            "pk", "latitude", "longitude", "status", "service__name_th", "service__name_en")[:limit]
        return {"count": count, "clustered": False, "points": [
            {"id": r.pk, "lat": float(r.latitude), "lon": float(r.longitude), "status": r.status,
             "label": f"#{r.pk} {r.service.name}", "url": r.get_absolute_url()} for r in rows]}
    box = queryset.aggregate(Min("latitude"), Min("longitude"))
    span = 1.0 if count > 20 * limit else 0.1
    cells = (queryset.annotate(cell_lat=Floor(Cast("latitude", FloatField()) / span),
                                cell_lon=Floor(Cast("longitude", FloatField()) / span))
             .values("cell_lat", "cell_lon").annotate(n=Count("pk"), lat=Avg("latitude"), lon=Avg("longitude"))
             .order_by("-n"))
    return {"count": count, "clustered": True, "origin": [float(box["latitude__min"]), float(box["longitude__min"])],
            "points": [{"lat": float(c["lat"]), "lon": float(c["lon"]), "count": c["n"]} for c in cells]}
