"""National-size example data for load tests and the benchmark (marked as example data).

Example LGUs (codes EX-…, "ตัวอย่าง" in their names) spread over the provinces loaded, example
indicators (codes ex-…) with every aggregation rule, and approved observations flagged
Observation.is_example, written in bulk."""

import random
from decimal import Decimal

from django.db import transaction

from thetsaban.localdata import periods
from thetsaban.localdata.choices import AGGREGATION_AXES, ObservationStatus, Theme
from thetsaban.localdata.models import Indicator, Observation
from thetsaban.localdata.services import insert_observations
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu, Province
from thetsaban.places.pickers import LGUS

BATCH = 5000


def example_lgus(count: int) -> list[Lgu]:
    """`count` example LGUs (existing ones reused), spread over the provinces with coordinates."""
    existing = list(Lgu.objects.filter(code__startswith="EX-").order_by("code"))
    provinces = list(Province.objects.order_by("code"))
    if not provinces:
        raise ValueError("Load the provinces first (manage.py load_demo).")
    rng = random.Random(7)
    new = []
    for index in range(len(existing), count):
        province = provinces[index % len(provinces)]
        new.append(Lgu(code=f"EX-{index:05d}", name_th=f"ตัวอย่าง อปท. {index}", name_en=f"Example LGU {index}",
                       lgu_type=LguType.SUBDISTRICT_MUNICIPALITY, province=province,
                       latitude=Decimal(f"{rng.uniform(6, 20):.6f}"), longitude=Decimal(f"{rng.uniform(98, 105):.6f}"),
                       sort_name=f"ex{index:05d}"))
    Lgu.objects.bulk_create(new, batch_size=BATCH)
    # The LGU picker's name words (bulk_create sends no post_save).
    if new:
        LGUS.refresh_words(Lgu.objects.filter(code__startswith="EX-").values_list("pk", flat=True))
    return list(Lgu.objects.filter(code__startswith="EX-").order_by("code")[:count])


def example_indicators(count: int) -> list[Indicator]:
    """`count` example indicators cycling through the aggregation rules and themes."""
    kinds = list(AGGREGATION_AXES)
    themes = list(Theme.values)
    found = []
    for index in range(count):
        indicator = Indicator.objects.filter(code=f"ex-{index:03d}").first()
        if indicator is None:
            indicator = Indicator(code=f"ex-{index:03d}", name_th=f"ตัวชี้วัดตัวอย่าง {index}",
                                  name_en=f"Example indicator {index}", theme=themes[index % len(themes)],
                                  source="ข้อมูลตัวอย่าง (example data)")
            indicator.set_aggregation(kinds[index % len(kinds)])
            indicator.save()
        found.append(indicator)
    return found


def observation_rows(lgus, indicators, years, *, seed=1):
    """(indicator, lgu, period, value) tuples: every LGU, indicator and year (example values)."""
    rng = random.Random(seed)
    for indicator in indicators:
        for lgu in lgus:
            for year in years:
                yield indicator, lgu, periods.year(year), Decimal(rng.randint(0, 100000))


@transaction.atomic
def generate(observations: int, *, lgu_count: int = 7850, indicator_count: int = 40, first_year: int = 2016,
             progress=None, seed: int = 1) -> int:
    """Write about `observations` approved example figures directly (no per-row checks)."""
    lgus = example_lgus(lgu_count)
    indicators = example_indicators(indicator_count)
    years = max(1, observations // max(1, len(lgus) * len(indicators)))
    region_of = dict(Province.objects.values_list("pk", "region_id"))
    Observation.objects.filter(is_example=True, indicator__in=indicators).delete()
    written, batch = 0, []
    for indicator, lgu, period, value in observation_rows(lgus, indicators, range(first_year, first_year + years),
                                                              seed=seed):
        if written + len(batch) >= observations:
            break
        batch.append({"indicator_id": indicator.pk, "lgu_id": lgu.pk, "subdistrict_id": None, "district_id": None,
                      "province_id": lgu.province_id, "region_id": region_of[lgu.province_id],
                      "unit_key": f"lgu:{lgu.pk}", "period": period.code, "period_type": period.type,
                      "period_start": period.start, "period_end": period.end, "category": "", "value": value,
                      "comment": "", "status": ObservationStatus.APPROVED, "dataset_id": None, "entered_by_id": None,
                      "approved_by_id": None, "is_example": True})
        if len(batch) == BATCH:
            insert_observations(batch)
            written += len(batch)
            batch = []
            if progress:
                progress(BATCH)
    insert_observations(batch)
    if progress:
        progress(len(batch))
    return written + len(batch)


def generate_for_command(count: int, *, lgus: int | None = None, seed: int = 1, progress=None,
                         indicators: int = 40) -> int:
    """`generate_example_data --observations N`: approved example figures over 7,850 example LGUs
    by default and 40 example indicators (the same seed gives the same values)."""
    return generate(count, lgu_count=lgus or 7850, indicator_count=indicators, progress=progress, seed=seed)
