"""The OpenAPI schema says what the API answers: its errors, nulls and blank choices, and the
answers themselves keep to it."""

from django.test import override_settings

from thetsaban.directory.models import Organisation
from thetsaban.policy.models import Recommendation
from thetsaban.practices.demo import load_themes
from thetsaban.practices.models import PracticePartner
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.tests.base import make_practice, make_project


class SchemaDocumentsErrorsTests(ThetsabanTestCase):
    def setUp(self):
        response = self.client.get("/api/schema/", {"format": "json"})
        self.assertEqual(response.status_code, 200)
        self.schema = response.json()

    def responses(self, path, method):
        return self.schema["paths"][path][method]["responses"]

    def test_every_operation_documents_too_many_requests(self):
        for path, operations in self.schema["paths"].items():
            for method, operation in operations.items():
                self.assertIn("429", operation["responses"], f"{method} {path}")

    def test_detail_and_write_operations_document_their_errors(self):
        self.assertLessEqual({"400", "403", "404", "413", "429"},
                             set(self.responses("/api/v1/practices/{id}/", "patch")))
        self.assertLessEqual({"403", "404", "409", "429"},
                             set(self.responses("/api/v1/organisations/{id}/", "delete")))
        listing = self.responses("/api/v1/practices/", "get")
        self.assertLessEqual({"200", "400", "403", "404", "429"}, set(listing))
        self.assertNotIn("413", listing)
        self.assertEqual(listing["400"]["content"]["application/json"]["schema"]["$ref"],
                         "#/components/schemas/ValidationError")
        self.assertEqual(listing["404"]["content"]["application/json"]["schema"]["$ref"],
                         "#/components/schemas/Error")

    def test_error_bodies_are_documented_as_the_exception_handler_writes_them(self):
        error = self.schema["components"]["schemas"]["Error"]
        self.assertEqual(error["required"], ["detail"])
        shapes = self.schema["components"]["schemas"]["ValidationError"]["oneOf"]
        self.assertEqual([shape["type"] for shape in shapes], ["object", "array"])

    def test_the_public_popolo_export_cannot_be_refused(self):
        # It authenticates nobody and lets everyone read: no 403 to document.
        self.assertNotIn("403", self.responses("/api/v1/popolo.json", "get"))

    def test_coach_coverage_is_one_object_not_a_list(self):
        schema = self.responses("/api/v1/coaching/coverage/", "get")["200"]["content"][
            "application/json"]["schema"]
        self.assertEqual(schema, {"$ref": "#/components/schemas/CoachCoverage"})

    def test_read_only_nullable_columns_and_blank_choices_are_documented(self):
        components = self.schema["components"]["schemas"]
        self.assertTrue(components["Recommendation"]["properties"]["owner"]["nullable"])
        self.assertTrue(components["Project"]["properties"]["actual_start"]["nullable"])
        status = components["Update"]["properties"]["status"]
        self.assertIn({"$ref": "#/components/schemas/BlankEnum"}, status["oneOf"])


class ApiAnswersKeepToTheSchemaTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_themes()
        cls.organisation = Organisation.objects.create(name_th="สมาคม", kind="civil_society")
        cls.project = make_project(cls.lgu)
        cls.recommendation = Recommendation.objects.create(level="league", recommendation="ก")

    def test_deleting_an_organisation_still_in_use_is_a_conflict_not_a_server_error(self):
        practice = make_practice(self.lgu)
        PracticePartner.objects.create(practice=practice, organisation=self.organisation)
        self.login(self.staff)
        response = self.client.delete(f"/api/v1/organisations/{self.organisation.pk}/")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json(), {
            "detail": "This record is still used by other records and cannot be deleted."})
        self.assertTrue(Organisation.objects.filter(pk=self.organisation.pk).exists())

    @override_settings(DEBUG=False)
    def test_an_api_url_that_matches_no_route_is_a_json_404(self):
        response = self.client.get("/api/v1/no-such-endpoint/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json(), {"detail": "Not found."})

    def test_pages_outside_the_api_keep_the_html_404(self):
        response = self.client.get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_a_patched_project_without_source_practice_keeps_every_field(self):
        self.login(self.staff)
        response = self.client.patch(f"/api/v1/transfers/projects/{self.project.pk}/",
                                     {"title": "ใหม่"}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["source_lgu"], "")
        self.assertEqual(response.json()["source_practice_title"], "")

    def test_a_recommendation_without_owner_answers_null_even_when_patched(self):
        self.login(self.staff)
        url = f"/api/v1/recommendations/{self.recommendation.pk}/"
        self.assertIsNone(self.client.get(url).json()["owner"])
        response = self.client.patch(url, {"target_what": "ก"}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIsNone(response.json()["owner"])
