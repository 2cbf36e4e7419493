from datetime import date
from decimal import Decimal
from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext

from thetsaban.localdata import periods, rollups
from thetsaban.localdata.choices import AreaLevel
from thetsaban.localdata.tests.base import DataHubTestCase, observe, query_plan


class PeriodTests(SimpleTestCase):
    def test_buddhist_era_thai_digits_and_fiscal_years_are_read(self):
        self.assertEqual(periods.parse("2569").code, "2026")
        self.assertEqual(periods.parse("๒๕๖๙").code, "2026")
        fiscal = periods.parse("FY2569")
        self.assertEqual((fiscal.code, fiscal.start, fiscal.end), ("2025Oct", date(2025, 10, 1), date(2026, 9, 30)))
        self.assertEqual(periods.parse("ปีงบประมาณ 2569").code, "2025Oct")
        self.assertEqual(fiscal.label(thai=True), "ปีงบประมาณ 2569")
        self.assertEqual(periods.parse("2569Q2").end, date(2026, 6, 30))
        self.assertEqual(periods.parse("2569S2").start, date(2026, 7, 1))
        self.assertEqual(periods.parse("2569-02").end, date(2026, 2, 28))
        self.assertEqual(periods.parse("2026-03").label(thai=True), "มีนาคม 2569")

    def test_nonsense_is_refused_with_a_message(self):
        for text in ("2569-13", "abc", "2300", ""):
            with self.assertRaises(periods.PeriodError):
                periods.parse(text)


class RollupTests(DataHubTestCase):
    def test_sum_over_areas_and_completeness(self):
        value = rollups.value_for(self.waste, periods.parse("2025"))
        self.assertEqual(value.value, Decimal(450))
        self.assertEqual((value.reported, value.expected), (3, 3))
        south = rollups.value_for(self.waste, periods.parse("2025"), AreaLevel.REGION, self.lgu.province.region_id)
        self.assertEqual((south.value, south.reported, south.expected), (Decimal(400), 2, 2))

    def test_drafts_are_not_rolled_up(self):
        value = rollups.value_for(self.waste, periods.parse("2024"))
        self.assertEqual((value.value, value.reported), (Decimal(90), 1))

    def test_stocks_take_the_last_value_over_time_then_sum(self):
        both_years = periods.Period("year", "x", date(2024, 1, 1), date(2025, 12, 31))
        self.assertEqual(rollups.value_for(self.population, both_years).value, Decimal(10000))
        self.assertEqual(rollups.value_for(self.waste, both_years).value, Decimal(540))

    def test_average_is_over_units_not_over_averages(self):
        value = rollups.value_for(self.rate, periods.parse("2025"))
        self.assertEqual(value.value.quantize(Decimal("0.01")), Decimal("15.00"))

    def test_months_sum_into_quarters_and_years(self):
        self.assertEqual(rollups.value_for(self.monthly, periods.parse("2025Q1")).value, Decimal(60))
        self.assertEqual(rollups.value_for(self.monthly, periods.parse("2025-02")).value, Decimal(20))

    def test_calculated_indicator_divides_the_rolled_up_parts(self):
        value = rollups.value_for(self.per_person, periods.parse("2025"))
        # (100 + 300 + 50) / (1000 + 5000 + 4000) x 1000, not the average of the three ratios.
        self.assertEqual(value.value, Decimal(45))
        self.assertEqual((value.numerator, value.denominator), (Decimal(450), Decimal(10000)))

    def test_every_area_of_a_level_is_listed_with_its_completeness(self):
        rows = {r.code: r for r in rollups.rollup(self.waste, periods.parse("2025"), AreaLevel.PROVINCE)}
        self.assertEqual((rows["90"].value, rows["90"].reported, rows["90"].expected), (Decimal(400), 2, 2))
        self.assertEqual(rows["57"].value, Decimal(50))
        lgus = rollups.rollup(self.waste, periods.parse("2025"), AreaLevel.LGU,
                              within=(AreaLevel.PROVINCE, self.lgu.province_id))
        self.assertEqual(sorted(r.value for r in lgus), [Decimal(100), Decimal(300)])

    def test_disaggregated_values_roll_up_by_category(self):
        observe(self.groups, self.lgu, "2025", 7, category="sex:female")
        observe(self.groups, self.other_lgu, "2025", 5, category="sex:female")
        self.assertEqual(rollups.value_for(self.groups, periods.parse("2025"), category="sex:female").value, Decimal(12))
        self.assertIsNone(rollups.value_for(self.groups, periods.parse("2025")).value)

    @skipUnless(connection.vendor == "sqlite", "EXPLAIN QUERY PLAN is SQLite's")
    def test_rollups_read_the_covering_index_alone(self):
        """A national roll-up reads 7,850 rows of one period: fetched one by one from the table they
        cost more than the whole index read, so the index holds every column a roll-up reads."""
        region, province = self.lgu.province.region_id, self.lgu.province_id
        for indicator in (self.waste, self.population):  # GROUP BY and the LAST window
            for level, key in ((AreaLevel.NATION, rollups.NATION), (AreaLevel.REGION, region),
                               (AreaLevel.PROVINCE, province), (AreaLevel.LGU, self.lgu.pk)):
                with CaptureQueriesContext(connection) as queries:
                    rollups.value_for(indicator, periods.parse("2025"), level, key)
                sql = next(q["sql"] for q in queries.captured_queries if "localdata_observation" in q["sql"])
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    plan = [row[-1] for row in cursor.fetchall()]
                reads = [step for step in plan if "localdata_observation" in step]
                self.assertEqual(len(reads), 1, plan)
                self.assertIn("USING COVERING INDEX localdata_obs_rollup_cover", reads[0])


    def test_queries_by_area_find_their_figures_through_the_covering_index(self):
        """Roll-ups and their provenance by region, province or LGU name the indicator, status,
        category and period, so that the covering index finds their figures without an index of
        its own per area (each one more b-tree written per imported figure)."""
        region, province = self.lgu.province.region_id, self.lgu.province_id
        for level, key in ((AreaLevel.NATION, rollups.NATION), (AreaLevel.REGION, region),
                           (AreaLevel.PROVINCE, province), (AreaLevel.LGU, self.lgu.pk)):
            within = None if level == AreaLevel.NATION else (level, key)
            with CaptureQueriesContext(connection) as queries:
                rollups.value_for(self.waste, periods.parse("2025"), level, key)
                sources = rollups.provenance(self.waste, periods.parse("2025"), within=within)
            self.assertIsNotNone(sources["last_change"])
            reads = [q["sql"] for q in queries.captured_queries if "localdata_observation" in q["sql"]]
            self.assertEqual(len(reads), 2, reads)  # the roll-up; the datasets, last change and example flag
            for sql in reads:
                with self.subTest(level=level, sql=sql[:120]):
                    plan = query_plan(sql)
                    if connection.vendor == "sqlite":
                        self.assertIn("INDEX localdata_obs_rollup_cover (indicator_id=? AND status=? AND category=? "
                                      "AND period_start>?", plan)
                        self.assertNotIn("SCAN localdata_observation", plan)
                    else:
                        # An LGU's figures may come as well through (lgu, period).
                        self.assertNotIn("Seq Scan on localdata_observation", plan)
                        self.assertIn("Index Cond", plan)


class DatasetDeletionTests(DataHubTestCase):
    def test_deleting_a_dataset_finds_its_figures_through_an_index(self):
        """SET_NULL and the foreign-key check at commit look a dataset's figures up: without an
        index each deleted dataset reads every observation (minutes for 10,000 datasets at 3.1
        million figures)."""
        from thetsaban.localdata.models import Dataset, Observation

        dataset = Dataset.objects.create(name="figures-of-one-dataset", title="ตัวอย่าง", owner_org=self.office)
        figure = observe(self.waste, self.lgu, "2019", 5)
        Observation.objects.filter(pk=figure.pk).update(dataset=dataset)
        plan = query_plan("SELECT 1 FROM localdata_observation WHERE dataset_id = %s", [dataset.pk])
        self.assertIn("localdata_obs_dataset", plan)
        dataset.delete()
        figure.refresh_from_db()
        self.assertIsNone(figure.dataset_id)

    def test_a_subdistricts_figures_are_found_through_an_index_that_lgu_figures_stay_out_of(self):
        """The subdistrict index holds only figures of subdistricts: national imports (by LGU)
        write nothing to it, and a subdistrict's figures are still looked up in it."""
        plan = query_plan("SELECT 1 FROM localdata_observation WHERE subdistrict_id = %s", [1])
        self.assertIn("localdata_obs_subdistrict", plan)
