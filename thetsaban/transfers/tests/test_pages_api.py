"""Lists with constant query counts, filters, the API schema and the panels for other apps' pages."""

import datetime
from decimal import Decimal

from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thetsaban.accounts.models import User
from thetsaban.coaching.models import Assignment
from thetsaban.directory.models import Person
from thetsaban.transfers.models import (
    ActivityStatus,
    Indicator,
    IndicatorReading,
    Issue,
    LogbookEntry,
    LogframeItem,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)
from thetsaban.transfers.tests.base import TransferTestCase, make_coach, make_project

LIST_URLS = [
    "/transfers/",
    "/api/v1/transfers/projects/",
    "/api/v1/transfers/logbook/",
    "/api/v1/transfers/reports/",
    "/api/v1/transfers/visits/",
    "/api/v1/transfers/taskforce/",
    "/api/v1/transfers/issues/",
    "/api/v1/transfers/logframe/",
    "/api/v1/transfers/indicators/",
    "/api/v1/transfers/milestones/",
    "/api/v1/transfers/evaluations/",
]


def add_records(test, count):
    """`count` more projects, each with a coach, taskforce, logbook, report, visit and issue."""
    for i in range(count):
        project = make_project(test.lgu, test.source, title=f"โครงการ {i} (ตัวอย่าง)")
        n = TransferProject.objects.count()
        make_coach(f"c{n}", test.lgu.province, "x", project)
        person = Person.objects.create(name_th=f"คน {n} (ตัวอย่าง)", listing_consent=True, visibility="public",
                                       is_example=True)
        TaskforceMember.objects.create(project=project, person=person)
        LogbookEntry.objects.create(project=project, date="2024-01-01", activity="ก",
                                    coach=project.assignments.get().coach)
        item = LogframeItem.objects.create(project=project, level="activity", text="ก", ends_on="2024-01-01")
        indicator = Indicator.objects.create(project=project, name="ก", target=Decimal(1))
        report = MonitoringReport.objects.create(project=project, period_start="2024-01-01",
                                                 period_end="2024-02-01", narrative="ก")
        IndicatorReading.objects.create(report=report, indicator=indicator, actual=Decimal(1))
        ActivityStatus.objects.create(report=report, item=item, progress="done")
        visit = StudyVisit.objects.create(project=project, visited_on="2024-01-01", host_lgu=test.other_lgu)
        visit.participants.add(person)
        Issue.objects.create(project=project, level="project", problem="ก", lgu_code="SK")


class QueryCountTests(TransferTestCase):
    def counts(self, url, user):
        self.login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return len(queries)

    def test_lists_run_a_constant_number_of_queries(self):
        add_records(self, 2)
        for user in (None, self.editor):
            small = {url: self.counts(url, user) for url in LIST_URLS}
            small["detail"] = self.counts(self.project.get_absolute_url(), user)
            add_records(self, 4)
            big = {url: self.counts(url, user) for url in LIST_URLS}
            big["detail"] = self.counts(self.project.get_absolute_url(), user)
            self.assertEqual(small, big, user)


class ListAndFilterTests(TransferTestCase):
    def test_list_filters(self):
        self.login(None)
        response = self.client.get("/transfers/", {"lgu": "SK"})
        self.assertContains(response, self.project.title)
        self.assertNotContains(response, self.other_project.title)
        response = self.client.get("/transfers/", {"region": "north"})
        self.assertContains(response, self.other_project.title)
        self.assertNotContains(response, self.project.title)
        response = self.client.get("/transfers/", {"motivation": "unknown", "status": "pipeline",
                                                   "theme": "governance"})
        self.assertContains(response, self.project.title)
        response = self.client.get("/transfers/", {"motivation": "kpi"})
        self.assertNotContains(response, self.project.title)
        response = self.client.get("/transfers/", {"status": "nonsense"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")

    def test_api_filters_and_bad_parameters(self):
        response = self.client.get("/api/v1/transfers/projects/", {"lgu": "CR"})
        self.assertEqual([p["id"] for p in response.json()["results"]], [self.other_project.pk])
        for params in ({"status": "nonsense"}, {"theme": "nope"}, {"ordering": "secret"}, {"page": "x"},
                       {"motivation": "money"}, {"source_practice": "abc"}):
            with self.subTest(params=params):
                self.assertEqual(self.client.get("/api/v1/transfers/projects/", params).status_code, 400)
        self.assertEqual(self.client.get("/api/v1/transfers/logbook/", {"date_from": "yesterday"}).status_code, 400)
        self.assertEqual(self.client.get("/api/v1/transfers/issues/", {"level": "galaxy"}).status_code, 400)

    def test_api_project_detail_has_nested_summaries(self):
        TaskforceMember.objects.create(project=self.project, person=Person.objects.create(
            name_th="สมาชิก (ตัวอย่าง)", listing_consent=True, visibility="public",
            is_example=True), role="เลขานุการ")
        hidden = Person.objects.create(name_th="ไม่เปิดเผย (ตัวอย่าง)", listing_consent=False, is_example=True)
        TaskforceMember.objects.create(project=self.project, person=hidden)
        Issue.objects.create(project=self.project, level="project", problem="ปัญหา")
        data = self.client.get(f"/api/v1/transfers/projects/{self.project.pk}/").json()
        self.assertEqual(data["target_lgu"], "TEST-SK")
        self.assertEqual(data["source_lgu"], "TEST-CR")
        self.assertEqual([c["id"] for c in data["coaches"]], [self.coach.pk])
        self.assertEqual([m["name"] for m in data["taskforce"]], ["สมาชิก (ตัวอย่าง)"])
        self.assertEqual(data["issues"], 1)
        self.assertEqual(data["issue_log"][0]["problem"], "ปัญหา")
        self.assertIsNone(data["evaluation"])

    def test_api_schema_lists_the_transfer_endpoints(self):
        schema = self.client.get("/api/schema/", {"format": "json"}).json()
        for path in ("/api/v1/transfers/projects/", "/api/v1/transfers/projects/{id}/status/",
                     "/api/v1/transfers/logbook/", "/api/v1/transfers/reports/", "/api/v1/transfers/issues/"):
            self.assertIn(path, schema["paths"])

    def test_list_shows_the_coach_team_and_missing_motivation(self):
        response = self.client.get("/transfers/")
        self.assertContains(response, self.coach.person.name)
        self.assertContains(response, "not recorded")

    def test_ended_assignment_is_not_listed_as_coach(self):
        Assignment.objects.filter(coach=self.coach).update(ended_on=datetime.date(2024, 1, 1))
        response = self.client.get("/transfers/", {"lgu": "SK"})
        self.assertNotContains(response, self.coach.person.name)


class PanelTests(TransferTestCase):
    def render(self, text, **context):
        request = RequestFactory().get("/")
        request.user = User()  # anonymous-like: not saved, not authenticated
        request.user.is_active = False
        return Template(text).render(Context({"request": request, **context}))

    def test_practice_panel_lists_where_it_was_adopted(self):
        html = self.render("{% load transfers %}{% adoptions_for_practice practice %}", practice=self.source)
        self.assertIn(self.project.title, html)
        self.assertIn(self.lgu.name, html)
        self.assertIn(self.project.get_status_display(), html)
        self.assertIn(reverse("transfers:project", args=[self.project.pk]), html)

    def test_lgu_panel_lists_what_it_adopted_and_from_whom(self):
        html = self.render("{% load transfers %}{% adoptions_for_lgu lgu %}", lgu=self.lgu)
        self.assertIn(self.project.title, html)
        self.assertIn(self.source.title, html)
        self.assertIn(self.other_lgu.name, html)
        html = self.render("{% load transfers %}{% adoptions_for_lgu lgu %}", lgu=self.other_lgu)
        self.assertIn(self.other_project.title, html)
        self.assertNotIn(self.project.title, html)
