"""Shared data of the data hub's tests: the place tree, districts of Songkhla, indicators,
a data steward, and approved figures of the two LGUs."""

from decimal import Decimal

from django.db import connection

from thetsaban.accounts.models import User
from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.models import Organisation
from thetsaban.localdata import periods
from thetsaban.localdata.choices import AggregationType, IndicatorKind, ObservationStatus, Theme
from thetsaban.localdata.models import (
    DataSteward,
    Disaggregation,
    DisaggregationOption,
    Indicator,
    Observation,
)
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu
from thetsaban.testing import ThetsabanTestCase


def observe(indicator, lgu, period_code, value, status=ObservationStatus.APPROVED, category=""):
    period = periods.parse(period_code)
    obs = Observation(indicator=indicator, lgu=lgu, period=period.code, period_type=period.type,
                      period_start=period.start, period_end=period.end, value=Decimal(value), status=status,
                      category=category)
    obs.place_unit()
    obs.save()
    return obs


def query_plan(sql: str, params=(), *, discourage=("seqscan",)) -> str:
    """The database's plan for `sql` as one line: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's
    EXPLAIN with the `discourage`d plan steps (enable_<step>) made costly: on tables this small
    PostgreSQL reads or sorts everything by choice; the question is whether it must. Inside the
    test's transaction, so the settings end with it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, list(params))
        else:
            for step in discourage:
                cursor.execute(f"SET LOCAL enable_{step} = off")
            cursor.execute("EXPLAIN " + sql, list(params))
        return " ".join(str(row[-1]) for row in cursor.fetchall())


class DataHubTestCase(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.third_lgu = Lgu.objects.create(code="TEST-HY", name_th="เทศบาลนครหาดใหญ่", lgu_type=LguType.CITY,
                                           province=cls.lgu.province, latitude="7.0086", longitude="100.4747")
        cls.steward = User.objects.create(username="steward", password=cls.staff.password)
        DataSteward.objects.create(user=cls.steward)
        cls.steward2 = User.objects.create(username="steward2", password=cls.staff.password)
        DataSteward.objects.create(user=cls.steward2)
        cls.office = Organisation.objects.create(name_th="สำนักงานเทศบาลนครสงขลา", code="sk-office",
                                                 kind=OrganisationKind.LGU_ADMINISTRATION, lgu=cls.lgu)
        cls.other_office = Organisation.objects.create(name_th="สำนักงานเทศบาลนครเชียงราย", code="cr-office",
                                                       kind=cls.office.kind, lgu=cls.other_lgu)
        sex = Disaggregation.objects.create(code="sex", name_th="เพศ")
        DisaggregationOption.objects.create(disaggregation=sex, code="female", name_th="หญิง")
        DisaggregationOption.objects.create(disaggregation=sex, code="male", name_th="ชาย")

        def indicator(code, aggregation, **extra):
            ind = Indicator(code=code, name_th=code, theme=Theme.WASTE, **extra)
            ind.set_aggregation(aggregation)
            ind.save()
            return ind

        cls.waste = indicator("waste", AggregationType.SUM)
        cls.population = indicator("population", AggregationType.LAST_SUM_AREA)
        cls.rate = indicator("rate", AggregationType.AVERAGE)
        cls.groups = indicator("groups", AggregationType.LAST_SUM_AREA)
        cls.groups.disaggregations.add(sex)
        cls.monthly = indicator("monthly-waste", AggregationType.SUM, period_type="month")
        cls.per_person = Indicator.objects.create(code="waste-per-person", name_th="ขยะต่อคน", theme=Theme.WASTE,
                                                  kind=IndicatorKind.CALCULATED, numerator=cls.waste,
                                                  denominator=cls.population, factor=1000)
        # Songkhla (south) and Hat Yai (south) and Chiang Rai (north), years 2024 and 2025.
        for lgu, waste, people in ((cls.lgu, 100, 1000), (cls.third_lgu, 300, 5000), (cls.other_lgu, 50, 4000)):
            observe(cls.waste, lgu, "2025", waste)
            observe(cls.population, lgu, "2024", people - 100)
            observe(cls.population, lgu, "2025", people)
            observe(cls.rate, lgu, "2025", waste / 10)
        observe(cls.waste, cls.lgu, "2024", 90)
        cls.draft = observe(cls.waste, cls.other_lgu, "2024", 999, status=ObservationStatus.DRAFT)
        for month, value in ((1, 10), (2, 20), (3, 30)):
            observe(cls.monthly, cls.lgu, f"2025-{month:02d}", value)
