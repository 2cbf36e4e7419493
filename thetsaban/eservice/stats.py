"""An LGU's public record of requests, and the map's points: computed by the database.

Received counts every request; "fixed" those whose status is fixed now; the median time to fix
is over those; "within SLA" is fixed no later than the fix-by time; "fixes rejected" is the
share of requests ever marked fixed (fixed now, or reopened by a rejection) that a reporter
rejected at least once.
"""

import statistics
from datetime import datetime

from django.db.models import Avg, Count, F, FloatField, Min, Q
from django.db.models.functions import Cast, Floor, TruncMonth
from django.utils import formats, timezone, translation

from thetsaban import thai
from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import Service, ServiceRequest

WITHIN = Q(status=Status.FIXED, fixed_at__lte=F("fix_due_at"))
FIXED = Q(status=Status.FIXED)
EVER_FIXED = Q(status=Status.FIXED) | Q(fix_rejections__gt=0)
REJECTED = Q(fix_rejections__gt=0)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _row(label, counts: dict, durations: list[float]) -> dict:
    return {
        "label": label, "received": counts["received"], "fixed": counts["fixed"],
        "median_hours": round(statistics.median(durations), 1) if durations else None,
        "within_sla": _share(counts["within"], counts["fixed"]),
        "rejected": _share(counts["rejected"], counts["ever_fixed"]),
    }


def _counts(queryset, *group_by):
    return queryset.values(*group_by).annotate(
        received=Count("pk"), fixed=Count("pk", filter=FIXED), within=Count("pk", filter=WITHIN),
        ever_fixed=Count("pk", filter=EVER_FIXED), rejected=Count("pk", filter=REJECTED))


def month_label(month) -> str:
    """A month as its readers write it: "ธ.ค. 2569" on Thai pages, "Dec 2026" otherwise."""
    if (translation.get_language() or "th").startswith("th"):
        return f"{thai.THAI_MONTHS_SHORT[month.month - 1]} {thai.buddhist_year(month.year)}"
    return formats.date_format(month, "M Y")


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def lgu_report(lgu, *, requests=None) -> dict:
    """Totals, per service and per month (of the date received, local time)."""
    queryset = requests if requests is not None else ServiceRequest.objects.filter(lgu=lgu).public()
    fix_times = list(queryset.filter(FIXED).values_list("service_id", "requested_at", "fixed_at"))
    zone = timezone.get_current_timezone()

    def month_of(moment: datetime):
        local = timezone.localtime(moment, zone)
        return local.date().replace(day=1)

    hours = [(service_id, month_of(start), (end - start).total_seconds() / 3600)
             for service_id, start, end in fix_times]
    total = queryset.aggregate(
        received=Count("pk"), fixed=Count("pk", filter=FIXED), within=Count("pk", filter=WITHIN),
        ever_fixed=Count("pk", filter=EVER_FIXED), rejected=Count("pk", filter=REJECTED))
    names = {s.pk: s.name for s in Service.objects.filter(lgu=lgu)}
    per_service = [_row(names.get(row["service_id"], "?"), row, [h for s, _m, h in hours if s == row["service_id"]])
                   for row in _counts(queryset, "service_id").order_by("service_id")]
    per_month = [_row(_day(row["month"]), row, [h for _s, m, h in hours if m == _day(row["month"])])
                 for row in _counts(queryset.annotate(month=TruncMonth("requested_at", tzinfo=zone)), "month")
                 .order_by("month")]
    for row in per_month:
        row["month_label"] = month_label(row["label"])
    return {"total": _row("", total, [h for _s, _m, h in hours]), "per_service": per_service,
            "per_month": per_month}


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
