import io
import shutil
import tempfile
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from thetsaban.practices.choices import ReviewStatus
from thetsaban.practices.models import Practice
from thetsaban.practices.tests.base import PracticeTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes(member="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return buffer.getvalue()


MEDIA = tempfile.mkdtemp(prefix="practices-tests-")


@override_settings(MEDIA_ROOT=MEDIA, MAX_UPLOAD_MB=1)
class EditorFormTests(PracticeTestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def form_data(self, **extra):
        data = {
            "lgu": self.lgu.pk, "title_th": "ศูนย์ดูแลผู้สูงอายุกลางวัน", "title_en": "",
            "themes": [t.pk for t in self.published.themes.all()], "maturity": "pilot",
            "summary": "ดูแลผู้สูงอายุในชุมชน", "recognition": "",
        }
        for prefix in ("steps", "results", "partners", "attachments"):
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                         f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        data.update(extra)
        return data

    def post_attachment(self, name, content, kind="document"):
        self.login(self.editor)
        upload = SimpleUploadedFile(name, content)
        return self.client.post(reverse("practices:create"), self.form_data(**{
            "attachments-TOTAL_FORMS": "1", "attachments-0-kind": kind,
            "attachments-0-title": "รายงาน", "attachments-0-file": upload}))

    def test_editor_creates_a_practice_with_steps_results_and_partners(self):
        self.login(self.editor)
        response = self.client.post(reverse("practices:create"), self.form_data(**{
            "steps-TOTAL_FORMS": "2",
            "steps-0-position": "1", "steps-0-title": "สำรวจผู้สูงอายุ", "steps-0-output": "ฐานข้อมูล",
            "steps-0-people": "อาสาสมัคร", "steps-0-budget": "10,000 บาท",
            "steps-1-position": "0", "steps-1-title": "", "steps-1-description": "",
            "results-TOTAL_FORMS": "1", "results-0-description": "ผู้สูงอายุได้รับการเยี่ยมบ้าน",
            "results-0-indicator": "จำนวนผู้สูงอายุ", "results-0-baseline": "10", "results-0-value": "80",
            "partners-TOTAL_FORMS": "1", "partners-0-name": "โรงพยาบาลส่งเสริมสุขภาพตำบล",
            "partners-0-support": "technical",
        }))
        practice = Practice.objects.get(title_th="ศูนย์ดูแลผู้สูงอายุกลางวัน")
        self.assertRedirects(response, practice.get_absolute_url())
        self.assertEqual(practice.status, ReviewStatus.DRAFT)
        self.assertEqual([s.title for s in practice.steps.all()], ["สำรวจผู้สูงอายุ"])
        self.assertEqual(practice.results.get().value, "80")
        self.assertEqual(practice.partners.get().get_support_display(), "Technical advice")

    def test_partner_row_needs_a_name_and_the_error_names_the_row(self):
        self.login(self.editor)
        response = self.client.post(reverse("practices:create"), self.form_data(**{
            "partners-TOTAL_FORMS": "1", "partners-0-support": "funding", "partners-0-detail": "ทุน"}))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose an organisation or write the partner")
        self.assertContains(response, "Row 1")

    def test_editor_cannot_add_a_practice_for_another_lgu(self):
        self.login(self.editor)
        response = self.client.post(reverse("practices:create"), self.form_data(lgu=self.other_lgu.pk))
        self.assertEqual(response.status_code, 200)
        self.assertIn("lgu", response.context["form"].errors)

    def test_real_pdf_is_accepted_with_its_size(self):
        response = self.post_attachment("report.pdf", PDF)
        self.assertEqual(response.status_code, 302)
        attachment = Practice.objects.get(title_th="ศูนย์ดูแลผู้สูงอายุกลางวัน").attachments.get()
        self.assertEqual(attachment.size, len(PDF))
        self.assertEqual(attachment.extension, ".pdf")
        detail = self.client.get(response["Location"])
        self.assertContains(detail, "PDF")

    def test_office_and_image_files_are_accepted(self):
        for name, content, kind in (("plan.docx", docx_bytes(), "document"), ("photo.png", PNG, "image")):
            with self.subTest(name=name):
                self.assertEqual(self.post_attachment(name, content, kind).status_code, 302)
                Practice.objects.filter(title_th="ศูนย์ดูแลผู้สูงอายุกลางวัน").delete()

    def test_wrong_type_is_refused(self):
        response = self.post_attachment("run.exe", b"MZ\x90\x00")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Files of type .exe cannot be attached")
        self.assertFalse(Practice.objects.filter(title_th="ศูนย์ดูแลผู้สูงอายุกลางวัน").exists())

    def test_fake_pdf_is_refused(self):
        response = self.post_attachment("report.pdf", b"<html>not a pdf</html>")
        self.assertContains(response, "is not a real .pdf file")

    def test_zip_renamed_to_docx_is_refused(self):
        response = self.post_attachment("plan.docx", docx_bytes(member="other.xml"))
        self.assertContains(response, "is not a real .docx file")

    def test_oversized_file_is_refused(self):
        response = self.post_attachment("big.pdf", PDF + b"0" * (1024 * 1024 + 1))
        self.assertContains(response, "the limit is 1 MB")

    def test_editor_edits_a_returned_practice_then_resubmits(self):
        self.login(self.editor)
        url = reverse("practices:edit", args=[self.returned.pk])
        data = self.form_data(title_th="โครงการถูกส่งกลับ (แก้ไข)")
        response = self.client.post(url, data)
        self.assertRedirects(response, self.returned.get_absolute_url())
        self.client.post(reverse("practices:submit", args=[self.returned.pk]))
        self.returned.refresh_from_db()
        self.assertEqual((self.returned.title_th, self.returned.status),
                         ("โครงการถูกส่งกลับ (แก้ไข)", ReviewStatus.SUBMITTED))
