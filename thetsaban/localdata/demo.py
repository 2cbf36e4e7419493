"""Demo data of the data hub: districts and subdistricts (geothai), a few water, waste, forest,
social-capital and population indicators, and example figures for the seed's pilot municipalities.

The figures are not from the seed: they are example data (Observation.is_example) that show how
roll-ups, charts and the map work, and every page that shows them says so.
"""

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from thetsaban.directory.models import Organisation
from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.localdata import ckan, periods
from thetsaban.localdata.choices import (
    AggregationType,
    GroupType,
    IndicatorKind,
    ObservationStatus,
    RegistryStatus,
    ResourceKind,
    Theme,
    WasteFacilityType,
    WaterSourceType,
)
from thetsaban.localdata.models import (
    CommunityForest,
    CommunityGroup,
    Dataset,
    DatasetGroup,
    Disaggregation,
    DisaggregationOption,
    Indicator,
    LguCoverage,
    Observation,
    Resource,
    Subdistrict,
    Tag,
    WasteFacility,
    WaterSource,
)
from thetsaban.localdata.services import (
    ensure_registry_indicators,
    load_areas,
    refresh_analytics,
    save_registry_record,
)
from thetsaban.places.models import Lgu

GROUPS = [(Theme.WATER, "น้ำ", "Water"), (Theme.WASTE, "ขยะ", "Waste"), (Theme.FOREST, "ป่าไม้และสิ่งแวดล้อม", "Forest and environment"),
          (Theme.SOCIAL_CAPITAL, "ทุนทางสังคม", "Social capital"), (Theme.POPULATION, "ประชากร", "Population")]

INDICATORS = [
    {"code": "population", "name_th": "จำนวนประชากรตามทะเบียนราษฎร", "name_en": "Registered population",
     "theme": Theme.POPULATION, "unit": "คน", "aggregation": AggregationType.LAST_SUM_AREA, "base": 60000},
    {"code": "households-piped-water", "name_th": "ครัวเรือนที่มีน้ำประปาใช้", "name_en": "Households with piped water",
     "theme": Theme.WATER, "unit": "ครัวเรือน", "aggregation": AggregationType.LAST_SUM_AREA, "base": 18000,
     "sdg_tags": "6.1.1"},
    {"code": "waste-collected", "name_th": "ปริมาณขยะมูลฝอยที่เก็บขนได้", "name_en": "Solid waste collected",
     "theme": Theme.WASTE, "unit": "ตัน", "aggregation": AggregationType.SUM, "base": 25000, "sdg_tags": "11.6.1"},
    {"code": "community-forest-area", "name_th": "พื้นที่ป่าชุมชน", "name_en": "Community forest area",
     "theme": Theme.FOREST, "unit": "ไร่", "aggregation": AggregationType.LAST_SUM_AREA, "base": 900},
    {"code": "community-groups", "name_th": "จำนวนกลุ่มองค์กรชุมชน", "name_en": "Community groups",
     "theme": Theme.SOCIAL_CAPITAL, "unit": "กลุ่ม", "aggregation": AggregationType.LAST_SUM_AREA, "base": 40,
     "sex": True},
]
CALCULATED = {"code": "waste-per-person", "name_th": "ขยะมูลฝอยต่อคนต่อปี", "name_en": "Solid waste per person per year",
              "theme": Theme.WASTE, "unit": "กก./คน/ปี", "numerator": "waste-collected", "denominator": "population",
              "factor": 1000, "decimals": 1}
YEARS = range(2021, 2026)  # BE 2564-2568
# Subdistricts the pilot municipalities serve (approximate: a municipality's boundary does not
# follow tambon lines; Pak Kret City covers its whole district).
COVERAGE = {"DEMO-SK": ["900101"], "DEMO-CR": ["570101"], "DEMO-YL": ["950101"], "DEMO-UDON": ["410101"],
            "DEMO-KLAENG": ["210301"], "DEMO-PK": [f"1206{n:02d}" for n in range(1, 13)]}


@transaction.atomic
def load() -> int:
    """Add the data hub's demo rows that are missing; returns how many were added."""
    added = load_areas()
    for name, name_th, name_en in GROUPS:
        _group, created = DatasetGroup.objects.get_or_create(name=name, defaults={"name_th": name_th, "name_en": name_en})
        added += created
    sex, created = Disaggregation.objects.get_or_create(code="sex", defaults={"name_th": "เพศ", "name_en": "Sex"})
    added += created
    for code, name_th, name_en in (("female", "หญิง", "female"), ("male", "ชาย", "male")):
        added += DisaggregationOption.objects.get_or_create(disaggregation=sex, code=code,
                                                            defaults={"name_th": name_th, "name_en": name_en})[1]
    indicators = {}
    for spec in INDICATORS:
        indicator = Indicator.objects.filter(code=spec["code"]).first()
        if indicator is None:
            indicator = Indicator(code=spec["code"], name_th=spec["name_th"], name_en=spec["name_en"], theme=spec["theme"],
                                  unit=spec["unit"], sdg_tags=spec.get("sdg_tags", ""),
                                  source="ตัวอย่าง (example data)")
            indicator.set_aggregation(spec["aggregation"])
            indicator.save()
            if spec.get("sex"):
                indicator.disaggregations.add(sex)
            added += 1
        indicators[spec["code"]] = indicator
    if not Indicator.objects.filter(code=CALCULATED["code"]).exists():
        spec = CALCULATED
        Indicator.objects.create(code=spec["code"], name_th=spec["name_th"], name_en=spec["name_en"], theme=spec["theme"],
                                 unit=spec["unit"], kind=IndicatorKind.CALCULATED, decimals=spec["decimals"],
                                 numerator=indicators[spec["numerator"]], denominator=indicators[spec["denominator"]],
                                 factor=spec["factor"])
        added += 1
    for lgu_code, codes in COVERAGE.items():
        lgu = Lgu.objects.filter(code=lgu_code).first()
        if lgu is None:
            continue
        for subdistrict in Subdistrict.objects.filter(code__in=codes):
            added += LguCoverage.objects.get_or_create(lgu=lgu, subdistrict=subdistrict)[1]
    added += _figures(indicators)
    added += _datasets(indicators)
    added += _registries()
    return added


# Example registry records of each pilot municipality (not from the seed: marked as example data).
REGISTRY_EXAMPLES = [
    (CommunityGroup, "กลุ่มออมทรัพย์เพื่อการผลิต", {"group_type": GroupType.SAVINGS, "members": 120}),
    (CommunityGroup, "ชมรมผู้สูงอายุ", {"group_type": GroupType.ELDERLY, "members": 85}),
    (CommunityGroup, "กลุ่มอาสาสมัครป้องกันภัยฝ่ายพลเรือน", {"group_type": GroupType.VOLUNTEERS, "members": 40}),
    (CommunityGroup, "วิสาหกิจชุมชนแปรรูปอาหาร", {"group_type": GroupType.ENTERPRISE, "members": 25,
                                                 "status": RegistryStatus.DORMANT}),
    (CommunityForest, "ป่าชุมชน", {"area_rai": Decimal("350.50"), "households": 60}),
    (WaterSource, "สระน้ำสาธารณะ", {"source_type": WaterSourceType.POND, "capacity_m3": Decimal("12000")}),
    (WaterSource, "ระบบประปาหมู่บ้าน", {"source_type": WaterSourceType.PIPED, "capacity_m3": Decimal("500"),
                                       "households_served": 300}),
    (WasteFacility, "ธนาคารขยะ", {"facility_type": WasteFacilityType.WASTE_BANK, "capacity_tonnes": Decimal("0.5")}),
    (WasteFacility, "ลานหมักปุ๋ยอินทรีย์", {"facility_type": WasteFacilityType.COMPOST,
                                          "capacity_tonnes": Decimal("2")}),
]


def _registries() -> int:
    """The registry indicators, and example records of the pilot municipalities, counted in."""
    added = len(ensure_registry_indicators())
    lgus = list(Lgu.objects.filter(code__startswith="DEMO-").select_related("province").order_by("code"))
    for index, lgu in enumerate(lgus):
        for number, (model, name, values) in enumerate(REGISTRY_EXAMPLES):
            full_name = f"{EXAMPLE_MARK} {name} {lgu.name_th}"
            if model.objects.filter(name_th=full_name).exists():
                continue
            entry = model(name_th=full_name, lgu=lgu, is_example=True, founded=date(2010 + (index + number) % 12, 1, 15),
                          registration_number=f"EX-{lgu.code[5:]}-{number + 1:02d}", **values)
            save_registry_record(entry, acting_user=None)
            added += 1
    return added


def _figures(indicators) -> int:
    """Example figures for the pilot municipalities, approved (marked as example data)."""
    lgus = list(Lgu.objects.filter(code__startswith="DEMO-").select_related("province"))
    if not lgus or Observation.objects.filter(is_example=True, lgu__in=lgus).exists():
        return 0
    rng = random.Random(10)
    rows = []
    for spec in INDICATORS:
        indicator = indicators[spec["code"]]
        for lgu in lgus:
            level = spec["base"] * rng.uniform(0.5, 1.5)
            for year in YEARS:
                level *= rng.uniform(0.98, 1.05)
                period = periods.year(year)
                obs = Observation(indicator=indicator, lgu=lgu, period=period.code, period_type=period.type,
                                  period_start=period.start, period_end=period.end, value=Decimal(round(level)),
                                  status=ObservationStatus.APPROVED, is_example=True,
                                  comment="ข้อมูลตัวอย่าง (example data)")
                obs.place_unit()
                rows.append(obs)
    Observation.objects.bulk_create(rows)
    for indicator in indicators.values():
        refresh_analytics(indicator, [periods.year(y) for y in YEARS])
    return len(rows)


def _datasets(indicators) -> int:
    league = Organisation.objects.filter(code="nmlt").first() or Organisation.objects.first()
    if league is None:
        return 0
    added = 0
    for spec in INDICATORS:
        name = f"example-{spec['code']}"
        if Dataset.objects.filter(name=name).exists():
            continue
        dataset = Dataset.objects.create(
            name=name, title=f"{spec['name_th']} รายเทศบาล (ข้อมูลตัวอย่าง)", owner_org=league,
            indicator=indicators[spec["code"]],
            notes=f"{spec['name_th']} ของเทศบาลนำร่อง ปี 2564–2568: ข้อมูลตัวอย่าง ไม่ใช่ข้อมูลจริง (example data).",
            maintainer="ฝ่ายข้อมูล สันนิบาตเทศบาลแห่งประเทศไทย", maintainer_email="data@example.org",
            objective=["พันธกิจหน่วยงาน"], data_format=["CSV", "JSON"], data_language=["ไทย"],
            data_source="เทศบาลนำร่อง (ข้อมูลตัวอย่าง)", first_year_of_data="2564", last_year_of_data="2568",
            unit_of_measure=spec["unit"], unit_of_multiplier="หน่วย", disaggregate=["ไม่มี"])
        dataset.groups.set(DatasetGroup.objects.filter(name=spec["theme"]))
        dataset.tags.set([Tag.objects.get_or_create(name=t)[0] for t in ("ข้อมูลตัวอย่าง", spec["theme"])])
        dataset.search_text = ckan.search_text(dataset, ["ข้อมูลตัวอย่าง", spec["theme"]])
        dataset.save(update_fields=["search_text"])
        Resource.objects.create(dataset=dataset, name="CSV", format="CSV", kind=ResourceKind.EXTRACT_CSV)
        Resource.objects.create(dataset=dataset, name="JSON", format="JSON", kind=ResourceKind.EXTRACT_JSON, position=1)
        added += 1
    return added
