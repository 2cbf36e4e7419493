"""Roll-ups: an indicator's value for any area and period, computed in the database.

DHIS2's rule in two steps, both in one SQL statement: first each reporting unit's approved
values inside the period combine by the indicator's rule over time (sum, average, last, min,
max, count); then the units inside each area combine by its rule over areas (sum, average, min,
max). Averages are therefore over units, not averages of averages, and a stock such as the
population takes each unit's latest value before summing. A calculated indicator rolls up its
numerator and denominator separately and divides at the end, never averaging ratios.

Completeness is reported / expected units: units with at least one approved value in the
period against the LGUs (or subdistricts) of the area.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, IntegerField, Max
from django.db.models.functions import Cast

from thetsaban.localdata.choices import (
    AreaAggregation,
    AreaLevel,
    ObservationStatus,
    TimeAggregation,
)
from thetsaban.localdata.models import Dataset, Indicator, Observation, Subdistrict
from thetsaban.places.models import Lgu, Province, Region

NATION = "TH"
# The column of an observation that names its area at each level.
_GROUP_COLUMN = {
    AreaLevel.NATION: "'TH'",
    AreaLevel.REGION: "region_id",
    AreaLevel.PROVINCE: "province_id",
    AreaLevel.DISTRICT: "district_id",
    AreaLevel.LGU: "unit_key",
    AreaLevel.SUBDISTRICT: "unit_key",
}
_FILTER_COLUMN = {AreaLevel.REGION: "region_id", AreaLevel.PROVINCE: "province_id",
                  AreaLevel.DISTRICT: "district_id", AreaLevel.LGU: "lgu_id",
                  AreaLevel.SUBDISTRICT: "subdistrict_id"}
_TIME_SQL = {TimeAggregation.SUM: "SUM(value)", TimeAggregation.AVERAGE: "AVG(value)",
             TimeAggregation.MIN: "MIN(value)", TimeAggregation.MAX: "MAX(value)",
             TimeAggregation.COUNT: "COUNT(value)"}
_AREA_SQL = {AreaAggregation.SUM: "SUM(v)", AreaAggregation.AVERAGE: "AVG(v)",
             AreaAggregation.MIN: "MIN(v)", AreaAggregation.MAX: "MAX(v)"}


@dataclass
class RolledUp:
    """One area's rolled-up value, with how many of its expected units reported."""

    key: object  # the area's id (region, province), "TH", or the unit key of an LGU
    value: Decimal | None
    reported: int
    expected: int = 0
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    name: str = ""
    code: str = ""
    url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def completeness(self) -> float | None:
        return self.reported / self.expected if self.expected else None


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _table() -> str:
    return connection.ops.quote_name(Observation._meta.db_table)


def raw_rollup(indicator: Indicator, period, level: str, *, within: tuple | None = None,
               category: str = "") -> dict:
    """{area key: (value, reporting units)} of an entered indicator at one level, in one query.

    `within` = (level, id) narrows the units to one region, province or district."""
    group = _GROUP_COLUMN[level]
    # period_start <= end adds nothing to period_end <= end but bounds the range the index is
    # read over: without it every later period of the indicator is read and dropped.
    where = ["indicator_id = %s", "status = %s", "category = %s", "period_start >= %s", "period_start <= %s",
             "period_end <= %s"]
    params = [indicator.pk, ObservationStatus.APPROVED, category, period.start, period.end, period.end]
    if within:
        where.append(f"{_FILTER_COLUMN[within[0]]} = %s")
        params.append(within[1])
    where_sql = " AND ".join(where)
    if indicator.time_aggregation == TimeAggregation.LAST:
        per_unit = (f"SELECT g, unit_key, value AS v FROM (SELECT {group} AS g, unit_key, value, "
                    f"ROW_NUMBER() OVER (PARTITION BY unit_key ORDER BY period_start DESC) AS rn "
                    f"FROM {_table()} WHERE {where_sql}) latest WHERE rn = 1")
    else:
        group_by = "unit_key" if level == AreaLevel.NATION or group == "unit_key" else f"{group}, unit_key"
        per_unit = (f"SELECT {group} AS g, unit_key, {_TIME_SQL[indicator.time_aggregation]} AS v "
                    f"FROM {_table()} WHERE {where_sql} GROUP BY {group_by}")
    sql = f"SELECT g, {_AREA_SQL[indicator.area_aggregation]}, COUNT(*) FROM ({per_unit}) units GROUP BY g"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: (_decimal(value), count) for key, value, count in cursor.fetchall()}


def _combine(indicator, period, level, within, category) -> dict:
    """{area key: (value, reported, numerator, denominator)}, calculated indicators divided last."""
    if not indicator.is_calculated:
        return {k: (v, n, None, None) for k, (v, n) in raw_rollup(indicator, period, level, within=within,
                                                                    category=category).items()}
    numerators = raw_rollup(indicator.numerator, period, level, within=within, category=category)
    denominators = raw_rollup(indicator.denominator, period, level, within=within, category=category)
    combined = {}
    for key in numerators.keys() | denominators.keys():
        num, num_units = numerators.get(key, (None, 0))
        den, den_units = denominators.get(key, (None, 0))
        value = None
        if num is not None and den:
            value = num / den * indicator.factor
        combined[key] = (value, min(num_units, den_units), num, den)
    return combined


def _expected(indicator, level: str, within) -> dict:
    """{area key: units expected to report} at a level."""
    if indicator.unit_level == AreaLevel.SUBDISTRICT:
        units, columns = Subdistrict.objects.all(), {AreaLevel.REGION: "province__region_id",
                                                     AreaLevel.PROVINCE: "province_id",
                                                     AreaLevel.DISTRICT: "district_id"}
    else:
        units, columns = Lgu.objects.all(), {AreaLevel.REGION: "province__region_id",
                                             AreaLevel.PROVINCE: "province_id"}
    if within:
        if within[0] not in columns:
            return {}
        units = units.filter(**{columns[within[0]]: within[1]})
    if level == AreaLevel.NATION:
        return {NATION: units.count()}
    if level in (AreaLevel.LGU, AreaLevel.SUBDISTRICT):
        return {}
    column = columns.get(level)
    if column is None:
        return {}
    return dict(units.values_list(column).annotate(n=Count("pk")).values_list(column, "n"))


def rollup(indicator: Indicator, period, level: str, *, within: tuple | None = None,
           category: str = "") -> list[RolledUp]:
    """Every area of a level (inside `within`) with its value and completeness, named and linked."""
    values = _combine(indicator, period, level, within, category)
    expected = _expected(indicator, level, within)
    rows = []
    for key, name, code, url in _areas(indicator, level, within, values):
        value, reported, num, den = values.get(key, (None, 0, None, None))
        rows.append(RolledUp(key, value, reported, expected.get(key, 1 if level in (AreaLevel.LGU,
                                                                                  AreaLevel.SUBDISTRICT) else 0),
                             num, den, name, code, url))
    return rows


def _areas(indicator, level, within, values):
    """(key, name, code, url) of the areas at a level: every one of them, reported or not."""
    if level == AreaLevel.NATION:
        return [(NATION, "ประเทศไทย", NATION, "")]
    if level == AreaLevel.REGION:
        return [(r.pk, r.name, r.code, r.get_absolute_url()) for r in Region.objects.order_by("sort_name")]
    if level == AreaLevel.PROVINCE:
        provinces = Province.objects.order_by("sort_name")
        if within:
            provinces = provinces.filter(region_id=within[1])
        return [(p.pk, p.name, p.code, p.get_absolute_url()) for p in provinces]
    if level == AreaLevel.LGU:
        lgus = Lgu.objects.order_by("sort_name")
        if within:
            lgus = lgus.filter(**{_FILTER_COLUMN[within[0]]: within[1]} if within[0] == AreaLevel.PROVINCE
                               else {"province__region_id": within[1]})
        else:
            lgus = lgus.filter(observations__indicator=indicator).distinct()
        return [(f"lgu:{lgu.pk}", lgu.name, lgu.code, lgu.get_absolute_url()) for lgu in lgus]
    keys = sorted(k for k in values if isinstance(k, str))
    subs = {f"sub:{s.code}": s for s in Subdistrict.objects.filter(code__in=[k[4:] for k in keys])}
    return [(k, subs[k].name, subs[k].code, subs[k].get_absolute_url()) for k in keys if k in subs]


def value_for(indicator, period, level=AreaLevel.NATION, key=NATION, *, category="") -> RolledUp:
    """One area's roll-up: the nation, or the region, province, district, LGU or subdistrict `key` (an id)."""
    scope = None if level == AreaLevel.NATION else (level, key)
    values = _combine(indicator, period, AreaLevel.NATION, scope, category)
    value, reported, num, den = values.get(NATION, (None, 0, None, None))
    if level in (AreaLevel.LGU, AreaLevel.SUBDISTRICT):
        expected = 1
    else:
        expected = _expected(indicator, AreaLevel.NATION, scope).get(NATION, 0)
    return RolledUp(key, value, reported, expected, num, den)


def stored_or_live(indicator, period) -> RolledUp:
    """The nation's value from the materialised roll-ups (refreshed after approvals), else computed."""
    from thetsaban.localdata.models import AnalyticsValue

    stored = AnalyticsValue.objects.filter(indicator=indicator, level=AreaLevel.NATION, area=NATION,
                                           period=period.code, category="").first()
    if stored is None:
        return value_for(indicator, period)
    return RolledUp(NATION, stored.value, stored.reported, stored.expected, stored.numerator, stored.denominator)


def provenance(indicator: Indicator, period, *, within: tuple | None = None, category: str = "") -> dict:
    """Where a roll-up's figures come from: their datasets (with last update) and last change.

    The figures a roll-up reads (approved, of its category, inside the period) are read once,
    through the covering roll-up index as the roll-up itself, grouped by dataset: only the
    matching rows are fetched whole, for their dataset, last change and example flag."""
    indicators = [indicator.numerator, indicator.denominator] if indicator.is_calculated else [indicator]
    observations = Observation.objects.approved().filter(indicator__in=indicators, category=category,
                                                         period_start__range=(period.start, period.end),
                                                         period_end__lte=period.end)
    if within:
        observations = observations.filter(**{_FILTER_COLUMN[within[0]]: within[1]})
    by_dataset = list(observations.order_by().values("dataset_id").annotate(
        last_change=Max("modified"), example=Max(Cast("is_example", IntegerField()))).values_list(
        "dataset_id", "last_change", "example"))
    dataset_ids = [pk for pk, _last, _example in by_dataset if pk is not None]
    datasets = list(Dataset.objects.filter(pk__in=dataset_ids).order_by("name")) if dataset_ids else []
    return {"last_change": max((last for _pk, last, _example in by_dataset), default=None), "datasets": datasets,
            "example": any(example for _pk, _last, example in by_dataset)}


def series(indicator: Indicator, periods: list, level=AreaLevel.NATION, key=NATION, *, category="") -> list:
    """(period, RolledUp) for each period, oldest first: the time-series chart's points."""
    return [(period, value_for(indicator, period, level, key, category=category)) for period in periods]
