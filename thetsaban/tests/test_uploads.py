"""MAX_UPLOAD_MB holds for every upload: a larger body is answered 413 before it is read, a file
just over the limit is a form error naming the field, and commands refuse larger files."""

import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from thetsaban.middleware import UploadLimitMiddleware
from thetsaban.places.models import Lgu
from thetsaban.testing import ThetsabanTestCase

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


@override_settings(MAX_UPLOAD_MB=1)
class UploadLimitMiddlewareTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def respond(self, path, length):
        request = RequestFactory().generic("POST", path, content_type="multipart/form-data; boundary=x")
        request.META["CONTENT_LENGTH"] = str(length)
        request.META["wsgi.input"] = UnreadableBody()
        request._stream = UnreadableBody()
        return UploadLimitMiddleware(lambda request: request.read())(request)

    def test_announced_body_over_the_limit_is_refused_unread(self):
        response = self.respond("/places/import/", 50 * MB)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.content.decode(), "The upload is larger than 1 MB; send a smaller file.")

    def test_body_without_a_length_is_not_read(self):
        request = RequestFactory().generic(
            "POST", "/places/import/", b"x" * 1024, content_type="multipart/form-data; boundary=x",
            CONTENT_LENGTH="", **{"wsgi.input": UnreadableBody()})
        response = UploadLimitMiddleware(lambda request: HttpResponse(len(request.FILES)))(request)
        self.assertEqual((response.status_code, response.content), (200, b"0"))

    def test_api_gets_a_json_413(self):
        response = self.respond("/api/v1/recommendations/", 50 * MB)
        self.assertEqual((response.status_code, json.loads(response.content)),
                         (413, {"detail": "The upload is larger than 1 MB; send a smaller file."}))


@override_settings(MAX_UPLOAD_MB=1)
class UploadLimitPageTests(ThetsabanTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def post(self, url, size, name="file.csv", field="file"):
        upload = SimpleUploadedFile(name, b"code,name_th\n" + b"x" * size)
        return self.client.post(url, {field: upload})

    def test_every_import_page_answers_413_to_a_large_upload(self):
        self.login(self.staff)
        for name in ("places:import", "coaching:import", "transfers:import"):
            response = self.post(reverse(name), 2 * MB)
            self.assertEqual(response.status_code, 413, name)
            self.assertIn(b"larger than 1 MB", response.content)

    def test_api_and_attachment_uploads_answer_413(self):
        self.login(self.staff)
        response = self.post("/api/v1/recommendations/", 2 * MB, name="a.pdf", field="attachment")
        self.assertEqual(response.status_code, 413)
        self.assertIn("larger than 1 MB", response.json()["detail"])
        response = self.post(reverse("practices:create"), 2 * MB, name="a.pdf",
                             field="attachments-0-file")
        self.assertEqual(response.status_code, 413)

    def test_file_just_over_the_limit_is_a_form_error_on_the_field(self):
        self.login(self.staff)
        for name in ("places:import", "coaching:import", "transfers:import"):
            response = self.post(reverse(name), MB + 1024)
            self.assertEqual(response.status_code, 400, name)
            self.assertEqual(response.context["form"].errors["file"],
                             ["The file is larger than 1 MB; split it into smaller files."], name)

    def test_import_command_refuses_a_file_over_the_limit(self):
        before = Lgu.objects.count()
        with TemporaryDirectory() as folder:
            path = Path(folder) / "lgus.csv"
            path.write_bytes(b"code,name_th,type,province\n" + b"1,x,city,90\n" * (MB // 10))
            err = io.StringIO()
            with self.assertRaises(CommandError):
                call_command("import_lgus", str(path), "--no-progress", stdout=io.StringIO(), stderr=err)
        self.assertIn("The file is larger than 1 MB", err.getvalue())
        self.assertEqual(Lgu.objects.count(), before)
