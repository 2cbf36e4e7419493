from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from thetsaban.accounts.models import AuditEntry
from thetsaban.places import demo
from thetsaban.places.models import Lgu, Province
from thetsaban.places.tests.test_views import add_lgus
from thetsaban.testing import ThetsabanTestCase


class PlacesApiTestCase(ThetsabanTestCase):
    client_class = APIClient

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)


class ReadApiTests(PlacesApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        demo.load()

    def test_provinces_ordered_by_name_follow_thai_dictionary_order(self):
        response = self.client.get("/api/v1/provinces/", {"ordering": "name", "page_size": 100})
        self.assertEqual(response.status_code, 200)
        names = [p["name_th"] for p in response.json()["results"]]
        self.assertEqual(len(names), 77)
        self.assertEqual(names[names.index("ชุมพร") + 1], "เชียงราย")
        self.assertEqual(names[0], "กระบี่")
        self.assertEqual(names[-1], "อุบลราชธานี")

    def test_reverse_name_ordering_and_code_ordering(self):
        response = self.client.get("/api/v1/provinces/", {"ordering": "-name", "page_size": 100})
        self.assertEqual(response.json()["results"][0]["name_th"], "อุบลราชธานี")
        response = self.client.get("/api/v1/provinces/", {"ordering": "code"})
        self.assertEqual(response.json()["results"][0]["code"], "10")

    def test_unknown_ordering_is_a_400_with_a_message(self):
        response = self.client.get("/api/v1/lgus/", {"ordering": "password"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("ordering", response.json())

    def test_bad_filter_value_is_a_400_naming_the_parameter(self):
        response = self.client.get("/api/v1/lgus/", {"region": "atlantis"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("region", response.json())
        response = self.client.get("/api/v1/lgus/", {"type": "village"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("type", response.json())

    def test_lgus_filter_by_region_province_type_and_q(self):
        def codes(**params):
            return {r["code"] for r in self.client.get("/api/v1/lgus/", params).json()["results"]}

        self.assertEqual(codes(region="south"), {"TEST-SK", "DEMO-SK", "DEMO-YL"})
        self.assertEqual(codes(province="41"), {"DEMO-UDON"})
        self.assertEqual(codes(type="subdistrict"), {"DEMO-KLAENG"})
        self.assertEqual(codes(q="ปากเกร็ด"), {"DEMO-PK"})
        self.assertEqual(codes(q="pak kret"), {"DEMO-PK"})

    def test_lgu_detail_by_code(self):
        response = self.client.get("/api/v1/lgus/DEMO-SK/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual((data["short_name"], data["province"], data["region"]), ("ทน.สงขลา", "90", "south"))
        self.assertEqual(self.client.get("/api/v1/provinces/57/").json()["name_en"], "Chiang Rai")
        region = self.client.get("/api/v1/regions/north/").json()
        self.assertEqual(region["province_count"], 17)
        self.assertTrue(region["learning_centre"]["name_th"].startswith("ศูนย์เครือข่าย"))

    def test_provinces_filter_by_region(self):
        response = self.client.get("/api/v1/provinces/", {"region": "east", "page_size": 100})
        self.assertEqual(response.json()["count"], 8)

    def test_schema_documents_lookup_by_code(self):
        response = self.client.get("/api/schema/", {"format": "json"})
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        self.assertIn("/api/v1/lgus/{code}/", paths)
        self.assertIn("/api/v1/provinces/{code}/", paths)


class QueryCountTests(PlacesApiTestCase):
    def test_lgu_list_runs_the_same_number_of_queries_whatever_the_data_size(self):
        province = self.lgu.province
        add_lgus(province, 2)
        with CaptureQueriesContext(connection) as small:
            self.client.get("/api/v1/lgus/")
        add_lgus(province, 40, start=100)
        with self.assertNumQueries(len(small)):
            response = self.client.get("/api/v1/lgus/")
        self.assertEqual(len(response.json()["results"]), 20)

    def test_region_and_province_lists_run_constant_queries(self):
        with CaptureQueriesContext(connection) as small:
            self.client.get("/api/v1/regions/")
            self.client.get("/api/v1/provinces/")
        demo.load()
        with self.assertNumQueries(len(small)):
            self.client.get("/api/v1/regions/")
            self.client.get("/api/v1/provinces/")


class WriteApiTests(PlacesApiTestCase):
    new_lgu = {"code": "9001", "name_th": "เทศบาลนครหาดใหญ่", "name_en": "Hat Yai City Municipality",
               "lgu_type": "city", "province": "90", "latitude": "7.008600", "longitude": "100.474700"}

    def test_staff_creates_updates_and_deletes_an_lgu_with_audit(self):
        self.login(self.staff)
        response = self.client.post("/api/v1/lgus/", self.new_lgu, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["region"], "south")
        lgu = Lgu.objects.get(code="9001")
        self.assertTrue(lgu.sort_name)
        response = self.client.patch("/api/v1/lgus/9001/", {"population": 149459}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        response = self.client.delete("/api/v1/lgus/9001/")
        self.assertEqual(response.status_code, 204)
        actions = list(AuditEntry.objects.filter(object_id=str(lgu.pk)).order_by("id")
                       .values_list("action", "actor"))
        self.assertEqual(actions, [("create", self.staff.pk), ("update", self.staff.pk),
                                   ("delete", self.staff.pk)])

    def test_staff_moves_a_province_to_another_region(self):
        self.login(self.staff)
        response = self.client.patch("/api/v1/provinces/57/", {"region": "south"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Province.objects.get(code="57").region.code, "south")

    def test_invalid_values_are_400_naming_the_field(self):
        self.login(self.staff)
        response = self.client.post("/api/v1/lgus/", dict(self.new_lgu, latitude="95", province="99"),
                                    format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("province", response.json())

    def test_deleting_a_place_still_in_use_is_a_conflict(self):
        self.login(self.staff)
        response = self.client.delete("/api/v1/provinces/90/")
        self.assertEqual(response.status_code, 409)
        self.assertTrue(Province.objects.filter(code="90").exists())

    def test_editor_outsider_and_member_may_not_write(self):
        for user in (self.editor, self.outsider, self.member):
            self.login(user)
            self.assertEqual(self.client.post("/api/v1/lgus/", self.new_lgu, format="json").status_code, 403)
            response = self.client.patch(f"/api/v1/lgus/{self.lgu.code}/", {"population": 1}, format="json")
            self.assertEqual(response.status_code, 403)
            self.assertEqual(self.client.delete(f"/api/v1/lgus/{self.lgu.code}/").status_code, 403)
            self.assertEqual(self.client.patch("/api/v1/provinces/57/", {"region": "south"},
                                               format="json").status_code, 403)
        self.lgu.refresh_from_db()
        self.assertIsNone(self.lgu.population)
        self.assertFalse(Lgu.objects.filter(code="9001").exists())

    def test_anonymous_may_read_but_not_write(self):
        self.assertEqual(self.client.get("/api/v1/lgus/").status_code, 200)
        self.assertIn(self.client.post("/api/v1/lgus/", self.new_lgu, format="json").status_code, (401, 403))
        self.assertIn(self.client.delete(f"/api/v1/lgus/{self.lgu.code}/").status_code, (401, 403))
        self.assertTrue(Lgu.objects.filter(pk=self.lgu.pk).exists())
