"""Geometry of the coverage page's bar charts, drawn as inline SVG by the template.

Server-rendered SVG needs no JavaScript library and prints well; the template only places
the rectangles computed here.
"""

LABEL_WIDTH = 190
PLOT_WIDTH = 360
VALUE_WIDTH = 70
ROW_HEIGHT = 44
BAR_HEIGHT = 14
TOP = 10


def _percent(value) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def coverage_charts(report) -> dict:
    """Bars of each region's share of coaches and of municipalities, and of its ratio to target."""
    rows = report.regions
    height = TOP * 2 + ROW_HEIGHT * max(1, len(rows))
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    shares, ratios = [], []
    highest = max([report.target_ratio] + [r.ratio or 0 for r in rows])
    scale = highest * 1.1 if highest else 1.0
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        shares.append({
            "name": row.name, "y": y, "label_y": y + BAR_HEIGHT + 4,
            "coach_y": y + 2, "municipality_y": y + 2 + BAR_HEIGHT + 2,
            "coach_width": round((row.share_of_coaches or 0) * PLOT_WIDTH, 1),
            "municipality_width": round((row.share_of_municipalities or 0) * PLOT_WIDTH, 1),
            "coach_label": _percent(row.share_of_coaches),
            "municipality_label": _percent(row.share_of_municipalities),
        })
        ratios.append({
            "name": row.name, "y": y + 8, "label_y": y + 8 + BAR_HEIGHT - 2,
            "width": round((row.ratio or 0) / scale * PLOT_WIDTH, 1),
            "label": "–" if row.ratio is None else f"{row.ratio:.2f}",
            "meets_target": row.meets_target,
        })
    return {
        "width": width, "height": height, "label_width": LABEL_WIDTH,
        "plot_width": PLOT_WIDTH, "bar_height": BAR_HEIGHT,
        "value_x": LABEL_WIDTH + PLOT_WIDTH + 6,
        "target_x": round(LABEL_WIDTH + report.target_ratio / scale * PLOT_WIDTH, 1),
        "shares": shares, "ratios": ratios,
    }
