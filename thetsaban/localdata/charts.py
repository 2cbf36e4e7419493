"""Geometry of the SVG charts (drawn by the templates, as the coverage page's are)."""

from decimal import Decimal

WIDTH = 640
BAR_HEIGHT = 16
LABEL_WIDTH = 200


def _number(value) -> str:
    if value is None:
        return "–"
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def bars(rows) -> dict:
    """A horizontal bar per area: rows of RolledUp (value may be None)."""
    values = [float(r.value) for r in rows if r.value is not None]
    largest = max([abs(v) for v in values] + [1e-9])
    plot = WIDTH - LABEL_WIDTH - 90
    items = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + 6)
        width = 0 if row.value is None else max(1, round(plot * abs(float(row.value)) / largest))
        items.append({"name": row.name, "y": y, "label_y": y + 12, "width": width, "label": _number(row.value),
                      "missing": row.value is None})
    return {"width": WIDTH, "height": max(1, len(rows)) * (BAR_HEIGHT + 6), "label_width": LABEL_WIDTH,
            "value_x": WIDTH - 85, "bar_height": BAR_HEIGHT, "bars": items}


def line(points) -> dict:
    """A time series: points are (label, value or None), oldest first."""
    height, left, bottom, top = 220, 60, 30, 10
    values = [float(v) for _label, v in points if v is not None]
    low, high = (min(values + [0.0]), max(values + [0.0])) if values else (0.0, 1.0)
    if high == low:
        high = low + 1
    plot_width = WIDTH - left - 20
    step = plot_width / max(1, len(points) - 1)
    dots, path = [], []
    for index, (label, value) in enumerate(points):
        x = round(left + index * step, 1)
        item = {"x": x, "label": label, "value": _number(value), "label_y": height - 8}
        if value is not None:
            item["y"] = round(top + (height - bottom - top) * (1 - (float(value) - low) / (high - low)), 1)
            path.append(f"{x},{item['y']}")
        dots.append(item)
    return {"width": WIDTH, "height": height, "left": left, "axis_y": height - bottom, "points": dots,
            "polyline": " ".join(path), "high": _number(Decimal(str(high))), "low": _number(Decimal(str(low))),
            "top": top}
