"""No PDPA page, API route or admin page lets anyone but league staff and the person themself see
a request, a breach, the register or what it finds: not the editor of the LGU the person reported
to, not another LGU's editor, not another member, not an anonymous visitor."""

from django.urls import reverse

from thetsaban.privacy import services
from thetsaban.privacy.choices import RequestKind
from thetsaban.privacy.models import Breach
from thetsaban.privacy.tests.base import PrivacyTestCase
from thetsaban.testing import ThetsabanTestCase

API = "/api/v1/privacy-requests/"


class PdpaLeakTests(PrivacyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.breach = Breach.objects.create(
            title="ตัวอย่าง (example data) รายชื่อผู้แจ้งรั่ว", description="x", data_affected="x", risk="risk",
            discovered_at="2026-11-01T10:00:00+07:00")

    def setUp(self):
        super().setUp()
        # The reporter reported to the editor's LGU (with contacts), then asked for their data.
        self.report_with_contacts()
        self.made = services.file_request(self.reporter, kind=RequestKind.ACCESS, acting_user=self.reporter)
        services.complete_request(self.made, outcome="", acting_user=self.staff)
        self.personal = ("reporter@example.org", "Example-Firstname", "081-234-5678")

    def staff_pages(self):
        return [reverse("privacy:queue"), reverse("privacy:request_record"), reverse("privacy:register"),
                reverse("privacy:register_csv"), reverse("privacy:breaches"), reverse("privacy:breach_new"),
                reverse("privacy:breach", args=[self.breach.pk])]

    def own_pages(self):
        return [self.made.get_absolute_url(), reverse("privacy:request_export", args=[self.made.pk]),
                f"{API}{self.made.pk}/", f"{API}{self.made.pk}/copy/"]

    def admin_pages(self):
        return [reverse("admin:privacy_subjectrequest_changelist"), reverse("admin:privacy_register"),
                reverse("admin:privacy_subjectrequest_change", args=[self.made.pk]),
                reverse("admin:privacy_breach_changelist"), reverse("admin:privacy_erasure_changelist"),
                reverse("admin:accounts_deletionrequest_changelist"),
                reverse("accounts:history", args=["privacy", "subjectrequest", self.made.pk])]

    def assert_nothing_personal(self, response):
        text = response.content.decode(errors="replace")
        for value in (*self.personal, self.made.reference, "รายชื่อผู้แจ้งรั่ว"):
            self.assertNotIn(value, text)

    def test_staff_see_every_page_with_the_persons_data(self):
        self.login(self.staff)
        for url in self.staff_pages() + self.own_pages() + self.admin_pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        self.assertContains(self.client.get(reverse("privacy:queue")), self.made.reference)
        self.assertContains(self.client.get(reverse("privacy:breaches")), "รายชื่อผู้แจ้งรั่ว")
        self.assertEqual([r["id"] for r in self.client.get(API).json()["results"]], [self.made.pk])

    def test_the_person_sees_their_own_request_and_copy_and_no_staff_page(self):
        self.login(self.reporter)
        for url in self.own_pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        for url in self.staff_pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        for url in self.admin_pages()[:-1]:
            with self.subTest(url=url):
                self.assertIn(reverse("admin:login"), self.client.get(url)["Location"])

    def test_editors_of_this_lgu_and_another_and_other_members_see_nothing_of_it(self):
        for user in (self.editor, self.outsider, self.neighbour, self.reviewer):
            self.login(user)
            for url in self.staff_pages():
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 403)
                    self.assert_nothing_personal(response)
            for url in self.own_pages():
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 404)
                    self.assert_nothing_personal(response)
            for url in self.admin_pages():
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, (302, 404))
                    self.assert_nothing_personal(response)
            self.assertEqual(self.client.get(API).json()["results"], [])
            for url in (reverse("privacy:home"), reverse("accounts:delete_account")):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_nothing_personal(response)
            # Nor can they act on it.
            for url, data in ((reverse("privacy:request_decide", args=[self.made.pk]), {"decision": "complete"}),
                              (reverse("privacy:request_withdraw", args=[self.made.pk]), {})):
                self.assertIn(self.client.post(url, data).status_code, (403, 404))

    def test_anonymous_visitors_are_asked_to_sign_in_and_shown_nothing(self):
        self.client.logout()
        for url in self.staff_pages() + self.own_pages()[:2] + [reverse("privacy:home")]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("accounts:login"), response["Location"])
        for url in self.admin_pages()[:-1]:
            with self.subTest(url=url):
                self.assertIn(reverse("admin:login"), self.client.get(url)["Location"])
        for url in self.own_pages()[2:] + self.admin_pages()[-1:]:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 404)
                self.assert_nothing_personal(response)
        self.assertEqual(self.client.get(API).json()["results"], [])


class NavigationTests(ThetsabanTestCase):
    def test_the_staff_queue_is_not_offered_to_an_lgu_editor(self):
        self.login(self.editor)
        page = self.client.get(reverse("privacy:home")).content.decode()
        self.assertNotIn(reverse("privacy:queue"), page)
        self.assertNotIn(reverse("privacy:breaches"), page)
        self.login(self.staff)
        self.assertContains(self.client.get(reverse("privacy:home")), reverse("privacy:queue"))
