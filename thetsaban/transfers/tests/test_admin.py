"""Administration saves are audited, inline rows included."""

from thetsaban.accounts.models import AuditEntry
from thetsaban.transfers.models import Issue
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
