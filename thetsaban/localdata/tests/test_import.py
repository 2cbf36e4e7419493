"""The import of figures writes exactly the rows of the file, in small chunks as in large ones,
and refuses the whole file when one row is wrong."""

from datetime import date
from decimal import Decimal
from unittest import mock

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
from thetsaban.localdata import services
from thetsaban.localdata.choices import ObservationStatus
from thetsaban.localdata.models import District, Observation, Subdistrict
from thetsaban.localdata.tests.base import DataHubTestCase
from thetsaban.tabular import ImportRejected

FILE = (
    "indicator,lgu,subdistrict,period,category,value,comment\n"
    "waste,TEST-SK,,2560,,12,\n"
    "waste,TEST-HY,,๒๕๖๑,,\"1,234.5\",หมายเหตุ\n"
    "groups,TEST-SK,,2562,sex:female,7,\n"
    "monthly-waste,TEST-SK,,2568-04,,3.25,\n"
    "waste,,๙๐๐๑๐๑,2563,,-4,\"a\\b\tc\nd\"\n"
    "waste,TEST-SK,,2568,,101,\n"
    "waste,TEST-CR,,2560,, 8 ,\n"
)
COLUMNS = ("indicator__code", "lgu__code", "subdistrict__code", "district__code", "province_id", "region_id",
           "unit_key", "period", "period_type", "period_start", "period_end", "category", "value", "comment",
           "status", "entered_by", "approved_by", "dataset", "is_example")


class ImportedRowsTests(DataHubTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.district = District.objects.create(code="9001", name_th="เมืองสงขลา", province=cls.lgu.province)
        cls.subdistrict = Subdistrict.objects.create(code="900101", name_th="บ่อยาง", district=cls.district,
                                                     province=cls.lgu.province)

    def rows(self, pks):
        return sorted(Observation.objects.filter(pk__in=pks).values_list(*COLUMNS), key=_key)

    def expected(self):
        sk, hy, cr = self.lgu, self.third_lgu, self.other_lgu
        south, north = sk.province.region_id, cr.province.region_id

        def lgu_row(code, lgu, period, kind, start, end, value, category="", comment=""):
            return (code, lgu.code, None, None, lgu.province_id, lgu.province.region_id, f"lgu:{lgu.pk}", period,
                    kind, start, end, category, Decimal(value), comment, ObservationStatus.DRAFT, self.steward.pk,
                    None, None, False)

        self.assertEqual((hy.province.region_id, sk.province.region_id), (south, south))
        self.assertNotEqual(north, south)
        return sorted([
            lgu_row("groups", sk, "2019", "year", date(2019, 1, 1), date(2019, 12, 31), "7", "sex:female"),
            lgu_row("monthly-waste", sk, "2025-04", "month", date(2025, 4, 1), date(2025, 4, 30), "3.25"),
            lgu_row("waste", cr, "2017", "year", date(2017, 1, 1), date(2017, 12, 31), "8"),
            lgu_row("waste", hy, "2018", "year", date(2018, 1, 1), date(2018, 12, 31), "1234.5", comment="หมายเหตุ"),
            lgu_row("waste", sk, "2017", "year", date(2017, 1, 1), date(2017, 12, 31), "12"),
            # The approved figure of 2025 corrected by the steward's import: a draft again.
            lgu_row("waste", sk, "2025", "year", date(2025, 1, 1), date(2025, 12, 31), "101"),
            ("waste", None, "900101", "9001", sk.province_id, south, "sub:900101", "2020", "year", date(2020, 1, 1),
             date(2020, 12, 31), "", Decimal(-4), "a\\b\tc\nd", ObservationStatus.DRAFT, self.steward.pk, None, None,
             False),
        ], key=_key)

    def test_rows_written_are_the_files_rows_whatever_the_chunk_sizes(self):
        before = set(Observation.objects.values_list("pk", flat=True))
        for check_chunk, write_batch in ((10_000, 20_000), (2, 3), (1, 1)):
            with self.subTest(check_chunk=check_chunk, write_batch=write_batch):
                Observation.objects.exclude(pk__in=before).delete()  # the rows of the previous round
                steps = []
                with (mock.patch.object(services, "CHECK_CHUNK", check_chunk),
                      mock.patch.object(services, "WRITE_BATCH", write_batch)):
                    result = services.import_observations(FILE.encode("cp874"), acting_user=self.steward,
                                                          filename="f.csv",
                                                          progress=lambda total, desc, steps=steps: _Bar(steps))
                self.assertEqual((result.rows, result.created, result.updated, result.encoding),
                                 (7, 6, 1, "Windows-874 (TIS-620)"))
                self.assertEqual(sum(steps), 14)  # every row checked, then written
                touched = set(Observation.objects.values_list("pk", flat=True)) - before
                touched.add(Observation.objects.get(indicator=self.waste, lgu=self.lgu, period="2025").pk)
                self.assertEqual(self.rows(touched), self.expected())
                self.assertEqual(result.audit_entry.action, AuditAction.IMPORT)
                self.assertIn("7 rows, 6 new, 1 updated", result.audit_entry.note)

    def test_one_wrong_row_refuses_the_file_naming_row_and_column(self):
        bad = FILE.replace("monthly-waste,TEST-SK,,2568-04,,3.25,", "monthly-waste,TEST-SK,,2568-04,,3.2.5,")
        bad += "groups,TEST-SK,,2562,sex:female,9,\ngroups,TEST-SK,,2562,sex:other,1,\n"
        before = list(Observation.objects.order_by("pk").values_list(*COLUMNS))
        audits = AuditEntry.objects.count()
        for check_chunk in (10_000, 3):
            with (self.subTest(check_chunk=check_chunk), mock.patch.object(services, "CHECK_CHUNK", check_chunk),
                  self.assertRaises(ImportRejected) as caught):
                services.import_observations(bad.encode("cp874"), acting_user=self.steward, filename="bad.csv")
            self.assertEqual([(p.row, p.column) for p in caught.exception.problems],
                             [(5, "value"), (9, ""), (10, "category")])
            messages = [str(p) for p in caught.exception.problems]
            self.assertTrue(messages[0].startswith("row 5, column value: "), messages)
            self.assertEqual(messages[1], "row 9: the same figure is also on row 4")
            self.assertEqual(messages[2], "row 10, column category: 'sex:other' is not a disaggregation of groups")
        self.assertEqual(list(Observation.objects.order_by("pk").values_list(*COLUMNS)), before)
        self.assertEqual(AuditEntry.objects.count(), audits)

    def test_an_editor_imports_only_their_own_lgus_rows(self):
        with self.assertRaises(ImportRejected) as caught:
            services.import_observations(FILE.encode("cp874"), acting_user=self.editor, filename="f.csv")
        self.assertEqual([(p.row, p.column) for p in caught.exception.problems],
                         [(3, "lgu"), (6, "subdistrict"), (8, "lgu")])
        self.assertFalse(Observation.objects.filter(period="2017").exists())


def _key(row):
    return row[0], row[6], row[7]


class _Bar:
    def __init__(self, steps):
        self.steps = steps

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False

    def update(self, n):
        self.steps.append(n)
