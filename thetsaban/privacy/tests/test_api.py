"""The privacy API: a member files and follows their own requests and downloads the copy once
it is completed; another member, another LGU's editor and an anonymous client get nothing."""

from thetsaban.privacy import services
from thetsaban.privacy.choices import RequestKind
from thetsaban.privacy.models import SubjectRequest
from thetsaban.privacy.tests.base import PrivacyTestCase

LIST = "/api/v1/privacy-requests/"


class PrivacyApiTests(PrivacyTestCase):
    def test_a_member_files_a_request_and_reads_its_due_date(self):
        self.login(self.reporter)
        response = self.client.post(LIST, {"kind": "access"}, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        made = SubjectRequest.objects.get()
        self.assertEqual(response.json()["due_on"], made.due_on.isoformat())
        self.assertEqual(response.json()["copy_url"], None)
        again = self.client.post(LIST, {"kind": "access"}, content_type="application/json")
        self.assertEqual(again.status_code, 400)
        self.assertIn("kind", again.json())
        bad = self.client.post(LIST, {"kind": "everything"}, content_type="application/json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("kind", bad.json())

    def test_anonymous_clients_cannot_file_or_read(self):
        made = services.file_request(self.reporter, kind=RequestKind.ACCESS, acting_user=self.reporter)
        self.assertIn(self.client.post(LIST, {"kind": "access"}, content_type="application/json").status_code,
                      (401, 403))
        self.assertEqual(self.client.get(LIST).json()["results"], [])
        self.assertEqual(self.client.get(f"{LIST}{made.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"{LIST}{made.pk}/copy/").status_code, 404)

    def test_only_the_subject_and_staff_download_the_copy(self):
        self.report_with_contacts()
        made = services.file_request(self.reporter, kind=RequestKind.ACCESS, acting_user=self.reporter)
        url = f"{LIST}{made.pk}/copy/"
        self.login(self.reporter)
        self.assertEqual(self.client.get(url).status_code, 404)
        services.complete_request(made, outcome="", acting_user=self.staff)
        detail = self.client.get(f"{LIST}{made.pk}/").json()
        self.assertTrue(detail["copy_url"].endswith(url))
        response = self.client.get(url)
        self.assertEqual((response.status_code, response["Content-Type"]), (200, "application/zip"))
        for user in (self.neighbour, self.editor, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.get(LIST).json()["results"], [])
        self.login(self.staff)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual([r["id"] for r in self.client.get(LIST).json()["results"]], [made.pk])
