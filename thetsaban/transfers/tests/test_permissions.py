"""Who may keep the logbook and write reports, and who may change a project: through pages and API."""

import datetime

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.coaching.models import Assignment
from thetsaban.practices.choices import ReviewStatus
from thetsaban.transfers.models import LogbookEntry, MonitoringReport, TransferProject
from thetsaban.transfers.tests.base import TransferTestCase, make_practice

LOGBOOK_FORM = {"date": "2024-05-02", "activity": "ประชุมคณะทำงาน (ตัวอย่าง)", "outcome": "ได้แผนงาน",
                "next_step": "ศึกษาดูงาน"}
REPORT_FORM = {"period_start": "2024-01-01", "period_end": "2024-03-31", "narrative": "รายงานตัวอย่าง"}


class LogbookPermissionTests(TransferTestCase):
    def add_url(self):
        return reverse("transfers:part_add", args=[self.project.pk, "logbook"])

    def post_entry(self, user):
        self.login(user)
        return self.client.post(self.add_url(), {**LOGBOOK_FORM, "milestone": self.milestone.pk})

    def test_assigned_coach_adds_a_logbook_entry_on_the_page(self):
        self.login(self.coach_user)
        self.assertEqual(self.client.get(self.add_url()).status_code, 200)
        response = self.post_entry(self.coach_user)
        self.assertRedirects(response, self.project.get_absolute_url() + "#logbook", fetch_redirect_response=False)
        entry = LogbookEntry.objects.get(project=self.project)
        self.assertEqual(entry.coach, self.coach)
        self.assertEqual(entry.created_by, self.coach_user)
        self.assertEqual(entry.milestone, self.milestone)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(entry.pk), content_type__model="logbookentry").exists())

    def test_another_coach_cannot_add_a_logbook_entry(self):
        self.login(self.other_coach_user)
        self.assertEqual(self.client.get(self.add_url()).status_code, 403)
        self.assertEqual(self.post_entry(self.other_coach_user).status_code, 403)
        self.assertFalse(LogbookEntry.objects.exists())

    def test_coach_whose_assignment_ended_cannot_add_a_logbook_entry(self):
        Assignment.objects.filter(coach=self.coach).update(ended_on=datetime.date(2024, 1, 1))
        self.assertEqual(self.post_entry(self.coach_user).status_code, 403)
        self.assertFalse(LogbookEntry.objects.exists())

    def test_editor_of_the_target_lgu_adds_a_logbook_entry(self):
        response = self.post_entry(self.editor)
        self.assertEqual(response.status_code, 302)
        entry = LogbookEntry.objects.get()
        self.assertIsNone(entry.coach)

    def test_editor_of_another_lgu_cannot_add_a_logbook_entry(self):
        self.assertEqual(self.post_entry(self.outsider).status_code, 403)
        self.assertFalse(LogbookEntry.objects.exists())

    def test_anonymous_visitor_is_sent_to_sign_in(self):
        response = self.post_entry(None)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertFalse(LogbookEntry.objects.exists())

    def test_milestone_of_another_project_is_refused(self):
        from thetsaban.transfers.models import Milestone

        foreign = Milestone.objects.create(project=self.other_project, title="อื่น")
        self.login(self.coach_user)
        response = self.client.post(self.add_url(), {**LOGBOOK_FORM, "milestone": foreign.pk})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(LogbookEntry.objects.exists())

    def test_logbook_form_has_the_fields_a_coach_needs(self):
        self.login(self.coach_user)
        html = self.client.get(self.add_url()).content.decode()
        for name in ("date", "activity", "milestone", "outcome", "next_step"):
            self.assertIn(f'name="{name}"', html)
        self.assertIn('id="save"', html)

    def test_detail_page_offers_the_logbook_form_only_to_those_who_may_log(self):
        url = self.project.get_absolute_url()
        for user, shown in ((self.coach_user, True), (self.editor, True), (self.other_coach_user, False),
                            (self.outsider, False), (None, False)):
            self.login(user)
            html = self.client.get(url).content.decode()
            self.assertEqual('id="add-logbook-entry"' in html, shown, user)

    # -- API ----------------------------------------------------------------------------------

    def api_post(self, user):
        self.login(user)
        return self.client.post("/api/v1/transfers/logbook/", {**LOGBOOK_FORM, "project": self.project.pk},
                                content_type="application/json")

    def test_api_logbook_permissions(self):
        for user, status in ((self.coach_user, 201), (self.editor, 201), (self.other_coach_user, 403),
                             (self.outsider, 403), (None, 403)):
            with self.subTest(user=user):
                self.assertEqual(self.api_post(user).status_code, status)
        self.assertEqual(LogbookEntry.objects.count(), 2)
        self.assertEqual(LogbookEntry.objects.filter(coach=self.coach).count(), 1)

    def test_api_another_coach_cannot_change_or_delete_an_entry(self):
        entry = LogbookEntry.objects.create(project=self.project, date="2024-01-01", activity="ก")
        url = f"/api/v1/transfers/logbook/{entry.pk}/"
        for user in (self.other_coach_user, self.outsider):
            self.login(user)
            self.assertEqual(self.client.patch(url, {"activity": "ข"}, content_type="application/json").status_code, 403)
            self.assertEqual(self.client.delete(url).status_code, 403)
        self.login(self.coach_user)
        response = self.client.patch(url, {"activity": "ข"}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        entry.refresh_from_db()
        self.assertEqual(entry.activity, "ข")

    def test_api_logbook_is_public_to_read(self):
        LogbookEntry.objects.create(project=self.project, date="2024-01-01", activity="ก")
        self.login(None)
        response = self.client.get("/api/v1/transfers/logbook/", {"project": self.project.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], 1)


class ReportPermissionTests(TransferTestCase):
    def post_report(self, user):
        self.login(user)
        return self.client.post(reverse("transfers:report_add", args=[self.project.pk]), REPORT_FORM)

    def test_report_page_permissions(self):
        for user, status in ((self.coach_user, 302), (self.editor, 302), (self.other_coach_user, 403),
                             (self.outsider, 403)):
            with self.subTest(user=user):
                self.assertEqual(self.post_report(user).status_code, status)
        response = self.post_report(None)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(MonitoringReport.objects.count(), 2)

    def test_api_report_permissions(self):
        for user, status in ((self.coach_user, 201), (self.editor, 201), (self.other_coach_user, 403),
                             (self.outsider, 403), (None, 403)):
            with self.subTest(user=user):
                self.login(user)
                response = self.client.post("/api/v1/transfers/reports/", {**REPORT_FORM, "project": self.project.pk},
                                            content_type="application/json")
                self.assertEqual(response.status_code, status)
        self.assertEqual(MonitoringReport.objects.count(), 2)


class ProjectEditPermissionTests(TransferTestCase):
    def test_editor_of_the_target_lgu_edits_the_project(self):
        self.login(self.editor)
        url = reverse("transfers:edit", args=[self.project.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"title": "ชื่อใหม่ (ตัวอย่าง)", "target_lgu": self.lgu.pk,
                                          "source_practice": self.source.pk})
        self.assertEqual(response.status_code, 302)
        self.project.refresh_from_db()
        self.assertEqual(self.project.title, "ชื่อใหม่ (ตัวอย่าง)")

    def test_editor_of_another_lgu_and_coach_cannot_edit_the_project(self):
        url = reverse("transfers:edit", args=[self.project.pk])
        for user in (self.outsider, self.coach_user):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403)
            self.assertEqual(self.client.post(url, {"title": "x", "target_lgu": self.other_lgu.pk}).status_code, 403)
        self.project.refresh_from_db()
        self.assertNotEqual(self.project.title, "x")

    def test_anonymous_cannot_edit_the_project(self):
        self.login(None)
        response = self.client.get(reverse("transfers:edit", args=[self.project.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_editor_cannot_start_a_project_for_another_lgu(self):
        self.login(self.editor)
        response = self.client.post(reverse("transfers:create"), {"title": "x", "target_lgu": self.other_lgu.pk})
        self.assertEqual(response.status_code, 200)  # the form says the LGU is not a valid choice
        self.assertFalse(TransferProject.objects.filter(title="x").exists())

    def test_staff_starts_a_project_by_lgu_code(self):
        self.login(self.staff)
        response = self.client.post(reverse("transfers:create"), {"title": "ใหม่", "target_lgu": "CR"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(TransferProject.objects.get(title="ใหม่").target_lgu, self.other_lgu)

    def test_api_project_edit_permissions(self):
        url = f"/api/v1/transfers/projects/{self.project.pk}/"
        for user, status in ((self.outsider, 403), (self.coach_user, 403), (None, 403), (self.editor, 200)):
            with self.subTest(user=user):
                self.login(user)
                response = self.client.patch(url, {"title": "API"}, content_type="application/json")
                self.assertEqual(response.status_code, status)
        self.project.refresh_from_db()
        self.assertEqual(self.project.title, "API")

    def test_api_editor_cannot_create_a_project_for_another_lgu(self):
        self.login(self.editor)
        response = self.client.post("/api/v1/transfers/projects/", {"title": "x", "target_lgu": self.other_lgu.code},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 403)
        response = self.client.post("/api/v1/transfers/projects/", {"title": "x", "target_lgu": self.lgu.code},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 201)

    def test_audit_history_link_only_for_staff(self):
        history = reverse("accounts:history", args=["transfers", "transferproject", self.project.pk])
        self.login(self.staff)
        self.assertContains(self.client.get(self.project.get_absolute_url()), history)
        self.login(self.editor)
        self.assertNotContains(self.client.get(self.project.get_absolute_url()), history)


class RelatedChoicesTests(TransferTestCase):
    """The browsable API's form and the body of a write offer only rows the user may see."""

    secret = "ร่างที่ยังไม่เผยแพร่ของสงขลา (ข้อมูลตัวอย่าง)"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.draft = make_practice(cls.lgu, status=ReviewStatus.DRAFT, title_th=cls.secret)

    def test_the_browsable_form_hides_another_lgus_unpublished_practice(self):
        self.login(self.outsider)
        response = self.client.get("/api/v1/transfers/projects/?format=api")
        self.assertContains(response, 'name="source_practice"')
        self.assertNotContains(response, self.secret)

    def test_the_browsable_form_offers_an_editor_their_own_draft(self):
        self.login(self.editor)
        self.assertContains(self.client.get("/api/v1/transfers/projects/?format=api"), self.secret)

    def test_naming_a_practice_the_user_may_not_see_is_refused(self):
        self.login(self.outsider)
        response = self.client.post("/api/v1/transfers/projects/",
                                    {"title": "x", "target_lgu": self.other_lgu.code,
                                     "source_practice": self.draft.pk}, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("does not exist", response.json()["source_practice"][0])
        self.assertFalse(TransferProject.objects.filter(title="x").exists())
