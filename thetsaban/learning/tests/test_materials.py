"""A module's materials on the course pages: league staff and the course's centre staff add,
change and remove links and files (files checked as every upload is, every write audited);
another centre's staff and members are not let in, anonymous visitors are sent to sign in; the
visitors of a published course see the materials and download the files."""

import os
import shutil
import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.learning import services
from thetsaban.learning.models import Material, Module
from thetsaban.learning.tests.test_courses import CourseFixture

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEDIA = tempfile.mkdtemp(prefix="learning-tests-")


def material_audit(material_pk) -> list[tuple]:
    return list(AuditEntry.objects.filter(content_type__model="material", object_id=str(material_pk))
                .order_by("pk").values_list("action", "actor__username"))


def stored_materials() -> list[str]:
    folder = os.path.join(MEDIA, "learning", "materials")
    return sorted(os.path.join(path, name) for path, _dirs, names in os.walk(folder) for name in names)


@override_settings(MEDIA_ROOT=MEDIA, MAX_UPLOAD_MB=1)
class MaterialTests(CourseFixture):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def tearDown(self):
        shutil.rmtree(os.path.join(MEDIA, "learning"), ignore_errors=True)

    def new_url(self, module=None):
        return reverse("learning:material_new", args=[(module or self.first).pk])

    def module_url(self, module=None):
        module = module or self.first
        return f"{module.course.get_absolute_url()}#module-{module.pk}"

    def test_centre_staff_and_league_staff_add_change_and_remove_a_link_and_each_write_is_audited(self):
        for user in (self.south_staff, self.staff):
            with self.subTest(user=user.username):
                self.login(user)
                page = self.client.get(self.course.get_absolute_url())
                self.assertContains(page, f'href="{self.new_url()}"')
                response = self.client.post(self.new_url(), {"title": "สไลด์ประกอบการบรรยาย",
                                                             "url": "https://example.org/slides"})
                self.assertRedirects(response, self.module_url(), fetch_redirect_response=False)
                material = Material.objects.get(module=self.first)
                self.assertEqual((material.title, material.url), ("สไลด์ประกอบการบรรยาย", "https://example.org/slides"))
                edit = reverse("learning:material_edit", args=[material.pk])
                self.assertContains(self.client.get(self.course.get_absolute_url()), f'href="{edit}"')
                response = self.client.post(edit, {"title": "สไลด์ (ฉบับปรับปรุง)", "url": "https://example.org/v2"},
                                            follow=True)
                self.assertContains(response, "The material was saved.")
                self.assertContains(response, 'href="https://example.org/v2"')
                entry = AuditEntry.objects.filter(content_type__model="material", object_id=str(material.pk)).latest("pk")
                self.assertEqual((entry.before["url"], entry.after["url"]), ("https://example.org/slides",
                                                                              "https://example.org/v2"))
                response = self.client.post(reverse("learning:material_delete", args=[material.pk]), follow=True)
                self.assertContains(response, "The material was removed.")
                self.assertNotContains(response, "https://example.org/v2")
                self.assertFalse(Material.objects.filter(pk=material.pk).exists())
                self.assertEqual(material_audit(material.pk), [("create", user.username), ("update", user.username),
                                                               ("delete", user.username)])

    def test_a_file_is_checked_stored_shown_to_visitors_of_the_published_course_and_removed_with_it(self):
        self.login(self.south_staff)
        response = self.client.post(self.new_url(), {
            "title": "คู่มือการคัดแยกขยะ", "url": "", "file": SimpleUploadedFile("handbook.pdf", PDF)})
        self.assertRedirects(response, self.module_url(), fetch_redirect_response=False)
        material = Material.objects.get(module=self.first)
        self.assertEqual(material.file.read(), PDF)
        material.file.close()
        self.assertEqual(material_audit(material.pk), [("create", "south-staff")])
        # An anonymous visitor of the published course sees it and downloads it through the
        # platform's own link (never the store's).
        self.login(None)
        download = reverse("learning:material", args=[material.pk])
        page = self.client.get(self.course.get_absolute_url())
        self.assertContains(page, f'<a href="{download}">คู่มือการคัดแยกขยะ</a>', html=True)
        self.assertNotContains(page, "Add a material")
        response = self.client.get(download)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")
        # Removing the material removes its stored file once the removal is committed.
        self.login(self.south_staff)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("learning:material_delete", args=[material.pk]))
        self.assertEqual(stored_materials(), [])
        self.assertEqual(self.client.get(download).status_code, 404)

    def test_a_file_replaced_by_a_link_leaves_the_store(self):
        material = services.save_material(Material(module=self.first, title="คู่มือ",
                                                   file=SimpleUploadedFile("handbook.pdf", PDF)),
                                          acting_user=self.south_staff)
        self.assertEqual(len(stored_materials()), 1)
        self.login(self.south_staff)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("learning:material_edit", args=[material.pk]),
                                        {"title": "คู่มือ (ออนไลน์)", "url": "https://example.org/handbook",
                                         "file-clear": "on"})
        self.assertEqual(response.status_code, 302)
        material.refresh_from_db()
        self.assertEqual((material.url, material.file.name), ("https://example.org/handbook", ""))
        self.assertEqual(stored_materials(), [])

    def test_a_bad_link_or_a_refused_file_is_named_on_its_field_and_nothing_is_written(self):
        big = PDF + b"0" * (1024 * 1024 + 1)
        cases = [
            ({"url": "javascript:alert(1)"}, "url", "Enter a valid URL."),
            ({"url": "ftp://example.org/slides"}, "url", "Enter a valid URL."),
            ({"url": ""}, "url", "Give a link or a file."),
            ({"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")}, "file", "Files of type .exe cannot be attached"),
            ({"file": SimpleUploadedFile("slides.pdf", b"<html>not a pdf</html>")}, "file",
             "The content of slides.pdf is not a real .pdf file."),
            ({"file": SimpleUploadedFile("big.pdf", big)}, "file", "the limit is 1 MB"),
            ({"url": "https://example.org/x", "file": SimpleUploadedFile("a.pdf", PDF)}, "url",
             "Give a link or a file, not both."),
        ]
        self.login(self.south_staff)
        for data, field, message in cases:
            with self.subTest(message=message):
                response = self.client.post(self.new_url(), {"title": "เอกสาร", "url": "", **data})
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, " ".join(response.context["form"].errors[field]))
                self.assertContains(response, message)
        self.assertFalse(Material.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(content_type__model="material").exists())
        self.assertEqual(stored_materials(), [])

    def test_another_centres_staff_and_members_are_not_let_in_and_anonymous_visitors_are_sent_to_sign_in(self):
        material = services.save_material(Material(module=self.first, title="สไลด์", url="https://example.org/s"),
                                          acting_user=self.south_staff)
        new, edit = self.new_url(), reverse("learning:material_edit", args=[material.pk])
        delete = reverse("learning:material_delete", args=[material.pk])
        change = {"title": "บุกรุก", "url": "https://example.org/evil"}
        for url in (new, edit, delete):
            response = self.client.post(url, change)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])
        for user in (self.north_staff, self.outsider, self.second_member):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertNotContains(self.client.get(self.course.get_absolute_url()), "Add a material")
                for url in (new, edit):
                    self.assertEqual(self.client.get(url).status_code, 404)
                for url in (new, edit, delete):
                    self.assertEqual(self.client.post(url, change).status_code, 404)
        # North's staff keep their own course's materials, not the south's.
        self.login(self.north_staff)
        self.assertEqual(self.client.get(self.new_url(self.north_module)).status_code, 200)
        material.refresh_from_db()
        self.assertEqual((material.title, material.url), ("สไลด์", "https://example.org/s"))
        self.assertEqual(Material.objects.count(), 1)
        self.assertEqual(material_audit(material.pk), [("create", "south-staff")])
        with self.assertRaises(PermissionDenied):
            services.delete_material(material, acting_user=self.north_staff)

    def test_a_material_does_not_move_to_another_course(self):
        material = services.save_material(Material(module=self.first, title="สไลด์", url="https://example.org/s"),
                                          acting_user=self.south_staff)
        material.module = self.north_module
        with self.assertRaisesMessage(PermissionDenied, "A material stays in its module."):
            services.save_material(material, acting_user=self.staff)

    def test_a_draft_courses_file_is_not_served_to_visitors(self):
        module = Module.objects.create(course=self.draft_course, title="โมดูลร่าง")
        material = Material.objects.create(module=module, title="ร่างเอกสาร")
        material.file.save("draft.pdf", ContentFile(PDF))
        download = reverse("learning:material", args=[material.pk])
        for user in (None, self.north_staff, self.second_member):
            self.login(user)
            self.assertEqual(self.client.get(download).status_code, 404)
        self.login(self.south_staff)
        self.assertEqual(self.client.get(download).status_code, 200)
        default_storage.delete(material.file.name)

    def test_the_api_shows_the_materials_and_takes_no_writes(self):
        material = services.save_material(Material(module=self.first, title="คู่มือ",
                                                   file=SimpleUploadedFile("handbook.pdf", PDF)),
                                          acting_user=self.south_staff)
        url = f"/api/v1/learning-courses/{self.course.pk}/"
        row = self.client.get(url).json()["modules"][0]["materials"][0]
        self.assertEqual(row["title"], "คู่มือ")
        self.assertTrue(row["file"].endswith(reverse("learning:material", args=[material.pk])))
        self.login(self.south_staff)
        self.assertEqual(self.client.patch(url, {"title": "x"}, content_type="application/json").status_code, 405)
