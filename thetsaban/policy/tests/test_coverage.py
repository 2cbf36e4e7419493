"""The critique as checks: a fixture where each answer is known, bad parameters, query counts."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.coverage import build_coverage
from thetsaban.policy.models import Recommendation, RecommendationUpdate
from thetsaban.policy.tests.base import PolicyTestCase


def ids(items):
    return {item["id"] for item in items}


class CoverageFixtureTests(PolicyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.full = cls.complete(level=Level.POLICY)
        cls.full.themes.add(cls.environment)
        cls.overdue = cls.complete(level=Level.LEAGUE)
        Recommendation.objects.filter(pk=cls.overdue.pk).update(planned_end=today - timedelta(days=3))
        cls.done = cls.complete(level=Level.LEAGUE, status=RecommendationStatus.IMPLEMENTED)
        Recommendation.objects.filter(pk=cls.done.pk).update(planned_end=today - timedelta(days=30))
        cls.stale = Recommendation.objects.create(level=Level.PROJECT, title="นิ่ง", recommendation="x",
                                                  target_what="w")
        Recommendation.objects.filter(pk=cls.stale.pk).update(
            created_at=timezone.now() - timedelta(days=300))
        RecommendationUpdate.objects.create(recommendation=cls.stale, date=today - timedelta(days=100),
                                            text="ครั้งล่าสุด")

    def coverage(self, user=None, **params):
        return build_coverage(Recommendation.objects.restrict(user, "view"), **params)

    def test_complete_recommendation_is_missing_nothing(self):
        checks = self.coverage()["checks"]
        for name in ("missing_agency", "missing_partners", "missing_time_frame", "missing_target",
                     "overdue", "stale"):
            self.assertNotIn(self.full.pk, ids(checks[name]), name)

    def test_empty_recommendation_is_missing_everything(self):
        checks = self.coverage()["checks"]
        for name in ("missing_agency", "missing_partners", "missing_time_frame", "missing_target"):
            self.assertIn(self.proposed.pk, ids(checks[name]), name)
        target = {i["id"]: i for i in checks["missing_target"]}[self.stale.pk]
        self.assertEqual(len(target["missing"]), 3)  # it has a "what", nothing else

    def test_overdue_unless_implemented_or_rejected(self):
        checks = self.coverage()["checks"]
        self.assertEqual(ids(checks["overdue"]), {self.overdue.pk})
        self.assertEqual(checks["overdue"][0]["days_late"], 3)

    def test_stale_after_the_chosen_number_of_days(self):
        self.assertEqual(ids(self.coverage(days=90)["checks"]["stale"]), {self.stale.pk})
        self.assertEqual(ids(self.coverage(days=120)["checks"]["stale"]), set())

    def test_matrix_counts_themes_by_levels_with_links(self):
        report = self.coverage()
        lines = {line["theme"]: line for line in report["matrix"]}
        environment = {c["level"]: c for c in lines["environment"]["cells"]}
        self.assertEqual(environment["policy"]["count"], 1)
        self.assertEqual(environment["project"]["count"], 0)
        self.assertEqual(lines["governance"]["total"], 1)
        self.assertEqual(lines[""]["total"], report["total"] - 2)
        response = self.client.get(environment["policy"]["url"])
        self.assertContains(response, self.full.title)
        self.assertNotContains(response, self.proposed.title)

    def test_drafts_count_only_for_those_who_see_them(self):
        self.assertNotIn(self.draft.pk, ids(self.coverage()["checks"]["missing_agency"]))
        self.assertIn(self.draft.pk, ids(self.coverage(self.editor)["checks"]["missing_agency"]))

    def test_page_and_api_answer_the_same(self):
        page = self.client.get(reverse("policy:coverage"))
        self.assertContains(page, self.overdue.title)
        body = self.client.get(reverse("policy-coverage-list"), {"days": "120"}).json()
        self.assertEqual(body["days"], 120)
        self.assertEqual(body["counts"]["overdue"], 1)
        self.assertEqual(body["counts"]["stale"], 0)
        self.assertEqual(len(body["matrix"]), 3)

    def test_bad_days_are_a_clear_400(self):
        for value in ("abc", "0", "-5", "99999", "1.5"):
            response = self.client.get(reverse("policy-coverage-list"), {"days": value})
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("days", response.json())
            page = self.client.get(reverse("policy:coverage"), {"days": value})
            self.assertContains(page, "days", status_code=400)

    def test_coverage_filtered_by_level(self):
        body = self.client.get(reverse("policy-coverage-list"), {"level": "league"}).json()
        self.assertEqual(body["total"], 3)
        self.assertEqual(self.client.get(reverse("policy-coverage-list"), {"level": "x"}).status_code,
                         400)


class BadFilterTests(PolicyTestCase):
    def test_bad_filter_values_are_400_with_the_field_named(self):
        cases = {"level": "nowhere", "theme": "no-such-theme", "status": "lost",
                 "agency": "999999", "overdue": "perhaps", "date_from": "31/31/2020"}
        for name, value in cases.items():
            response = self.client.get(reverse("recommendation-list"), {name: value})
            self.assertEqual(response.status_code, 400, name)
            self.assertIn(name, response.json())
            page = self.client.get(reverse("policy:list"), {name: value})
            self.assertEqual(page.status_code, 400, name)
            self.assertContains(page, value, status_code=400)
            for url in (reverse("policy:report"), reverse("policy:report_xlsx"),
                        reverse("policy:report_docx"), reverse("policy-report-list")):
                self.assertEqual(self.client.get(url, {name: value}).status_code, 400, (url, name))

    def test_a_period_that_ends_before_it_starts_is_refused(self):
        response = self.client.get(reverse("recommendation-list"),
                                   {"date_from": "2025-05-01", "date_to": "2025-01-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("date_to", response.json())

    def test_bad_ordering_and_page_are_400(self):
        self.assertEqual(self.client.get(reverse("recommendation-list"), {"ordering": "secret"})
                         .status_code, 400)
        self.assertEqual(self.client.get(reverse("recommendation-list"), {"page": "x"}).status_code,
                         400)

    def test_list_page_shows_the_error_message(self):
        response = self.client.get(reverse("policy:list"), {"level": "nowhere"})
        self.assertContains(response, "nowhere", status_code=400)

    def test_filters_select_the_right_rows(self):
        overdue = self.complete(level=Level.LEAGUE)
        Recommendation.objects.filter(pk=overdue.pk).update(planned_start=date(2000, 1, 1),
                                                            planned_end=date(2001, 1, 1))
        api = reverse("recommendation-list")
        self.assertEqual([r["id"] for r in self.client.get(api, {"overdue": "true"}).json()["results"]],
                         [overdue.pk])
        self.assertEqual([r["id"] for r in self.client.get(api, {"agency": self.opdc.pk}).json()["results"]],
                         [overdue.pk])
        self.assertEqual([r["id"] for r in self.client.get(api, {"theme": "governance"}).json()["results"]],
                         [self.proposed.pk])
        today = timezone.localdate().isoformat()
        self.assertEqual(self.client.get(api, {"date_from": today}).json()["count"], 2)
        self.assertEqual(self.client.get(api, {"date_to": "2000-01-01"}).json()["count"], 0)


class QueryCountTests(PolicyTestCase):
    def add(self, n):
        for i in range(n):
            recommendation = self.complete(level=[Level.PROJECT, Level.POLICY, Level.PARTNER][i % 3])
            recommendation.themes.add(self.governance, self.environment)
            RecommendationUpdate.objects.create(recommendation=recommendation, date=date(2025, 1, 1),
                                                text="ขั้นต่อไป")

    def count(self, url, params=None):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200, url)
        return len(captured)

    def test_lists_coverage_and_report_run_a_constant_number_of_queries(self):
        urls = [reverse("policy:list"), reverse("recommendation-list"), reverse("policy:coverage"),
                reverse("policy-coverage-list"), reverse("policy:report"), reverse("policy:report_xlsx"),
                reverse("policy:report_docx"), reverse("policy-report-list")]
        self.login(self.staff)
        self.add(2)
        small = {url: self.count(url) for url in urls}
        self.add(12)
        large = {url: self.count(url) for url in urls}
        self.assertEqual(small, large)
        detail = self.complete()
        self.add(0)
        self.assertLess(self.count(detail.get_absolute_url()), 20)
