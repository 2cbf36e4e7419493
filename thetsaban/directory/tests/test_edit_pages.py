from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.directory import services
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import ContactDetail, Post
from thetsaban.directory.tests.base import DirectoryTestCase


class DirectoryEditPageTests(DirectoryTestCase):
    """Staff and the editor of the office's LGU keep its roles; nobody else may."""

    def post_data(self, **changes):
        data = {
            "label_th": "ผู้ประสานงานการจัดการขยะ", "label_en": "Waste coordinator",
            "responsibilities": "การจัดการขยะมูลฝอยและน้ำเสีย", "topics": [self.environment.pk],
            "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
            "contacts-0-kind": "email", "contacts-0-value": "waste-office@example.org",
            "contacts-0-label": "", "contacts-0-visibility": "public", "contacts-0-consent": "on",
        }
        data.update(changes)
        return data

    def test_who_may_open_the_edit_pages(self):
        urls = [reverse("directory:post_edit", args=[self.waste_post.pk]),
                reverse("directory:post_add", args=[self.office.pk]),
                reverse("directory:organisation_edit", args=[self.office.pk])]
        expected = {self.staff: 200, self.editor: 200, self.outsider: 404, self.member: 404}
        for user, status in expected.items():
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, status, (user, url))
        self.login(None)
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])

    def test_editor_changes_a_role_and_adds_a_contact_detail_audited(self):
        self.login(self.editor)
        url = reverse("directory:post_edit", args=[self.waste_post.pk])
        response = self.client.post(url, self.post_data())
        self.assertRedirects(response, self.office.get_absolute_url(), fetch_redirect_response=False)
        post = Post.objects.get(pk=self.waste_post.pk)
        self.assertEqual(post.responsibilities, "การจัดการขยะมูลฝอยและน้ำเสีย")
        detail = ContactDetail.objects.get(value="waste-office@example.org")
        self.assertEqual(detail.post, post)
        self.assertTrue(AuditEntry.objects.for_object(post).filter(actor=self.editor).exists())
        self.assertTrue(AuditEntry.objects.for_object(detail).filter(actor=self.editor).exists())

    def test_editor_adds_a_role_to_their_office(self):
        self.login(self.editor)
        response = self.client.post(reverse("directory:post_add", args=[self.office.pk]),
                                    self.post_data(label_th="ผู้ประสานงาน E-Gov"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Post.objects.filter(organisation=self.office,
                                            label_th="ผู้ประสานงาน E-Gov").exists())

    def test_outsider_cannot_post_to_another_lgus_role(self):
        self.login(self.outsider)
        url = reverse("directory:post_edit", args=[self.waste_post.pk])
        self.assertEqual(self.client.post(url, self.post_data(label_th="x")).status_code, 404)
        self.assertEqual(Post.objects.get(pk=self.waste_post.pk).label_th,
                         "ผู้ประสานงานการจัดการขยะ")

    def test_invalid_form_is_shown_again_with_the_field_named(self):
        self.login(self.editor)
        response = self.client.post(reverse("directory:post_edit", args=[self.waste_post.pk]),
                                    self.post_data(label_th="", **{"contacts-0-kind": "pigeon"}))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertFalse(response.context["form"].is_valid())

    def test_editor_edits_their_office(self):
        self.login(self.editor)
        response = self.client.post(
            reverse("directory:organisation_edit", args=[self.office.pk]),
            {"name_th": "เทศบาลนครสงขลา", "name_en": "Songkhla City Municipality",
             "abbreviation": "ทน.สงขลา", "other_names": "SK", "description": "สำนักงาน",
             "topics": [self.governance.pk]})
        self.assertEqual(response.status_code, 302)
        self.office.refresh_from_db()
        self.assertEqual(self.office.abbreviation, "ทน.สงขลา")
        self.assertEqual(self.office.lgu, self.lgu)
        self.assertTrue(AuditEntry.objects.for_object(self.office).filter(actor=self.editor).exists())
        self.assertContains(self.client.get(self.office.get_absolute_url()), "Edit organisation")


class PostEditHiddenContactTests(DirectoryTestCase):
    """The role form shows an editor only the contact details they may see."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.staff_detail = services.create_contact_detail(
            acting_user=None, post=cls.waste_post, kind=ContactKind.EMAIL,
            value="post-staff@example.org", visibility=Visibility.STAFF, consent=True)
        cls.unconsented_detail = services.create_contact_detail(
            acting_user=None, post=cls.waste_post, kind=ContactKind.EMAIL,
            value="post-unconsented@example.org", visibility=Visibility.PUBLIC, consent=False)

    def test_editor_never_sees_staff_only_or_unconsented_details_of_their_role(self):
        url = reverse("directory:post_edit", args=[self.waste_post.pk])
        self.login(self.editor)
        response = self.client.get(url)
        self.assertContains(response, "074-000-0002")
        self.assertNotContains(response, "post-staff@")
        self.assertNotContains(response, "post-unconsented@")
        self.login(self.staff)
        response = self.client.get(url)
        self.assertContains(response, "post-staff@")
        self.assertContains(response, "post-unconsented@")

    def test_editor_cannot_rewrite_a_hidden_detail_by_its_id(self):
        self.login(self.editor)
        response = self.client.post(
            reverse("directory:post_edit", args=[self.waste_post.pk]),
            {"label_th": "ผู้ประสานงานการจัดการขยะ", "topics": [self.environment.pk],
             "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "1",
             "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
             "contacts-0-id": str(self.staff_detail.pk), "contacts-0-kind": "email",
             "contacts-0-value": "post-staff@example.org", "contacts-0-visibility": "public",
             "contacts-0-consent": "on"})
        self.assertIn(response.status_code, (200, 302))
        self.staff_detail.refresh_from_db()
        self.assertEqual(self.staff_detail.visibility, Visibility.STAFF)
        self.assertFalse(AuditEntry.objects.for_object(self.staff_detail).filter(
            actor=self.editor).exists())
