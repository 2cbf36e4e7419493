"""Open311 GeoReport v2: the real `georeport` client reads the live server in JSON and XML; POSTs
are plain form posts as the spec writes them, the bad ones answered with the spec's errors."""

import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import requests as http
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.test import LiveServerTestCase, override_settings
from django.utils import timezone
from georeport import GeoReport

from thetsaban.accounts.models import User
from thetsaban.eservice import services
from thetsaban.eservice.choices import Datatype, Status
from thetsaban.eservice.models import ApiClient, Attribute, Photo, Service, ServiceRequest, Update
from thetsaban.eservice.tests.base import SK_BOUNDARY, SK_LAT, SK_LON, EserviceTestCase, jpeg
from thetsaban.testing import make_place_tree

BASE = "/open311/v2"


class Open311Setup:
    def build(self):
        self.lgu, self.other_lgu = make_place_tree()
        self.staff = User.objects.create(username="staff", is_staff=True, password=make_password("x"))
        services.join(self.lgu, boundary=SK_BOUNDARY)
        services.join(self.other_lgu)
        self.lights = Service.objects.get(lgu=self.lgu, code="street_lights")
        Attribute.objects.create(service=self.lights, code="pole", datatype=Datatype.STRING,
                                 description="เลขเสาไฟ", required=True, order=1)
        Attribute.objects.create(service=self.lights, code="kind", datatype=Datatype.MULTI, description="อาการ",
                                 order=2, values=[{"key": "off", "name": "ไม่ติด"}, {"key": "blink", "name": "กะพริบ"}])
        self.client_app = services.issue_api_key("LINE bot", acting_user=self.staff)
        self.backoffice = services.issue_api_key("Songkhla works system", acting_user=self.staff, lgu=self.lgu)
        self.open = services.submit_request(service=self.lights, description="ไฟดับ", lat=SK_LAT, lon=SK_LON,
                                            answers={"pole": "A-1"}, photos=[jpeg()])
        self.closed = services.submit_request(service=self.lights, description="ไฟกะพริบ", address="ถนนนครใน",
                                              answers={"pole": "A-2"})
        services.change_status(self.closed, acting_user=self.staff, status=Status.FIXED, reason="เปลี่ยนหลอด")
        self.old = services.submit_request(service=self.lights, description="เก่า", lat=SK_LAT, lon=SK_LON,
                                           answers={"pole": "A-3"}, requested_at=timezone.now() - timedelta(days=120))


class GeoReportClientTests(Open311Setup, LiveServerTestCase):
    """The georeport package (a real Open311 client) against the live test server."""

    def setUp(self):
        self.build()

    def client_for(self, fmt):
        return GeoReport(self.live_server_url + BASE, jurisdiction="test-sk", output_format=fmt)

    def test_georeport_reads_services_definitions_and_requests_in_json_and_xml(self):
        for fmt in ("json", "xml"):
            with self.subTest(fmt=fmt):
                client = self.client_for(fmt)
                listed = client.get_service_list()
                codes = {s["service_code"] for s in listed}
                self.assertIn("street_lights", codes)
                self.assertEqual(len(codes), 9)
                definition = client.get_service_definition("street_lights")
                attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
                self.assertEqual([a["code"] for a in attributes], ["pole", "kind"])
                found = client.get_service_requests()
                found = found if isinstance(found, list) else [found]
                if fmt == "xml":
                    found = found[0]["request"] if "request" in found[0] else found
                ids = {r["service_request_id"] for r in found}
                self.assertEqual(ids, {str(self.open.pk), str(self.closed.pk)})  # 120 days ago is out
                one = client.get_service_request(str(self.open.pk))
                one = one[0] if isinstance(one, list) else one
                self.assertEqual(one.get("service_request_id") or one["request"]["service_request_id"],
                                 str(self.open.pk))

    def test_georeport_filters_by_status_and_service(self):
        client = self.client_for("json")
        closed = client.get_service_requests(status="closed")
        self.assertEqual([r["service_request_id"] for r in closed], [str(self.closed.pk)])
        self.assertEqual(client.get_service_requests(service_code="noise"), [])

    def test_a_spec_shaped_post_over_http_creates_the_request_with_a_photo(self):
        response = http.post(self.live_server_url + BASE + "/requests.json", data={
            "jurisdiction_id": "test-sk", "api_key": self.client_app.plain_key, "service_code": "street_lights",
            "lat": "7.19", "lon": "100.595", "description": "ไฟดับหน้าวัด", "attribute[pole]": "B-7",
            "attribute[kind][]": ["off", "blink"], "email": "a@example.org", "first_name": "ก"},
            files={"media": ("lamp.jpg", jpeg(gps=True).read(), "image/jpeg")}, timeout=10)
        self.assertEqual(response.status_code, 201, response.text)
        created = ServiceRequest.objects.get(pk=int(response.json()[0]["service_request_id"]))
        self.assertEqual(created.attributes, {"pole": "B-7", "kind": ["off", "blink"]})
        self.assertEqual(created.client, self.client_app)
        self.assertEqual(created.photos.count(), 1)


@override_settings(ESERVICE_MAX_PHOTO_MB=1)
class Open311Tests(Open311Setup, EserviceTestCase.__base__):
    """Every endpoint and error through the test client (fast)."""

    @classmethod
    def setUpTestData(cls):
        Open311Setup.build(cls)

    def setUp(self):
        cache.clear()

    def post(self, path="/requests.json", **data):
        values = {"jurisdiction_id": "test-sk", "api_key": self.client_app.plain_key, "service_code": "street_lights",
                  "lat": "7.19", "long": "100.595", "description": "ไฟดับ", "attribute[pole]": "C-1"}
        values.update(data)
        return self.client.post(BASE + path, {k: v for k, v in values.items() if v is not None})

    def assertSpecError(self, response, status, text):
        self.assertEqual(response.status_code, status, response.content)
        body = response.json()
        self.assertEqual(body[0]["code"], status)
        self.assertIn(text, body[0]["description"])

    def test_jurisdiction_is_required_and_must_exist(self):
        self.assertSpecError(self.client.get(BASE + "/services.json"), 400, "jurisdiction_id")
        self.assertSpecError(self.client.get(BASE + "/services.json", {"jurisdiction_id": "nowhere"}), 404, "nowhere")
        response = self.client.get(BASE + "/services.xml")
        self.assertEqual(response.status_code, 400)
        root = ET.fromstring(response.content)
        self.assertEqual((root.tag, root.find("error/code").text), ("errors", "400"))

    def test_xml_is_the_default_and_times_carry_their_zone(self):
        response = self.client.get(BASE + f"/requests/{self.open.pk}", {"jurisdiction_id": "test-sk"})
        root = ET.fromstring(response.content)
        self.assertEqual(root.tag, "service_requests")
        self.assertTrue(root.find("request/requested_datetime").text.endswith("+07:00"))
        self.assertIn("/eservice/photos/", root.find("request/media_url").text)

    def test_discovery_names_the_spec_and_formats(self):
        body = self.client.get(BASE + "/discovery.json").json()
        self.assertEqual(body["endpoints"][0]["formats"], ["text/xml", "application/json"])

    def test_requests_filters_follow_the_spec(self):
        get = lambda **q: [r["service_request_id"] for r in self.client.get(  # noqa: E731
            BASE + "/requests.json", {"jurisdiction_id": "test-sk", **q}).json()]
        self.assertEqual(set(get()), {str(self.open.pk), str(self.closed.pk)})
        self.assertEqual(get(status="open"), [str(self.open.pk)])
        ids = f"{self.old.pk},{self.open.pk}"
        self.assertEqual(set(get(service_request_id=ids, status="closed")), {str(self.old.pk), str(self.open.pk)})
        old = (timezone.now() - timedelta(days=125)).isoformat()
        self.assertEqual(get(start_date=old, end_date=(timezone.now() - timedelta(days=100)).isoformat()),
                         [str(self.old.pk)])
        too_long = self.client.get(BASE + "/requests.json", {"jurisdiction_id": "test-sk", "start_date": old,
                                                              "end_date": timezone.now().isoformat()})
        self.assertSpecError(too_long, 400, "90 days")
        self.assertSpecError(self.client.get(BASE + "/requests.json", {"jurisdiction_id": "test-sk",
                                                                        "start_date": "yesterday"}), 400, "ISO 8601")
        self.assertSpecError(self.client.get(BASE + "/requests.json", {"jurisdiction_id": "test-sk",
                                                                        "status": "fixed"}), 400, "status")
        self.assertEqual(self.client.get(BASE + "/requests.json", {"jurisdiction_id": "test-cr"}).json(), [])

    def test_the_reporters_contact_is_never_in_the_api(self):
        self.post(email="hidden@example.org", first_name="ซ่อน", phone="0899999999")
        body = self.client.get(BASE + "/requests.json", {"jurisdiction_id": "test-sk"}).content.decode()
        for private in ("hidden@example.org", "ซ่อน", "0899999999"):
            self.assertNotIn(private, body)

    def test_a_good_post_returns_the_id_and_lon_is_accepted(self):
        response = self.post(long=None, lon="100.596", **{"attribute[kind][]": "off"})
        self.assertEqual(response.status_code, 201)
        created = ServiceRequest.objects.get(pk=int(response.json()[0]["service_request_id"]))
        self.assertEqual(str(created.longitude), "100.596000")
        self.assertEqual(created.attributes["kind"], ["off"])
        token = self.client.get(BASE + f"/tokens/{created.token}.json", {"jurisdiction_id": "test-sk"}).json()
        self.assertEqual(token[0]["service_request_id"], str(created.pk))

    def test_an_address_string_is_enough(self):
        response = self.post(lat=None, long=None, address_string="หน้าตลาดสด")
        self.assertEqual(response.status_code, 201)

    def test_bad_posts_get_the_spec_error_and_write_nothing(self):
        before = (ServiceRequest.objects.count(), Update.objects.count(), Photo.objects.count())
        big = io.BytesIO(b"\xff\xd8" + b"0" * (1024 * 1024 + 10))
        big.name = "big.jpg"
        cases = [
            ({"jurisdiction_id": None}, 400, "jurisdiction_id"),
            ({"jurisdiction_id": "nowhere"}, 404, "jurisdiction_id"),
            ({"api_key": None}, 403, "api_key"),
            ({"api_key": "wrong"}, 403, "api_key"),
            ({"service_code": "teleport"}, 400, "service_code"),
            ({"attribute[pole]": None}, 400, "pole"),
            ({"attribute[kind][]": "purple"}, 400, "kind"),
            ({"description": "ก" * 4001}, 400, "4000"),
            ({"description": "<b>ไฟดับ</b>"}, 400, "HTML"),
            ({"lat": "91"}, 400, "Latitude"),
            ({"lat": "abc"}, 400, "numbers"),
            ({"lat": None, "long": None}, 400, "address_string"),
            ({"long": None}, 400, "together"),
            ({"email": "not-an-address"}, 400, "email"),
            ({"media": big}, 400, "larger than 1 MB"),
            ({"media": jpeg(name="x.jpg").__class__("x.jpg", b"GIF89a-not-really", "image/gif")}, 400, "readable"),
        ]
        for change, status, text in cases:
            with self.subTest(change=str(change)[:60]):
                if "media" in change:
                    change["media"].seek(0)
                self.assertSpecError(self.post(**change), status, text)
        self.assertEqual((ServiceRequest.objects.count(), Update.objects.count(), Photo.objects.count()), before)

    def test_the_api_key_is_rate_limited(self):
        ApiClient.objects.filter(pk=self.client_app.pk).update(per_minute=2)
        self.assertEqual(self.post().status_code, 201)
        self.assertEqual(self.post(lat="7.2").status_code, 201)
        self.assertSpecError(self.post(lat="7.21"), 429, "rate limit")

    def test_a_backoffice_system_exchanges_updates(self):
        response = self.client.post(BASE + "/servicerequestupdates.json", {
            "jurisdiction_id": "test-sk", "api_key": self.backoffice.plain_key, "service_request_id": self.open.pk,
            "update_id": "WO-17", "status": "FIXED", "updated_datetime": timezone.now().isoformat(),
            "description": "เปลี่ยนหลอดไฟแล้ว"})
        self.assertEqual(response.status_code, 200, response.content)
        self.open.refresh_from_db()
        self.assertEqual(self.open.status, Status.FIXED)
        again = self.client.post(BASE + "/servicerequestupdates.json", {
            "jurisdiction_id": "test-sk", "api_key": self.backoffice.plain_key, "service_request_id": self.open.pk,
            "update_id": "WO-17", "status": "FIXED", "updated_datetime": timezone.now().isoformat(),
            "description": "เปลี่ยนหลอดไฟแล้ว"})
        self.assertEqual(again.json(), response.json())
        listed = self.client.get(BASE + "/servicerequestupdates.json", {"jurisdiction_id": "test-sk"}).json()
        self.assertIn("FIXED", {u["status"] for u in listed})
        self.assertIn("เปลี่ยนหลอดไฟแล้ว", {u["description"] for u in listed})

    def test_updates_need_the_lgus_own_key_and_a_known_status(self):
        data = {"jurisdiction_id": "test-sk", "service_request_id": self.open.pk, "update_id": "1",
                "status": "FIXED", "updated_datetime": timezone.now().isoformat(), "description": "x"}
        self.assertSpecError(self.client.post(BASE + "/servicerequestupdates.json", {**data, "api_key": self.client_app.plain_key}),
                             403, "jurisdiction")
        self.assertSpecError(self.client.post(BASE + "/servicerequestupdates.json",
                                              {**data, "api_key": self.backoffice.plain_key, "status": "MAGIC"}), 400, "status")
        self.assertSpecError(self.client.post(BASE + "/servicerequestupdates.json",
                                              {**data, "api_key": self.backoffice.plain_key, "description": ""}), 400, "description")
        self.assertEqual(ServiceRequest.objects.get(pk=self.open.pk).status, Status.OPEN)

    def test_internal_notes_are_not_in_the_updates_feed(self):
        services.change_status(self.open, acting_user=self.staff, internal_note="โทรหาช่างแล้ว")
        body = self.client.get(BASE + "/servicerequestupdates.json", {"jurisdiction_id": "test-sk"}).content.decode()
        self.assertNotIn("โทรหาช่างแล้ว", body)
        self.assertEqual(json.loads(body)[0]["service_request_id"], str(self.open.pk))
