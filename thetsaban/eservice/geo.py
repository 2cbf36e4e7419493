"""Plane geometry for finding an LGU from a point: bounding boxes, point in polygon, distances."""

import math

EARTH_RADIUS_M = 6_371_000


def _rings(geometry: dict) -> list[list[list]]:
    """Polygons of a GeoJSON Polygon or MultiPolygon as lists of rings."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"Unsupported geometry type: {kind}")


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a polygon geometry."""
    points = [point for polygon in _rings(geometry) for ring in polygon for point in ring]
    lons = [float(p[0]) for p in points]
    lats = [float(p[1]) for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _in_ring(lon: float, lat: float, ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = float(ring[i][0]), float(ring[i][1])
        xj, yj = float(ring[j][0]), float(ring[j][1])
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict, lat: float, lon: float) -> bool:
    """Whether the point lies in the polygon (inside its outer ring and outside its holes)."""
    for polygon in _rings(geometry):
        if polygon and _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def degree_box(lat: float, lon: float, metres: float) -> tuple[float, float]:
    """Half-widths in degrees (latitude, longitude) of a box that holds a circle of `metres`."""
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return dlat, dlon
