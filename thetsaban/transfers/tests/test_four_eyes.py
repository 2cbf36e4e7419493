"""Those who did a project's work (started it, coached it, wrote its monitoring reports) do not
write its final evaluation (unless staff allow self-approval)."""

from datetime import date

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import SELF_APPROVAL_NOTE
from thetsaban.testing import allow_self_approval
from thetsaban.transfers import services
from thetsaban.transfers.models import FinalEvaluation, MonitoringReport, TransferProject
from thetsaban.transfers.tests.base import TransferTestCase

REFUSAL = "You cannot approve your own work"


class OwnProjectEvaluationTests(TransferTestCase):
    def setUp(self):
        # The LGU editor reports on the project and would then rate it.
        services.save_report(MonitoringReport(project=self.project, period_start=date(2025, 1, 1),
                                              period_end=date(2025, 6, 30), narrative="ก้าวหน้าดี"),
                             acting_user=self.editor)

    def evaluate_page(self, user):
        self.login(user)
        return self.client.post(reverse("transfers:evaluation", args=[self.project.pk]),
                                {"summary": "ดีมาก", "rating": "5"})

    def evaluate_api(self, user):
        self.login(user)
        return self.client.post("/api/v1/transfers/evaluations/", {
            "project": self.project.pk, "summary": "ดีมาก", "rating": 5},
            content_type="application/json")

    def test_report_author_cannot_evaluate_the_project_through_the_page(self):
        response = self.evaluate_page(self.editor)
        self.assertContains(response, REFUSAL)
        self.assertFalse(FinalEvaluation.objects.exists())

    def test_report_author_cannot_evaluate_the_project_through_the_api(self):
        response = self.evaluate_api(self.editor)
        self.assertEqual(response.status_code, 403)
        self.assertIn(REFUSAL, response.json()["detail"])
        self.assertFalse(FinalEvaluation.objects.exists())

    def test_the_editor_who_started_a_project_cannot_evaluate_it(self):
        project = services.save_project(TransferProject(title="โครงการใหม่", target_lgu=self.lgu),
                                        acting_user=self.editor)
        with self.assertRaisesMessage(Exception, REFUSAL):
            services.save_evaluation(FinalEvaluation(project=project, summary="ดี"),
                                     acting_user=self.editor)

    def test_report_author_is_told_before_writing_and_sees_no_link(self):
        self.login(self.editor)
        self.assertContains(self.client.get(reverse("transfers:evaluation", args=[self.project.pk])),
                            REFUSAL)
        response = self.client.get(self.project.get_absolute_url())
        self.assertContains(response, REFUSAL)
        self.assertNotContains(response, reverse("transfers:evaluation", args=[self.project.pk]))
        self.login(self.staff)
        self.assertContains(self.client.get(self.project.get_absolute_url()),
                            reverse("transfers:evaluation", args=[self.project.pk]))

    def test_staff_evaluate_it(self):
        self.assertEqual(self.evaluate_api(self.staff).status_code, 201)
        self.assertEqual(FinalEvaluation.objects.get().evaluator, self.staff)
        FinalEvaluation.objects.all().delete()
        self.assertEqual(self.evaluate_page(self.staff).status_code, 302)

    def test_with_the_league_setting_on_the_author_evaluates_and_it_is_audited_as_such(self):
        allow_self_approval()
        self.assertEqual(self.evaluate_api(self.editor).status_code, 201)
        evaluation = FinalEvaluation.objects.get()
        entry = AuditEntry.objects.for_object(evaluation).get()
        self.assertEqual(entry.actor, self.editor)
        self.assertIn(SELF_APPROVAL_NOTE, entry.note)

    def test_the_admin_refuses_a_staff_member_who_reported_on_the_project(self):
        services.save_report(MonitoringReport(project=self.project, period_start=date(2025, 7, 1),
                                              period_end=date(2025, 12, 31), narrative="จบ"),
                             acting_user=self.staff)
        add = reverse("admin:transfers_finalevaluation_add")
        self.login(self.staff)
        response = self.client.post(add, {"project": self.project.pk, "summary": "ดีมาก", "rating": 5})
        self.assertContains(response, REFUSAL)
        self.assertFalse(FinalEvaluation.objects.exists())
        other_staff = User.objects.create(username="other-staff", is_staff=True, is_superuser=True)
        self.login(other_staff)
        response = self.client.post(add, {"project": self.project.pk, "summary": "ดีมาก", "rating": 5})
        self.assertEqual(response.status_code, 302)
        evaluation = FinalEvaluation.objects.get()
        self.assertEqual(evaluation.evaluator, other_staff)
        self.assertEqual(AuditEntry.objects.for_object(evaluation).get().actor, other_staff)
