from django.db import connection
from django.test.utils import CaptureQueriesContext

from thetsaban.directory.tests.base import DirectoryTestCase


class PopoloExportTests(DirectoryTestCase):
    """GET /api/v1/popolo.json: the public directory, the same whoever asks."""

    url = "/api/v1/popolo.json"

    def test_shape_uses_popolo_field_names(self):
        data = self.client.get(self.url).json()
        self.assertEqual(set(data), {"persons", "organizations", "posts", "memberships"})
        league = next(o for o in data["organizations"] if o["id"] == str(self.league.pk))
        self.assertEqual(league["classification"], "league")
        self.assertIn({"name": "ส.ท.ท.", "note": "abbreviation"}, league["other_names"])
        self.assertIn({"name": "NMLT", "note": "other name"}, league["other_names"])
        self.assertEqual(league["contact_details"],
                         [{"type": "website", "value": "https://league.example.org",
                           "label": "Website"}])
        for key in ("identifiers", "parent_id"):
            self.assertIn(key, league)
        office = next(o for o in data["organizations"] if o["id"] == str(self.office.pk))
        self.assertIn({"scheme": "thetsaban-lgu", "identifier": self.lgu.code}, office["identifiers"])
        post = next(p for p in data["posts"] if p["id"] == str(self.waste_post.pk))
        self.assertEqual(post["organization_id"], str(self.office.pk))
        self.assertEqual(post["label"], self.waste_post.label_th)
        (membership,) = data["memberships"]
        self.assertEqual(membership["person_id"], str(self.persons["public"].pk))
        self.assertEqual(membership["post_id"], str(self.waste_post.pk))
        self.assertEqual(membership["organization_id"], str(self.office.pk))
        for key in ("role", "label", "start_date", "end_date"):
            self.assertIn(key, membership)
        (person,) = data["persons"]
        self.assertEqual(person["name"], self.persons["public"].name_th)
        self.assertEqual({c["value"] for c in person["contact_details"]},
                         {"person-public@example.org", "detail-public@example.org"})

    def test_public_details_only_whoever_asks(self):
        anonymous = self.client.get(self.url).content
        for user in (self.member, self.editor, self.staff):
            self.login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.content, anonymous, user)
        text = anonymous.decode()
        self.assert_visible(text, self.PUBLIC_ONLY)
        self.assert_hidden(text, self.MEMBERS_ONLY + self.STAFF_ONLY)

    def test_query_count_is_constant(self):
        def count():
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            return len(captured)

        small = count()
        self.add_rows(5)
        self.assertEqual(count(), small)

    def test_export_is_in_the_openapi_schema(self):
        response = self.client.get("/api/schema/", {"format": "json"})
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        self.assertIn("/api/v1/popolo.json", schema["paths"])
        self.assertIn("PopoloDocument", schema["components"]["schemas"])
        self.assertIn("/api/v1/organisations/", schema["paths"])
