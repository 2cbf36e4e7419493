import re
from decimal import Decimal
from unittest.mock import patch

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.localdata import services
from thetsaban.localdata.choices import ObservationStatus
from thetsaban.localdata.models import AnalyticsValue, Observation
from thetsaban.localdata.tests.base import DataHubTestCase, observe, query_plan
from thetsaban.tabular import ImportRejected


class VisibilityTests(DataHubTestCase):
    def test_public_sees_approved_figures_only(self):
        # The draft is Chiang Rai's: its editor (the outsider here) sees and changes it, Songkhla's does not.
        for user in (None, self.member, self.editor):
            self.assertNotIn(self.draft, Observation.objects.restrict(user, "view"))
        for user in (self.steward, self.outsider):
            self.assertIn(self.draft, Observation.objects.restrict(user, "view"))
        self.assertIn(self.draft, Observation.objects.restrict(self.outsider, "change"))

    def test_editor_changes_own_lgus_unapproved_figures_only(self):
        own = services.save_observation(indicator=self.waste, lgu=self.lgu, period="2569", value=Decimal(5),
                                        acting_user=self.editor)
        self.assertIn(own, Observation.objects.restrict(self.editor, "change"))
        self.assertNotIn(self.draft, Observation.objects.restrict(self.editor, "change"))
        approved = Observation.objects.get(indicator=self.waste, lgu=self.lgu, period="2025")
        self.assertNotIn(approved, Observation.objects.restrict(self.editor, "change"))

    def test_editor_cannot_enter_other_lgus_figures(self):
        with self.assertRaises(PermissionDenied):
            services.save_observation(indicator=self.waste, lgu=self.other_lgu, period="2569", value=1,
                                      acting_user=self.editor)


class WorkflowTests(DataHubTestCase):
    def test_enter_submit_approve_with_four_eyes_and_audit(self):
        obs = services.save_observation(indicator=self.waste, lgu=self.lgu, period="2569", value=Decimal(120),
                                        acting_user=self.editor)
        self.assertEqual(obs.period, "2026")
        self.assertEqual(services.submit([obs], acting_user=self.editor), 1)
        with self.assertRaises(PermissionDenied):
            services.approve([obs], acting_user=self.editor)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.approve([obs], acting_user=self.steward), 1)
        obs.refresh_from_db()
        self.assertEqual((obs.status, obs.approved_by), (ObservationStatus.APPROVED, self.steward))
        actions = list(AuditEntry.objects.filter(object_id=str(obs.pk)).values_list("action", flat=True))
        self.assertEqual(sorted(actions), sorted([AuditAction.CREATE, AuditAction.SUBMIT, AuditAction.PUBLISH]))
        national = AnalyticsValue.objects.get(indicator=self.waste, level="nation", period="2026")
        self.assertEqual((national.value, national.reported, national.expected), (Decimal(120), 1, 3))

    def test_steward_cannot_approve_figures_they_entered(self):
        obs = services.save_observation(indicator=self.waste, lgu=self.lgu, period="2569", value=1,
                                        acting_user=self.steward)
        obs.status = ObservationStatus.SUBMITTED
        obs.save()
        with self.assertRaises(OwnWorkRefused):
            services.approve([obs], acting_user=self.steward)
        self.assertEqual(services.approve([obs], acting_user=self.steward2), 1)

    def test_unknown_category_and_calculated_indicator_are_refused(self):
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            services.save_observation(indicator=self.groups, lgu=self.lgu, period="2569", value=1,
                                      category="sex:other", acting_user=self.editor)
        with self.assertRaises(ValidationError):
            services.save_observation(indicator=self.per_person, lgu=self.lgu, period="2569", value=1,
                                      acting_user=self.editor)


CSV = ("indicator,lgu,period,category,value,comment\n"
       "waste,TEST-SK,๒๕๖๙,,\"1,234.5\",\n"
       "groups,TEST-SK,2568,sex:female,12,\n")


class ImportTests(DataHubTestCase):
    def test_import_reads_buddhist_era_thai_digits_and_windows_874(self):
        data = ("ตัวชี้วัด,อปท.,ช่วงเวลา,ค่า\nwaste,TEST-SK,2566,7\nmonthly-waste,TEST-SK,2568-04,3\n").encode("cp874")
        result = services.import_observations(data, acting_user=self.editor, filename="x.csv")
        self.assertEqual((result.created, result.updated), (2, 0))
        result = services.import_observations(CSV.encode("utf-8-sig"), acting_user=self.editor, filename="y.csv")
        self.assertEqual(Observation.objects.get(indicator=self.groups, category="sex:female").value, Decimal(12))
        self.assertEqual(Observation.objects.get(indicator=self.waste, period="2026", lgu=self.lgu).value,
                         Decimal("1234.5"))
        with self.assertRaisesMessage(ImportRejected, "approved"):
            services.import_observations(b"indicator,lgu,period,value\nwaste,TEST-SK,2568,1\n", acting_user=self.editor)
        self.assertEqual(Observation.objects.get(indicator=self.waste, period="2025", lgu=self.lgu).value, 100)
        self.assertTrue(AuditEntry.objects.filter(action=AuditAction.IMPORT).exists())

    def test_plain_and_written_out_values_are_read_alike(self):
        # Plain numbers take a short path; grouped, Thai-digit and long ones the general parser.
        data = ("indicator,lgu,period,value,comment\n"
                "waste,TEST-SK,2560, 12.5 ,\nwaste,TEST-SK,2561,\"1,234\",\nwaste,TEST-SK,2562,๑๒,ข้อมูล\u200b\n"
                "waste,TEST-SK,2563,-3,\nwaste,TEST-SK,2564,1.234567,\n")
        services.import_observations(data.encode(), acting_user=self.editor, filename="v.csv")
        values = dict(Observation.objects.filter(indicator=self.waste, lgu=self.lgu, period__in=[
            "2017", "2018", "2019", "2020", "2021"]).values_list("period", "value"))
        self.assertEqual(values, {"2017": Decimal("12.5"), "2018": Decimal(1234), "2019": Decimal(12),
                                  "2020": Decimal(-3), "2021": Decimal("1.2346")})
        self.assertEqual(Observation.objects.get(indicator=self.waste, lgu=self.lgu, period="2019").comment, "ข้อมูล")
        for bad in ("--1", "1" * 16, "12a"):
            with self.subTest(value=bad), self.assertRaises(ImportRejected) as caught:
                services.import_observations(f"indicator,lgu,period,value\nwaste,TEST-SK,2559,{bad}\n".encode(),
                                             acting_user=self.editor)
            self.assertEqual([(p.row, p.column) for p in caught.exception.problems], [(2, "value")])

    def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(self):
        data = ("indicator,lgu,period,value\nwaste,TEST-SK,2569,1\nnope,TEST-SK,2569,1\nwaste,TEST-CR,2569,1\n"
                "waste,TEST-SK,2569-13,1\nwaste,TEST-SK,FY2569,x\nwaste,TEST-SK,2569,2\n")
        before = Observation.objects.count()
        with self.assertRaises(ImportRejected) as caught:
            services.import_observations(data.encode(), acting_user=self.editor, filename="bad.csv")
        found = {(p.row, p.column) for p in caught.exception.problems}
        self.assertTrue({(3, "indicator"), (4, "lgu"), (5, "period"), (6, "period"), (6, "value"), (7, "")} <= found,
                        found)
        self.assertEqual(Observation.objects.count(), before)

    def test_import_page_reports_problems_and_progresses_rows(self):
        self.login(self.editor)
        upload = SimpleUploadedFile("f.csv", b"indicator,lgu,period,value\nwaste,TEST-CR,2569,1\n")
        response = self.client.post(reverse("localdata:import"), {"file": upload})
        self.assertContains(response, "row 2, column lgu", status_code=400)
        upload = SimpleUploadedFile("f.csv", b"indicator,lgu,period,value\nwaste,TEST-SK,2569,1\n")
        self.assertContains(self.client.post(reverse("localdata:import"), {"file": upload}), "1 new figures")
        steps = []
        services.import_observations(b"indicator,lgu,period,value\nwaste,TEST-SK,2565,1\n", acting_user=self.editor,
                                     progress=lambda total, desc: _Bar(steps, total))
        self.assertEqual(steps, [1, 1])

    def test_a_large_import_is_followed_by_updating_the_databases_statistics(self):
        from thetsaban.jobs.models import Job

        self.login(self.editor)
        upload = SimpleUploadedFile("f.csv", b"indicator,lgu,period,value\nwaste,TEST-SK,2550,1\nwaste,TEST-SK,2551,2\n")
        with patch("thetsaban.localdata.jobs.MAINTAIN_AFTER_ROWS", 3), \
                self.captureOnCommitCallbacks(execute=True):
            self.assertContains(self.client.post(reverse("localdata:import"), {"file": upload}), "2 new figures")
        self.assertFalse(Job.objects.filter(name="localdata.maintain").exists())  # 2 rows: too few
        upload = SimpleUploadedFile("f.csv", b"indicator,lgu,period,value\nwaste,TEST-SK,2560,1\nwaste,TEST-SK,2561,2\n"
                                    b"waste,TEST-SK,2562,3\n")
        with patch("thetsaban.localdata.jobs.MAINTAIN_AFTER_ROWS", 3), \
                self.captureOnCommitCallbacks(execute=True):
            self.assertContains(self.client.post(reverse("localdata:import"), {"file": upload}), "3 new figures")
        job = Job.objects.get(name="localdata.maintain")
        self.assertEqual((job.status, job.started_by), ("succeeded", self.editor))
        # VACUUM runs outside the import's transaction, on PostgreSQL only.
        self.assertEqual(job.message, "The figures' table was vacuumed and analysed." if connection.vendor == "postgresql"
                         else "Nothing to do on this database.")


class _Bar:
    def __init__(self, steps, total):
        self.steps = steps

    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False

    def update(self, n):
        self.steps.append(n)


class PageTests(DataHubTestCase):
    def test_entry_grid_for_own_lgu_only(self):
        url = reverse("localdata:entry", args=[self.lgu.code]) + "?period=2569"
        self.assertEqual(self.client.get(url).status_code, 302)  # anonymous: sign in
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.editor)
        response = self.client.get(url)
        self.assertContains(response, f"v-{self.waste.pk}-")
        field = f"v-{self.waste.pk}-"
        response = self.client.post(url, {"period": "2026", field: "๑๒๓"})
        self.assertEqual(response.status_code, 302)
        obs = Observation.objects.get(indicator=self.waste, lgu=self.lgu, period="2026")
        self.assertEqual((obs.value, obs.status), (Decimal(123), ObservationStatus.DRAFT))
        response = self.client.post(url, {"period": "2026", field: "abc"})
        self.assertContains(response, "is not a number")
        self.client.post(url, {"period": "2026", "submit": "1"})
        obs.refresh_from_db()
        self.assertEqual(obs.status, ObservationStatus.SUBMITTED)
        self.login(self.steward)
        self.assertContains(self.client.get(reverse("localdata:review")), self.lgu.name_en)
        self.client.post(reverse("localdata:review"), {"obs": [obs.pk], "approve": "1"})
        obs.refresh_from_db()
        self.assertEqual(obs.status, ObservationStatus.APPROVED)

    def test_review_is_for_stewards_only(self):
        for user, status in ((self.editor, 403), (self.outsider, 403), (self.steward, 200)):
            self.login(user)
            self.assertEqual(self.client.get(reverse("localdata:review")).status_code, status)

    def test_indicator_page_shows_rollups_completeness_chart_and_map(self):
        response = self.client.get(reverse("localdata:indicator", args=["waste"]) + "?period=2568&level=province")
        self.assertContains(response, "450")
        self.assertContains(response, "3 of 3 reporting units reported")
        self.assertContains(response, 'data-area="90"')
        self.assertContains(response, "<polyline")
        self.assertContains(response, "localdata-map-data")
        self.assertNotContains(response, "999")  # the draft
        response = self.client.get(reverse("localdata:indicator", args=["waste"]) + "?period=2025&province=90")
        self.assertContains(response, self.third_lgu.name_th)
        download = self.client.get(reverse("localdata:indicator_download", args=["waste"]) + "?period=2025&level=province")
        self.assertIn("400", download.content.decode("utf-8-sig"))

    def test_indicator_list_shows_each_indicators_latest_approved_total(self):
        # a later draft and a later figure of one category only do not move the period shown
        observe(self.waste, self.lgu, "2026", 7, status=ObservationStatus.DRAFT)
        observe(self.groups, self.lgu, "2024", 3)
        observe(self.groups, self.lgu, "2026", 2, category="sex:female")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("localdata:indicators"), HTTP_ACCEPT_LANGUAGE="en")
        rows = {row[0]: row[1:] for row in re.findall(
            r'<tr><td><a href="[^"]+">([^<]+)</a>.*?</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', response.content.decode(),
            re.S)}
        self.assertEqual(rows["waste"], ("2025", "450"))
        self.assertEqual(rows["groups"], ("2024", "3"))
        self.assertEqual(rows["ขยะต่อคน"][0], "2025")  # the later of its numerator's and denominator's
        self.assertEqual(rows["monthly-waste"][0], "March 2025")
        # Each latest period is one seek at the end of the covering index, not a sort of every figure.
        edges = [q["sql"] for q in queries.captured_queries
                 if "localdata_observation" in q["sql"] and "ORDER BY" in q["sql"] and "LIMIT 1" in q["sql"]]
        self.assertTrue(edges)
        for sql in edges:
            with self.subTest(sql=sql[:100]):
                plan = query_plan(sql, discourage=("seqscan", "sort"))
                self.assertIn("localdata_obs_rollup_cover", plan)
                self.assertNotIn("TEMP B-TREE" if connection.vendor == "sqlite" else "Sort", plan)

    def test_bad_period_is_a_message_not_an_error(self):
        response = self.client.get(reverse("localdata:indicator", args=["waste"]) + "?period=abc")
        self.assertEqual(response.status_code, 200)

    def test_area_and_status_pages(self):
        self.assertContains(self.client.get(reverse("localdata:area", args=["province", "90"])), "400")
        self.assertContains(self.client.get(reverse("localdata:area", args=["lgu", self.lgu.code])), "100")
        self.assertEqual(self.client.get(reverse("localdata:area", args=["moon", "x"])).status_code, 404)
        response = self.client.get(reverse("localdata:status", args=[self.other_lgu.code]) + "?period=2024")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get(reverse("localdata:indicators")).status_code, 200)
