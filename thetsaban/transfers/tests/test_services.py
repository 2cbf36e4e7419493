"""Status changes as IATI allows them, and the rules of the service functions."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.practices.choices import ReviewStatus
from thetsaban.transfers import services
from thetsaban.transfers.choices import ActivityProgress, LogframeLevel, ProjectStatus
from thetsaban.transfers.models import (
    Indicator,
    Issue,
    LogframeItem,
    MonitoringReport,
    StudyVisit,
    TransferProject,
)
from thetsaban.transfers.tests.base import TransferTestCase, make_practice

DAY = datetime.date(2024, 3, 1)


class StatusTransitionTests(TransferTestCase):
    def move(self, status, user=None, on=DAY):
        self.project = services.change_status(self.project, status, acting_user=user or self.editor, on=on)
        return self.project

    def test_life_cycle_fills_the_actual_dates(self):
        self.move(ProjectStatus.IMPLEMENTATION)
        self.assertEqual(self.project.actual_start, DAY)
        self.assertIsNone(self.project.actual_end)
        self.move(ProjectStatus.FINALISATION, on=DAY + datetime.timedelta(days=90))
        self.move(ProjectStatus.CLOSED, on=DAY + datetime.timedelta(days=120))
        self.assertEqual(self.project.actual_end, DAY + datetime.timedelta(days=120))
        self.assertEqual(self.project.actual_start, DAY)
        self.assertEqual(AuditEntry.objects.filter(content_type__model="transferproject",
                                                   object_id=str(self.project.pk)).count(), 3)

    def test_suspended_project_resumes_without_changing_its_start(self):
        self.move(ProjectStatus.IMPLEMENTATION)
        self.move(ProjectStatus.SUSPENDED, on=DAY + datetime.timedelta(days=10))
        self.move(ProjectStatus.IMPLEMENTATION, on=DAY + datetime.timedelta(days=20))
        self.assertEqual(self.project.actual_start, DAY)
        self.assertEqual(self.project.status, ProjectStatus.IMPLEMENTATION)

    def test_cancelled_from_every_active_state(self):
        for path in ([], [ProjectStatus.IMPLEMENTATION],
                     [ProjectStatus.IMPLEMENTATION, ProjectStatus.FINALISATION]):
            with self.subTest(path=path):
                TransferProject.objects.filter(pk=self.project.pk).update(
                    status=ProjectStatus.PIPELINE, actual_start=None, actual_end=None)
                self.project.refresh_from_db()
                for status in path:
                    self.move(status)
                self.move(ProjectStatus.CANCELLED)
                self.assertEqual(self.project.actual_end, DAY)

    def test_illegal_transitions_are_refused(self):
        illegal = [
            (ProjectStatus.PIPELINE, ProjectStatus.CLOSED),
            (ProjectStatus.PIPELINE, ProjectStatus.FINALISATION),
            (ProjectStatus.IMPLEMENTATION, ProjectStatus.PIPELINE),
            (ProjectStatus.CLOSED, ProjectStatus.IMPLEMENTATION),
            (ProjectStatus.CANCELLED, ProjectStatus.IMPLEMENTATION),
            (ProjectStatus.SUSPENDED, ProjectStatus.CLOSED),
            (ProjectStatus.PIPELINE, ProjectStatus.PIPELINE),
        ]
        for current, new in illegal:
            with self.subTest(current=current, new=new):
                TransferProject.objects.filter(pk=self.project.pk).update(status=current)
                self.project.refresh_from_db()
                with self.assertRaises(ValidationError):
                    self.move(new)
                self.project.refresh_from_db()
                self.assertEqual(self.project.status, current)

    def test_unknown_status_is_refused(self):
        with self.assertRaises(ValidationError):
            self.move("finished")

    def test_coach_and_outsider_cannot_change_the_status(self):
        for user in (self.coach_user, self.outsider):
            with self.assertRaises(PermissionDenied):
                self.move(ProjectStatus.IMPLEMENTATION, user=user)

    def test_status_page_and_api(self):
        self.login(self.editor)
        response = self.client.post(reverse("transfers:status", args=[self.project.pk]),
                                    {"status": "closed"})
        self.assertEqual(response.status_code, 302)
        self.project.refresh_from_db()
        self.assertEqual(self.project.status, ProjectStatus.PIPELINE)
        url = f"/api/v1/transfers/projects/{self.project.pk}/status/"
        response = self.client.post(url, {"status": "closed"}, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.json())
        response = self.client.post(url, {"status": "implementation", "on": "2024-03-01"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["actual_start"], "2024-03-01")
        self.login(self.outsider)
        self.assertEqual(self.client.post(url, {"status": "suspended"}, content_type="application/json").status_code, 403)

    def test_status_is_not_changed_by_editing(self):
        self.project.status = ProjectStatus.CLOSED
        with self.assertRaises(ValidationError):
            services.save_project(self.project, acting_user=self.editor)


class ProjectRuleTests(TransferTestCase):
    def test_source_practice_must_be_published(self):
        draft = make_practice(self.other_lgu, ReviewStatus.DRAFT)
        project = TransferProject(title="x", target_lgu=self.lgu, source_practice=draft)
        with self.assertRaises(ValidationError) as caught:
            services.save_project(project, acting_user=self.editor)
        self.assertIn("source_practice", caught.exception.message_dict)

    def test_an_lgu_cannot_adopt_its_own_practice(self):
        own = make_practice(self.lgu)
        with self.assertRaises(ValidationError):
            services.save_project(TransferProject(title="x", target_lgu=self.lgu, source_practice=own),
                                  acting_user=self.editor)

    def test_planned_end_before_start_is_refused(self):
        project = TransferProject(title="x", target_lgu=self.lgu, planned_start=DAY,
                                  planned_end=DAY - datetime.timedelta(days=1))
        with self.assertRaises(ValidationError):
            services.save_project(project, acting_user=self.editor)

    def test_thai_text_is_cleaned(self):
        project = services.save_project(TransferProject(title=" เทศบาลนําร่อง\u200b ", target_lgu=self.lgu),
                                        acting_user=self.editor)
        self.assertEqual(project.title, "เทศบาลนำร่อง")

    def test_api_bad_input_is_a_400(self):
        self.login(self.editor)
        for body in ({"title": "", "target_lgu": self.lgu.code}, {"title": "x", "target_lgu": "NOPE"},
                     {"title": "x", "target_lgu": self.lgu.code, "planned_start": "2024-13-01"},
                     {"title": "x", "target_lgu": self.lgu.code, "planned_start": "2024-02-01",
                      "planned_end": "2024-01-01"},
                     {"title": "x", "target_lgu": self.lgu.code, "motivation": "money"}):
            with self.subTest(body=body):
                response = self.client.post("/api/v1/transfers/projects/", body, content_type="application/json")
                self.assertEqual(response.status_code, 400, response.content)


class LogframeTests(TransferTestCase):
    def item(self, level, parent=None, project=None, **fields):
        return services.save_logframe_item(LogframeItem(project=project or self.project, level=level,
                                                        parent=parent, text=level, **fields),
                                           acting_user=self.editor)

    def test_logframe_tree_is_checked(self):
        goal = self.item(LogframeLevel.GOAL)
        outcome = self.item(LogframeLevel.OUTCOME, goal)
        output = self.item(LogframeLevel.OUTPUT, outcome)
        self.item(LogframeLevel.ACTIVITY, output, responsible="กองช่าง", budget_baht=Decimal("1000"))
        with self.assertRaises(ValidationError):
            self.item(LogframeLevel.ACTIVITY, goal)
        with self.assertRaises(ValidationError):
            self.item(LogframeLevel.GOAL, goal)
        other_goal = LogframeItem.objects.create(project=self.other_project, level=LogframeLevel.GOAL, text="g")
        with self.assertRaises(ValidationError):
            self.item(LogframeLevel.OUTCOME, other_goal)

    def test_negative_budget_and_reversed_time_frame_are_refused(self):
        with self.assertRaises(ValidationError):
            self.item(LogframeLevel.ACTIVITY, budget_baht=Decimal("-1"))
        with self.assertRaises(ValidationError):
            self.item(LogframeLevel.ACTIVITY, starts_on=DAY, ends_on=DAY - datetime.timedelta(days=1))

    def test_coach_cannot_change_the_logframe(self):
        with self.assertRaises(PermissionDenied):
            services.save_logframe_item(LogframeItem(project=self.project, level="goal", text="g"),
                                        acting_user=self.coach_user)

    def test_logframe_page_shows_a_table_in_tree_order(self):
        goal = self.item(LogframeLevel.GOAL)
        outcome = self.item(LogframeLevel.OUTCOME, goal)
        self.item(LogframeLevel.OUTPUT, outcome)
        html = self.client.get(self.project.get_absolute_url()).content.decode()
        self.assertIn('class="logframe"', html)
        self.assertLess(html.index("level-goal"), html.index("level-outcome"))
        self.assertLess(html.index("level-outcome"), html.index("level-output"))


class ReportTests(TransferTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.indicator = Indicator.objects.create(project=cls.project, name="ผู้ใช้บริการออนไลน์", unit="คน",
                                                 baseline=Decimal("0"), target=Decimal("200"))
        cls.late = LogframeItem.objects.create(project=cls.project, level="activity", text="อบรมเจ้าหน้าที่",
                                               starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 2, 1))
        cls.done = LogframeItem.objects.create(project=cls.project, level="activity", text="ติดตั้งระบบ",
                                               starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 2, 1))
        cls.future = LogframeItem.objects.create(project=cls.project, level="activity", text="ประเมินผล",
                                                 starts_on=datetime.date(2024, 5, 1), ends_on=datetime.date(2024, 6, 1))

    def write(self, user):
        report = MonitoringReport(project=self.project, period_start=datetime.date(2024, 1, 1),
                                  period_end=datetime.date(2024, 3, 31), narrative="ความก้าวหน้า")
        return services.save_report(
            report, acting_user=user,
            readings=[services.Reading(self.indicator, Decimal("150"))],
            statuses=[services.Progress(self.late, ActivityProgress.DELAYED),
                      services.Progress(self.done, ActivityProgress.DONE)])

    def test_matrix_shows_target_against_actual_and_flags_late_activities(self):
        report = self.write(self.coach_user)
        self.assertEqual(report.author, self.coach_user)
        matrix = services.report_matrix(report, [self.indicator], [self.late, self.done, self.future])
        row = matrix["indicators"][0]
        self.assertEqual(row.actual, Decimal("150"))
        self.assertEqual(row.share_of_target, 75)
        self.assertFalse(row.target_met)
        overdue = {r.item.pk: r.overdue for r in matrix["activities"]}
        self.assertEqual(overdue, {self.late.pk: True, self.done.pk: False, self.future.pk: False})
        self.assertEqual(matrix["overdue"], 1)

    def test_report_page_shows_the_matrix(self):
        report = self.write(self.editor)
        response = self.client.get(reverse("transfers:report", args=[self.project.pk, report.pk]))
        self.assertContains(response, "ผู้ใช้บริการออนไลน์")
        self.assertContains(response, "150")
        self.assertContains(response, 'class="overdue"', count=1)

    def test_report_form_writes_the_matrix(self):
        self.login(self.coach_user)
        response = self.client.post(reverse("transfers:report_add", args=[self.project.pk]), {
            "period_start": "2024-01-01", "period_end": "2024-03-31", "narrative": "ก",
            f"actual_{self.indicator.pk}": "120", f"progress_{self.done.pk}": "done",
            f"progress_{self.late.pk}": "not_a_progress"})
        self.assertEqual(response.status_code, 200)  # a bad choice is shown on the form
        self.assertFalse(MonitoringReport.objects.exists())
        response = self.client.post(reverse("transfers:report_add", args=[self.project.pk]), {
            "period_start": "2024-01-01", "period_end": "2024-03-31", "narrative": "ก",
            f"actual_{self.indicator.pk}": "120", f"progress_{self.done.pk}": "done"})
        self.assertEqual(response.status_code, 302)
        report = MonitoringReport.objects.get()
        self.assertEqual(report.readings.get().actual, Decimal("120"))
        self.assertEqual(report.activity_statuses.get().item, self.done)

    def test_report_period_must_be_ordered(self):
        self.login(self.coach_user)
        response = self.client.post(reverse("transfers:report_add", args=[self.project.pk]), {
            "period_start": "2024-03-31", "period_end": "2024-01-01", "narrative": "ก"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(MonitoringReport.objects.exists())

    def test_api_report_with_readings_of_another_project_is_a_400(self):
        foreign = Indicator.objects.create(project=self.other_project, name="อื่น")
        self.login(self.coach_user)
        body = {"project": self.project.pk, "period_start": "2024-01-01", "period_end": "2024-03-31",
                "narrative": "ก", "readings": [{"indicator": foreign.pk, "actual": "1"}]}
        response = self.client.post("/api/v1/transfers/reports/", body, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        body["readings"] = [{"indicator": self.indicator.pk, "actual": "10"}]
        body["activity_statuses"] = [{"item": self.late.pk, "progress": "on_track"}]
        response = self.client.post("/api/v1/transfers/reports/", body, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["readings"][0]["actual"], "10.00")
        self.assertEqual(response.json()["activity_statuses"][0]["progress"], "on_track")


class OtherPartsTests(TransferTestCase):
    def test_study_visit_host_defaults_to_the_source_practices_lgu(self):
        visit = services.save_study_visit(StudyVisit(project=self.project, visited_on=DAY),
                                          acting_user=self.editor)
        self.assertEqual(visit.host_lgu, self.other_lgu)

    def test_issue_takes_the_lgus_short_code(self):
        issue = services.save_issue(Issue(project=self.project, level="project", problem="ปัญหา"),
                                    acting_user=self.coach_user)
        self.assertEqual(issue.lgu_code, "SK")

    def test_other_coach_cannot_write_the_issue_log(self):
        with self.assertRaises(PermissionDenied):
            services.save_issue(Issue(project=self.project, level="project", problem="ปัญหา"),
                                acting_user=self.other_coach_user)

    def test_part_cannot_move_to_another_project(self):
        issue = services.save_issue(Issue(project=self.project, level="project", problem="ก"),
                                    acting_user=self.editor)
        issue.project = self.other_project
        with self.assertRaises(ValidationError):
            services.save_issue(issue, acting_user=self.staff)

    def test_every_part_form_renders_for_the_editor(self):
        self.login(self.editor)
        for kind in ("logframe", "indicators", "taskforce", "milestones", "logbook", "visits", "issues"):
            with self.subTest(kind=kind):
                response = self.client.get(reverse("transfers:part_add", args=[self.project.pk, kind]))
                self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get(reverse("transfers:evaluation", args=[self.project.pk])).status_code, 200)
        self.assertEqual(self.client.get(f"/transfers/{self.project.pk}/nonsense/add/").status_code, 404)

    def test_evaluation_and_milestone_through_pages(self):
        self.login(self.editor)
        response = self.client.post(reverse("transfers:evaluation", args=[self.project.pk]),
                                    {"summary": "สรุป", "rating": "4"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.project.evaluation.rating, 4)
        self.assertEqual(self.project.evaluation.evaluator, self.editor)
        response = self.client.post(reverse("transfers:part_edit", args=[self.project.pk, "milestones",
                                                                          self.milestone.pk]),
                                    {"title": "ตั้งคณะทำงานแล้ว", "achieved_on": "2024-02-01"})
        self.assertEqual(response.status_code, 302)
        self.milestone.refresh_from_db()
        self.assertEqual(self.milestone.achieved_on, datetime.date(2024, 2, 1))
        response = self.client.post(reverse("transfers:part_delete", args=[self.project.pk, "milestones",
                                                                            self.milestone.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.project.milestones.exists())
        self.assertTrue(AuditEntry.objects.filter(action="delete", content_type__model="milestone").exists())

    def test_coach_cannot_delete_a_milestone(self):
        self.login(self.coach_user)
        response = self.client.post(reverse("transfers:part_delete", args=[self.project.pk, "milestones",
                                                                            self.milestone.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(self.project.milestones.exists())
