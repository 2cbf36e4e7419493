"""Administration saves are audited, inline rows included."""

from unittest import mock

from django.core.exceptions import ValidationError

from thetsaban.accounts.models import AuditEntry
from thetsaban.practices.choices import ReviewStatus
from thetsaban.practices.tests.base import make_practice
from thetsaban.testing import admin_form_data
from thetsaban.transfers.admin import TransferProjectAdmin
from thetsaban.transfers.models import Issue, LogbookEntry, Milestone, TransferProject
from thetsaban.transfers.tests.base import TransferTestCase


class AdminTests(TransferTestCase):
    def test_admin_change_of_an_issue_is_audited(self):
        issue = Issue.objects.create(project=self.project, level="project", problem="ก")
        self.login(self.staff)
        response = self.client.post(f"/admin/transfers/issue/{issue.pk}/change/", {
            "project": self.project.pk, "level": "municipality", "problem": "ข", "effect": "",
            "recommendation": "", "lgu_code": "SK", "raised_on": "", "position": "0"})
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.get(content_type__model="issue", object_id=str(issue.pk))
        self.assertEqual(entry.before["problem"], "ก")
        self.assertEqual(entry.after["problem"], "ข")
        self.assertEqual(entry.actor, self.staff)

    def test_admin_pages_open(self):
        self.login(self.staff)
        for model in ("transferproject", "monitoringreport", "logbookentry", "studyvisit", "issue",
                      "finalevaluation"):
            with self.subTest(model=model):
                self.assertEqual(self.client.get(f"/admin/transfers/{model}/").status_code, 200)
        self.assertEqual(self.client.get(f"/admin/transfers/transferproject/{self.project.pk}/change/").status_code, 200)


class ProjectAdminServiceTests(TransferTestCase):
    """A project changed in the admin goes through save_project, the rules of the project pages."""

    def post_project(self, **changes):
        self.login(self.staff)
        url = f"/admin/transfers/transferproject/{self.project.pk}/change/"
        data = admin_form_data(self.client.get(url))
        data.update(changes)
        return self.client.post(url, data)

    def test_an_unpublished_practice_cannot_be_made_the_source(self):
        draft = make_practice(self.other_lgu, ReviewStatus.DRAFT, title_th="ร่าง (ตัวอย่าง)")
        response = self.post_project(source_practice=str(draft.pk))
        self.assertContains(response, "Only a published practice can be adopted")
        self.assertEqual(TransferProject.objects.get(pk=self.project.pk).source_practice, self.source)

    def test_an_admin_edit_is_cleaned_and_audited_once(self):
        response = self.post_project(title="ทดสอบ\u200bชื่อ")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(TransferProject.objects.get(pk=self.project.pk).title, "ทดสอบชื่อ")
        entry = AuditEntry.objects.for_object(self.project).get()
        self.assertEqual((entry.action, entry.actor, entry.after["title"]), ("update", self.staff, "ทดสอบชื่อ"))


class AdminGoesThroughServicesTests(TransferTestCase):
    """Rows added in the admin, on the project page or on their own, are saved by the same
    services as the project pages: their defaults, cleaning and audit."""

    def setUp(self):
        self.login(self.staff)

    def test_an_issue_added_on_the_project_page_gets_the_lgu_code_and_one_audit_entry(self):
        url = f"/admin/transfers/transferproject/{self.project.pk}/change/"
        data = admin_form_data(self.client.get(url))
        data.update({"issues-TOTAL_FORMS": "1", "issues-0-level": "project",
                     "issues-0-problem": "งบ\u200bล่าช้า", "issues-0-position": "0"})
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and [
            f.formset.errors for f in response.context["inline_admin_formsets"]])
        issue = Issue.objects.get(project=self.project)
        # save_issue fills the deck's LGU code and the text is cleaned of zero-width characters.
        self.assertEqual((issue.lgu_code, issue.problem), ("SK", "งบล่าช้า"))
        entry = AuditEntry.objects.for_object(issue).get()
        self.assertEqual((entry.action, entry.actor), ("create", self.staff))

    def test_a_logbook_line_added_in_the_admin_records_who_wrote_it(self):
        response = self.client.post("/admin/transfers/logbookentry/add/", {
            "project": self.project.pk, "date": "2026-01-05", "activity": "ประชุมคณะทำงาน"})
        self.assertEqual(response.status_code, 302)
        entry = LogbookEntry.objects.get(project=self.project)
        self.assertEqual(entry.created_by, self.staff)
        self.assertEqual(AuditEntry.objects.for_object(entry).get().actor, self.staff)

    def test_deleting_a_milestone_on_the_project_page_is_audited_once(self):
        url = f"/admin/transfers/transferproject/{self.project.pk}/change/"
        data = admin_form_data(self.client.get(url))
        data["milestones-0-DELETE"] = "on"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Milestone.objects.filter(pk=self.milestone.pk).exists())
        entry = AuditEntry.objects.filter(content_type__model="milestone",
                                          object_id=str(self.milestone.pk)).get()
        self.assertEqual((entry.action, entry.before["title"]), ("delete", self.milestone.title))

    def test_a_refusing_service_shows_its_reason_and_keeps_nothing(self):
        url = f"/admin/transfers/transferproject/{self.project.pk}/change/"
        data = admin_form_data(self.client.get(url))
        data.update({"title": "ชื่อใหม่", "issues-TOTAL_FORMS": "1", "issues-0-level": "project",
                     "issues-0-problem": "ปัญหา", "issues-0-position": "0"})
        refusing = mock.Mock(side_effect=ValidationError("ปิดรับบันทึกปัญหา"))
        with mock.patch.dict(TransferProjectAdmin.save_services, {Issue: refusing}):
            response = self.client.post(url, data, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "ปิดรับบันทึกปัญหา")
        self.assertFalse(Issue.objects.filter(project=self.project).exists())
        self.assertNotEqual(TransferProject.objects.get(pk=self.project.pk).title, "ชื่อใหม่")
