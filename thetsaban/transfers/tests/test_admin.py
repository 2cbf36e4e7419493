"""Administration saves are audited, inline rows included."""

from thetsaban.accounts.models import AuditEntry
from thetsaban.practices.choices import ReviewStatus
from thetsaban.practices.tests.base import make_practice
from thetsaban.testing import admin_form_data
from thetsaban.transfers.models import Issue, TransferProject
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
