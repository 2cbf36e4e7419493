"""The deck's critique as checks: which agency, which partners, what time frame, what target,
how far the recommendations cover the themes and levels, and which are overdue or stalled.

Everything is computed from three queries whatever the number of recommendations.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from thetsaban.policy.choices import CLOSED_STATUSES, LEVEL_ORDER, Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.practices.models import Theme

DEFAULT_STALE_DAYS = 90
MAX_STALE_DAYS = 3650

CHECKS = ("missing_agency", "missing_partners", "missing_time_frame", "missing_target",
          "overdue", "stale")


def parse_days(raw) -> int:
    """The `days` parameter: a whole number of days from 1 to 3650 (90 when absent)."""
    if raw in (None, ""):
        return DEFAULT_STALE_DAYS
    try:
        days = int(str(raw).strip())
    except ValueError:
        raise ValidationError({"days": [_("days must be a whole number of days, for example 90.")]},
                              code="invalid") from None
    if not 1 <= days <= MAX_STALE_DAYS:
        raise ValidationError({"days": [_("days must be between 1 and %(max)s.") % {
            "max": MAX_STALE_DAYS}]}, code="range")
    return days


def _list_url(**params) -> str:
    return reverse("policy:list") + "?" + urlencode(params)


def _item(row: dict, **extra) -> dict:
    item = {
        "id": row["pk"],
        "title": row["title"],
        "level": row["level"],
        "level_label": str(Level(row["level"]).label),
        "status": row["status"],
        "status_label": str(RecommendationStatus(row["status"]).label),
        "url": reverse("policy:recommendation", args=[row["pk"]]),
    }
    item.update(extra)
    return item


def build_coverage(queryset, *, days: int = DEFAULT_STALE_DAYS, today=None) -> dict:
    """The coverage report of the recommendations in `queryset` (already restricted)."""
    today = today or timezone.localdate()
    rows = list(queryset.with_checks().in_level_order().values(
        "pk", "title", "level", "status", "planned_start", "planned_end", "target_what",
        "target_amount", "target_date", "target_source", "created_at", "last_update_on",
        "has_agency", "has_partner"))
    ids = [row["pk"] for row in rows]
    # Theme links of just these recommendations: one query for the whole matrix.
    pairs = list(Recommendation.themes.through.objects.filter(
        recommendation_id__in=queryset.values("pk")).values_list("recommendation_id", "theme_id"))
    themes = list(Theme.objects.order_by("position", "code"))

    level_of = {row["pk"]: row["level"] for row in rows}
    counts, themed = {}, set()
    for recommendation_id, theme_id in pairs:
        if recommendation_id in level_of:
            key = (theme_id, level_of[recommendation_id])
            counts[key] = counts.get(key, 0) + 1
            themed.add(recommendation_id)
    levels = [{"code": level, "label": str(Level(level).label),
               "count": sum(1 for row in rows if row["level"] == level),
               "url": _list_url(level=level)} for level in LEVEL_ORDER]
    matrix = []
    for theme in themes:
        cells = [{"level": level, "count": counts.get((theme.pk, level), 0),
                  "url": _list_url(theme=theme.code, level=level)} for level in LEVEL_ORDER]
        matrix.append({"theme": theme.code, "label": theme.name, "cells": cells,
                       "total": sum(c["count"] for c in cells),
                       "url": _list_url(theme=theme.code)})
    unthemed = [row for row in rows if row["pk"] not in themed]
    matrix.append({
        "theme": "", "label": _("No theme"),
        "cells": [{"level": level, "count": sum(1 for r in unthemed if r["level"] == level),
                   "url": _list_url(has_theme="false", level=level)} for level in LEVEL_ORDER],
        "total": len(unthemed), "url": _list_url(has_theme="false"),
    })
    empty_cells = [{"theme": line["label"], "level": str(Level(cell["level"]).label)}
                   for line in matrix[:-1] for cell in line["cells"] if not cell["count"]]

    checks = {name: [] for name in CHECKS}
    target_parts = (("target_what", _("what")), ("target_amount", _("how much")),
                    ("target_date", _("by when")), ("target_source", _("where it comes from")))
    for row in rows:
        closed = row["status"] in CLOSED_STATUSES
        if not row["has_agency"]:
            checks["missing_agency"].append(_item(row))
        if not row["has_partner"]:
            checks["missing_partners"].append(_item(row))
        frame = [label for name, label in (("planned_start", _("planned start")),
                                          ("planned_end", _("planned end"))) if not row[name]]
        if frame:
            checks["missing_time_frame"].append(_item(row, missing=[str(p) for p in frame]))
        target = [str(label) for name, label in target_parts if not row[name]]
        if target:
            checks["missing_target"].append(_item(row, missing=target))
        if not closed:
            due = [d for d in (row["planned_end"], row["target_date"]) if d and d < today]
            if due:
                checks["overdue"].append(_item(row, due=min(due).isoformat(),
                                               days_late=(today - min(due)).days))
            created = timezone.localtime(row["created_at"]).date()
            last = max(d for d in (row["last_update_on"], created) if d)
            if (today - last).days >= days:
                checks["stale"].append(_item(row, last_activity=last.isoformat(),
                                             days_since=(today - last).days))
    return {
        "today": today.isoformat(),
        "days": days,
        "total": len(ids),
        "levels": levels,
        "matrix": matrix,
        "empty_cells": empty_cells,
        "checks": checks,
        "counts": {name: len(items) for name, items in checks.items()},
    }
