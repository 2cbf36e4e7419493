"""A region's dashboard: coach coverage, practices by theme and maturity, active pilots and the
recommendations concerning the region, with SVG bar charts drawn by the template."""

from django.db.models import Count, Q

from thetsaban.coaching.models import Coach
from thetsaban.places.models import Lgu, Province
from thetsaban.policy.models import Recommendation
from thetsaban.practices.choices import Maturity
from thetsaban.practices.models import Practice, Theme
from thetsaban.transfers.models import TransferProject

WIDTH = 560
BAR_HEIGHT = 16
LABEL_WIDTH = 200


def bars(rows) -> dict:
    """Horizontal bars for (label, count) rows, scaled to the largest."""
    largest = max([count for _label, count in rows] + [1])
    plot = WIDTH - LABEL_WIDTH - 50
    items = []
    for index, (label, count) in enumerate(rows):
        y = index * (BAR_HEIGHT + 6)
        items.append({"name": str(label), "y": y, "label_y": y + 12, "count": count,
                      "width": max(1, round(plot * count / largest)) if count else 0})
    return {"width": WIDTH, "height": max(1, len(rows)) * (BAR_HEIGHT + 6), "label_width": LABEL_WIDTH,
            "value_x": WIDTH - 40, "bar_height": BAR_HEIGHT, "bars": items}


def region_dashboard(region, user) -> dict:
    """The figures of one region, read through what `user` may see."""
    provinces = list(Province.objects.restrict(user, "view").filter(region=region).annotate(
        coach_count=Count("coaches", filter=Q(coaches__in=Coach.objects.restrict(user, "view").approved()))
    ).order_by("sort_name"))
    practices = Practice.objects.restrict(user, "view").published().filter(lgu__province__region=region)
    by_theme = dict(Theme.objects.restrict(user, "view").annotate(
        n=Count("practices", filter=Q(practices__in=practices))).values_list("pk", "n"))
    themes = [(theme, by_theme.get(theme.pk, 0)) for theme in Theme.objects.restrict(user, "view")]
    by_maturity = dict(practices.values_list("maturity").annotate(n=Count("pk")).values_list("maturity", "n"))
    pilots = (TransferProject.objects.restrict(user, "view").active()
              .filter(target_lgu__province__region=region).select_related("target_lgu"))
    recommendations = (Recommendation.objects.restrict(user, "view").visible()
                       .filter(lgus__province__region=region).distinct().order_by("title"))
    covered = sum(1 for province in provinces if province.coach_count)
    return {
        "provinces": provinces,
        "covered": covered,
        "lgu_count": Lgu.objects.restrict(user, "view").filter(province__region=region).count(),
        "coverage_chart": bars([(p.name, p.coach_count) for p in provinces]),
        "theme_chart": bars([(t.name, n) for t, n in themes]),
        "maturity_chart": bars([(label, by_maturity.get(value, 0)) for value, label in Maturity.choices]),
        "practice_count": practices.count(),
        "pilots": list(pilots),
        "recommendations": list(recommendations[:20]),
    }
