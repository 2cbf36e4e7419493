"""Each permission rule for staff, the practice's LGU editor, an outsider, a reviewer, a member
and an anonymous visitor, through the pages and the API. Who may see, change and act on a
practice of each status is in the permission matrix (thetsaban/tests/test_permission_matrix.py);
these tests keep the workflow, the lists and the messages."""

from django.urls import reverse

from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice
from thetsaban.practices.tests.base import PracticeTestCase


class PagePermissionTests(PracticeTestCase):
    def detail(self, practice):
        return self.client.get(reverse("practices:detail", args=[practice.pk]))

    def test_public_list_shows_only_published_even_to_staff(self):
        for user in (None, self.editor, self.staff):
            self.login(user)
            response = self.client.get(reverse("practices:list"))
            titles = [p.title_th for p in response.context["page"]]
            self.assertEqual(titles, ["ตลาดเก่าของชุมชน"])

    def test_history_link_only_for_staff(self):
        url = reverse("accounts:history", args=["practices", "practice", self.draft.pk])
        self.login(self.staff)
        self.assertContains(self.detail(self.draft), url)
        self.login(self.editor)
        self.assertNotContains(self.detail(self.draft), url)

    def test_editor_edits_own_draft_outsider_cannot(self):
        url = reverse("practices:edit", args=[self.draft.pk])
        self.login(self.editor)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(None)
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_editor_cannot_edit_a_submitted_practice(self):
        self.login(self.editor)
        response = self.client.get(reverse("practices:edit", args=[self.submitted.pk]))
        self.assertRedirects(response, self.submitted.get_absolute_url())

    def test_member_cannot_add_a_practice(self):
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("practices:create")).status_code, 403)

    def test_editor_submits_outsider_cannot(self):
        url = reverse("practices:submit", args=[self.draft.pk])
        self.login(self.outsider)
        self.client.post(url)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, ReviewStatus.DRAFT)
        self.login(self.editor)
        self.client.post(url)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.status, ReviewStatus.SUBMITTED)

    def test_editor_cannot_publish_through_the_page(self):
        self.login(self.editor)
        response = self.client.post(reverse("practices:publish", args=[self.submitted.pk]),
                                    {"tier": Tier.BEST}, follow=True)
        self.assertContains(response, "Only a reviewer can publish")
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, ReviewStatus.SUBMITTED)

    def test_reviewer_publishes_and_returns_through_the_page(self):
        self.login(self.reviewer)
        self.client.post(reverse("practices:publish", args=[self.submitted.pk]), {"tier": Tier.BEST})
        self.submitted.refresh_from_db()
        self.assertEqual((self.submitted.status, self.submitted.tier), (ReviewStatus.PUBLISHED, Tier.BEST))
        other = Practice.objects.create(lgu=self.lgu, title_th="อีกโครงการ", summary="ส",
                                        status=ReviewStatus.SUBMITTED)
        response = self.client.post(reverse("practices:return", args=[other.pk]), {"comment": ""},
                                    follow=True)
        self.assertContains(response, "Write what the editor should change")
        self.client.post(reverse("practices:return", args=[other.pk]), {"comment": "เพิ่มข้อมูล"})
        other.refresh_from_db()
        self.assertEqual(other.status, ReviewStatus.RETURNED)

    def test_review_queue_is_for_reviewers_and_lists_only_submitted(self):
        for user, status in ((None, 302), (self.member, 404), (self.editor, 404), (self.outsider, 404)):
            self.login(user)
            self.assertEqual(self.client.get(reverse("practices:review_queue")).status_code, status)
        for user in (self.reviewer, self.staff):
            self.login(user)
            response = self.client.get(reverse("practices:review_queue"))
            self.assertEqual([p.pk for p in response.context["page"]], [self.submitted.pk])

    def test_my_work_lists_every_status_of_my_lgus_only(self):
        self.login(self.editor)
        response = self.client.get(reverse("practices:mine"))
        self.assertEqual({p.pk for p in response.context["page"]},
                         {self.published.pk, self.draft.pk, self.submitted.pk, self.returned.pk})
        self.login(self.outsider)
        response = self.client.get(reverse("practices:mine"))
        self.assertEqual(list(response.context["page"]), [])

    def test_returned_comments_shown_to_the_editor(self):
        self.login(self.editor)
        self.assertContains(self.detail(self.returned), "เพิ่มผลลัพธ์")


class ApiPermissionTests(PracticeTestCase):
    def ids(self, response):
        return {row["id"] for row in response.json()["results"]}

    def test_api_list_follows_restrict(self):
        expected = {
            None: {self.published.pk},
            "member": {self.published.pk},
            "outsider": {self.published.pk},
            "editor": {self.published.pk, self.draft.pk, self.submitted.pk, self.returned.pk},
            "reviewer": {self.published.pk, self.submitted.pk},
            "staff": {self.published.pk, self.draft.pk, self.submitted.pk, self.returned.pk},
        }
        for name, ids in expected.items():
            self.login(getattr(self, name) if name else None)
            with self.subTest(user=name):
                self.assertEqual(self.ids(self.client.get("/api/v1/practices/")), ids)

    def test_anonymous_writes_are_refused(self):
        self.login(None)
        body = {"lgu": self.lgu.code, "title_th": "ใหม่", "summary": "ส", "themes": ["governance"]}
        self.assertIn(self.client.post("/api/v1/practices/", body, content_type="application/json").status_code, (401, 403))
        self.assertIn(self.client.patch(f"/api/v1/practices/{self.published.pk}/", {"title_th": "x"},
                                        content_type="application/json").status_code, (401, 403))
        for action in ("submit", "publish", "return"):
            response = self.client.post(f"/api/v1/practices/{self.submitted.pk}/{action}/",
                                        {"tier": "good", "comment": "x"}, content_type="application/json")
            self.assertIn(response.status_code, (401, 403))
        self.assertIn(self.client.post("/api/v1/themes/", {"code": "x", "name_th": "x"},
                                       content_type="application/json").status_code, (401, 403))

    def test_editor_creates_and_updates_through_the_api(self):
        self.login(self.editor)
        response = self.client.post("/api/v1/practices/", {
            "lgu": self.lgu.code, "title_th": "ศูนย์ดูแลผู้สูงอายุ", "summary": "ส",
            "themes": ["participation"]}, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        practice = Practice.objects.get(pk=response.json()["id"])
        self.assertEqual(practice.status, ReviewStatus.DRAFT)
        self.assertEqual(practice.created_by, self.editor)
        response = self.client.patch(f"/api/v1/practices/{practice.pk}/", {"title_en": "Elderly care"},
                                     content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        response = self.client.post(f"/api/v1/practices/{practice.pk}/submit/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], ReviewStatus.SUBMITTED)

    def test_outsider_cannot_create_for_another_lgu_or_edit_or_submit(self):
        self.login(self.outsider)
        response = self.client.post("/api/v1/practices/", {
            "lgu": self.lgu.code, "title_th": "ใหม่", "summary": "ส", "themes": ["governance"]},
            content_type="application/json")
        self.assertEqual(response.status_code, 403)
        response = self.client.patch(f"/api/v1/practices/{self.published.pk}/", {"title_th": "x"},
                                     content_type="application/json")
        self.assertEqual(response.status_code, 403)
        response = self.client.post(f"/api/v1/practices/{self.draft.pk}/submit/")
        self.assertEqual(response.status_code, 404)  # the draft is invisible to the outsider

    def test_editor_cannot_publish_through_the_api(self):
        self.login(self.editor)
        response = self.client.post(f"/api/v1/practices/{self.submitted.pk}/publish/", {"tier": "good"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 403)

    def test_reviewer_publishes_and_returns_through_the_api(self):
        self.login(self.reviewer)
        response = self.client.post(f"/api/v1/practices/{self.submitted.pk}/publish/", {"tier": "best"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["tier"], "best")
        response = self.client.post(f"/api/v1/practices/{self.submitted.pk}/return/", {"comment": "x"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only a submitted practice can be returned", response.content.decode())

    def test_bad_workflow_input_is_400_with_a_message(self):
        self.login(self.reviewer)
        response = self.client.post(f"/api/v1/practices/{self.submitted.pk}/publish/", {"tier": "gold"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("tier", response.json())
        response = self.client.post(f"/api/v1/practices/{self.submitted.pk}/return/", {},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("comment", response.json())

    def test_editor_update_of_submitted_practice_is_400(self):
        self.login(self.editor)
        response = self.client.patch(f"/api/v1/practices/{self.submitted.pk}/", {"title_th": "x"},
                                     content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be changed", response.content.decode())

    def test_themes_read_for_all_written_by_staff(self):
        self.login(None)
        self.assertEqual(len(self.client.get("/api/v1/themes/").json()), 4)
        self.login(self.editor)
        response = self.client.patch("/api/v1/themes/budget/", {"name_en": "Budget"},
                                     content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.login(self.staff)
        response = self.client.patch("/api/v1/themes/budget/", {"name_en": "Budget"},
                                     content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["name_en"], "Budget")


class ContactVisibilityTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from thetsaban.directory.models import ContactDetail, Person

        cls.person = Person.objects.create(name_th="ผู้ประสานงานตัวอย่าง", listing_consent=True,
                                           visibility="public")
        ContactDetail.objects.create(person=cls.person, kind="email", value="public@example.org",
                                     visibility="public", consent=True)
        ContactDetail.objects.create(person=cls.person, kind="phone", value="0-0000-0001",
                                     visibility="members", consent=True)
        ContactDetail.objects.create(person=cls.person, kind="mobile", value="0-0000-0002",
                                     visibility="staff", consent=True)
        ContactDetail.objects.create(person=cls.person, kind="line", value="no-consent-id",
                                     visibility="public", consent=False)
        cls.hidden = Person.objects.create(name_th="บุคคลไม่ยินยอมตัวอย่าง", listing_consent=False)
        cls.published.contacts.set([cls.person, cls.hidden])

    def test_each_viewer_sees_only_the_details_they_may(self):
        expected = {
            None: {"public@example.org"},
            "member": {"public@example.org", "0-0000-0001"},
            "staff": {"public@example.org", "0-0000-0001", "0-0000-0002", "no-consent-id"},
        }
        every = {"public@example.org", "0-0000-0001", "0-0000-0002", "no-consent-id"}
        for name, visible in expected.items():
            self.login(getattr(self, name) if name else None)
            response = self.client.get(reverse("practices:detail", args=[self.published.pk]))
            with self.subTest(user=name):
                for value in visible:
                    self.assertContains(response, value)
                for value in every - visible:
                    self.assertNotContains(response, value)

    def test_a_person_who_did_not_consent_is_not_shown(self):
        self.login(None)
        response = self.client.get(reverse("practices:detail", args=[self.published.pk]))
        self.assertContains(response, "ผู้ประสานงานตัวอย่าง")
        self.assertNotContains(response, "บุคคลไม่ยินยอมตัวอย่าง")
        self.assertNotIn(self.hidden.pk, self.client.get(
            f"/api/v1/practices/{self.published.pk}/").json()["contacts"])
