"""A dataset's quality score, after the NSO GD-Catalog quality checks: metadata completeness (20),
timeliness against its update frequency (20), accessibility (15), machine-readable resources (20)
and validity of its tabular resources (25); graded A (80 and up) to F (below 40)."""

from django.utils import timezone

from thetsaban.localdata.choices import (
    FREQUENCY,
    GDC_REQUIRED,
    MACHINE_READABLE,
    PUBLIC_DATA,
    ResourceKind,
)

OPEN_LICENCES = ("Creative Commons Attributions", "Creative Commons Attribution Share-Alike", "Open Data Common",
                 "GNU Free Documentation License")


def _grade(total: int) -> str:
    for floor, grade in ((80, "A"), (70, "B"), (60, "C"), (50, "D"), (40, "E")):
        if total >= floor:
            return grade
    return "F"


def score(dataset, *, resources=None) -> dict:
    """{total, grade, parts: {name: (points, out of)}} for a dataset (resources prefetched or not,
    or given)."""
    filled = sum(1 for name in GDC_REQUIRED if getattr(dataset, name) not in ("", None, []))
    completeness = round(20 * filled / len(GDC_REQUIRED))
    code, days = FREQUENCY.get(dataset.update_frequency_unit, ("UNKNOWN", None))
    if days is None:
        timeliness = 10 if code == "NEVER" else 0
    else:
        allowed = days * (dataset.update_frequency_interval or 1)
        age = (timezone.now() - dataset.metadata_modified).days
        timeliness = 20 if age <= allowed else (10 if age <= 2 * allowed else 0)
    accessibility = (10 if dataset.data_category == PUBLIC_DATA and not dataset.private else 0) + (
        5 if dataset.license_id in OPEN_LICENCES else 0)
    resources = list(dataset.resources.all()) if resources is None else resources
    readable = [r for r in resources if r.format.upper().replace("-", "") in MACHINE_READABLE]
    machine = 20 if readable else 0
    # Live extracts are generated from checked observations: valid by construction. Links and
    # uploads count as valid when their format is a tabular one the hub can read.
    tabular = [r for r in resources if r.format.upper() in ("CSV", "XLSX", "JSON")]
    valid = [r for r in tabular if r.kind in (ResourceKind.EXTRACT_CSV, ResourceKind.EXTRACT_JSON)
             or _readable_upload(r)]
    validity = round(25 * len(valid) / len(tabular)) if tabular else 0
    parts = {"completeness": (completeness, 20), "timeliness": (timeliness, 20), "accessibility": (accessibility, 15),
             "machine_readable": (machine, 20), "validity": (validity, 25)}
    total = sum(points for points, _out in parts.values())
    return {"total": total, "grade": _grade(total), "parts": {k: {"score": v[0], "max": v[1]} for k, v in parts.items()}}


def _readable_upload(resource) -> bool:
    if not resource.upload:
        return False
    from thetsaban import tabular

    try:
        with resource.upload.open("rb") as handle:
            table = tabular.read_table(handle, [], filename=resource.upload.name)
        return bool(table.rows)
    except (tabular.ImportRejected, OSError, ValueError):
        return False
