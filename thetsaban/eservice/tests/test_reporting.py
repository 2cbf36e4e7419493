import io
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from thetsaban.accounts.models import AuditEntry
from thetsaban.eservice.models import MeToo, Photo, ServiceRequest
from thetsaban.eservice.tests.base import NEAR_LAT, NEAR_LON, SK_LAT, SK_LON, EserviceTestCase, jpeg

REPORT = reverse("eservice:report")


class ReportPageTests(EserviceTestCase):
    def post(self, **extra):
        data = {"lat": SK_LAT, "lon": SK_LON, "service": self.lights.pk, "description": "ไฟดับทั้งซอย",
                "attribute[pole]": "A-12", "attribute[kind][]": ["off", "blink"],
                "contact_email": "citizen@example.org", "contact_name": "ผู้แจ้ง"}
        data.update(extra)
        return self.client.post(f"{REPORT}?lat={SK_LAT}&lon={SK_LON}", data)

    def test_step_one_asks_where_in_thai(self):
        response = self.client.get(REPORT)
        self.assertContains(response, 'id="report-map"')
        self.assertContains(response, "กรุงเทพมหานคร")  # the provinces from geothai

    def test_step_two_names_the_lgu_found_and_its_services_and_the_pdpa_notice(self):
        response = self.client.get(REPORT, {"lat": SK_LAT, "lon": SK_LON})
        self.assertContains(response, self.lgu.name_en)
        self.assertContains(response, "Street lights")
        self.assertContains(response, "PDPA")
        self.assertNotContains(response, "confirm_lgu")

    def test_an_address_finds_the_lgu_by_its_subdistrict(self):
        response = self.client.get(REPORT, {"province": "57", "district": "5701", "subdistrict": "570101"})
        self.assertContains(response, self.other_lgu.name_en)

    def test_the_nearest_lgu_must_be_confirmed(self):
        response = self.client.get(REPORT, {"lat": 19.5, "lon": 99.9})
        self.assertContains(response, "confirm_lgu")
        url = f"{REPORT}?lat=19.5&lon=99.9"
        data = {"lat": 19.5, "lon": 99.9, "service": self.other_lights.pk, "description": "ไฟดับ"}
        self.client.post(url, data)
        self.assertFalse(ServiceRequest.objects.exists())
        self.client.post(url, {**data, "confirm_lgu": "on"})
        self.assertEqual(ServiceRequest.objects.get().lgu, self.other_lgu)

    def test_a_place_no_lgu_serves_is_refused_with_a_message(self):
        response = self.client.get(REPORT, {"province": "10", "district": "1001", "subdistrict": "100101"})
        self.assertContains(response, "No local government of the league takes requests for this place yet.")

    def test_an_anonymous_citizen_reports_with_a_photo_whose_gps_is_stripped(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(photos=[jpeg(gps=True)])
        item = ServiceRequest.objects.get()
        self.assertRedirects(response, item.get_absolute_url() + f"?key={item.reporter_key}")
        self.assertEqual(item.lgu, self.lgu)
        self.assertEqual(item.attributes, {"pole": "A-12", "kind": ["off", "blink"]})
        photo = Photo.objects.get()
        with photo.image.open("rb") as handle, Image.open(handle) as image:
            self.assertEqual(dict(image.getexif()), {})
            self.assertNotIn(b"PhoneMaker", photo.image.open("rb").read())
        self.assertEqual(mail.outbox[0].to, ["citizen@example.org"])
        self.assertIn(str(item.reporter_key), mail.outbox[0].body)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(item.pk), action="create").exists())

    def test_a_missing_required_attribute_is_named_and_nothing_is_kept(self):
        response = self.post(**{"attribute[pole]": ""})
        self.assertContains(response, "เลขเสาไฟ is required.")
        self.assertFalse(ServiceRequest.objects.exists())

    def test_a_file_that_is_not_an_image_is_refused_by_its_content(self):
        fake = jpeg(name="lamp.jpg")
        fake.file = io.BytesIO(b"<html>not an image</html>")
        fake.size = 25
        response = self.post(photos=[fake])
        self.assertContains(response, "lamp.jpg is not a readable image.")
        self.assertFalse(ServiceRequest.objects.exists())
        self.assertFalse(Photo.objects.exists())

    @override_settings(ESERVICE_MAX_PHOTO_MB=0)
    def test_an_oversized_photo_is_refused(self):
        response = self.post(photos=[jpeg()])
        self.assertContains(response, "is larger than 0 MB")
        self.assertFalse(ServiceRequest.objects.exists())

    def test_a_description_over_4000_characters_is_refused(self):
        response = self.post(description="ก" * 4001)
        self.assertContains(response, "4000")
        self.assertFalse(ServiceRequest.objects.exists())

    def test_likely_duplicates_are_shown_before_sending_and_me_too_counts(self):
        first = self.report()
        response = self.client.post(f"{REPORT}?lat={NEAR_LAT}&lon={NEAR_LON}", {
            "lat": NEAR_LAT, "lon": NEAR_LON, "service": self.lights.pk, "attribute[pole]": "A-12"})
        self.assertContains(response, "Is it one of these?")
        self.assertContains(response, f"#{first.pk}")
        self.assertEqual(ServiceRequest.objects.count(), 1)
        self.login(self.neighbour)
        self.client.post(reverse("eservice:me_too", args=[first.pk]))
        self.assertEqual(MeToo.objects.get().user, self.neighbour)
        response = self.client.get(first.get_absolute_url())
        self.assertContains(response, "You said you have the same problem.")
        self.client.post(f"{REPORT}?lat={NEAR_LAT}&lon={NEAR_LON}", {
            "lat": NEAR_LAT, "lon": NEAR_LON, "service": self.lights.pk, "attribute[pole]": "A-13",
            "send_anyway": "on"})
        self.assertEqual(ServiceRequest.objects.count(), 2)

    def test_anonymous_me_too_asks_to_sign_in(self):
        first = self.report()
        response = self.client.post(reverse("eservice:me_too", args=[first.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(MeToo.objects.exists())

    def test_the_reporters_contact_is_never_public(self):
        item = self.report(contact_email="secret@example.org", contact_phone="0812345678", contact_name="นายลับ")
        for user in (None, self.member, self.outsider, self.neighbour):
            self.login(user)
            response = self.client.get(item.get_absolute_url())
            self.assertContains(response, "ไฟดับหน้าบ้าน")
            for private in ("secret@example.org", "0812345678", "นายลับ", "reporter@example.org"):
                self.assertNotContains(response, private)
        self.login(self.editor)
        self.assertContains(self.client.get(item.get_absolute_url()), "secret@example.org")

    def test_the_nearby_check_lists_the_same_service_only(self):
        first = self.report()
        body = self.client.get(reverse("eservice:nearby"), {"lat": NEAR_LAT, "lon": NEAR_LON,
                                                              "service": self.lights.pk}).json()
        self.assertEqual([item["id"] for item in body["items"]], [first.pk])
        body = self.client.get(reverse("eservice:nearby"), {"lat": "x", "service": "y"}).json()
        self.assertEqual(body["items"], [])

    def test_the_address_lists_come_from_geothai(self):
        body = self.client.get(reverse("eservice:places"), {"district": "8405"}).json()
        self.assertEqual([item["code"] for item in body["items"]], ["840501", "840502", "840503"])

    def test_photos_are_served_without_their_metadata(self):
        item = self.report(photos=[jpeg(gps=True)])
        photo = item.photos.get()
        response = self.client.get(reverse("eservice:thumb", args=[photo.pk]))
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertNotIn(b"PhoneMaker", b"".join(response.streaming_content))

    def test_a_mail_server_failure_does_not_lose_the_request(self):
        with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError):
            with self.assertLogs("thetsaban.eservice", "ERROR"), self.captureOnCommitCallbacks(execute=True):
                self.post()
        self.assertEqual(ServiceRequest.objects.count(), 1)
