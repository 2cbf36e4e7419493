import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from thetsaban.accounts.models import AuditEntry
from thetsaban.directory import services
from thetsaban.directory.choices import ContactKind, OrganisationKind, Visibility
from thetsaban.directory.models import ContactDetail, Organisation, Person, Post
from thetsaban.directory.tests.base import DirectoryTestCase


def ids(response):
    return {row["id"] for row in response.json()["results"]}


class DirectoryApiVisibilityTests(DirectoryTestCase):
    """Lists and nested contact details follow restrict() for each reader."""

    LISTS = ["/api/v1/persons/", "/api/v1/posts/", "/api/v1/organisations/",
             "/api/v1/memberships/", "/api/v1/contact-details/"]

    def read_all(self):
        texts = []
        for url in self.LISTS:
            response = self.client.get(url, {"page_size": 100})
            self.assertEqual(response.status_code, 200, url)
            texts.append(response.content.decode())
        for person in self.persons.values():
            texts.append(self.client.get(f"/api/v1/persons/{person.pk}/").content.decode())
        return "\n".join(texts)

    def test_anonymous_reads_only_consented_public_details(self):
        text = self.read_all()
        self.assert_visible(text, self.PUBLIC_ONLY)
        self.assert_hidden(text, self.MEMBERS_ONLY + self.STAFF_ONLY)
        self.assertEqual(ids(self.client.get("/api/v1/persons/")), {self.persons["public"].pk})

    def test_member_reads_members_details_but_never_staff_only(self):
        self.login(self.member)
        text = self.read_all()
        self.assert_visible(text, self.PUBLIC_ONLY + self.MEMBERS_ONLY)
        self.assert_hidden(text, self.STAFF_ONLY)

    def test_staff_reads_everything(self):
        self.login(self.staff)
        text = self.read_all()
        self.assert_visible(text, self.PUBLIC_ONLY + self.MEMBERS_ONLY + self.STAFF_ONLY)

    def test_hidden_person_is_404(self):
        for key in ("members", "staffonly", "unconsented"):
            self.assertEqual(self.client.get(f"/api/v1/persons/{self.persons[key].pk}/").status_code,
                             404)

    def test_post_lists_only_visible_holders(self):
        response = self.client.get(f"/api/v1/posts/{self.waste_post.pk}/")
        holders = [h["id"] for h in response.json()["holders"]]
        self.assertEqual(holders, [self.persons["public"].pk])

    def test_q_matches_abbreviation_without_dots_and_topic_filter(self):
        self.assertEqual(ids(self.client.get("/api/v1/organisations/", {"q": "สทท"})), {self.league.pk})
        self.assertEqual(ids(self.client.get("/api/v1/posts/", {"q": "สทท"})), {self.coach_post.pk})
        self.assertEqual(ids(self.client.get("/api/v1/posts/", {"topic": "environment"})),
                         {self.waste_post.pk})
        self.assertEqual(ids(self.client.get("/api/v1/organisations/", {"lgu": self.lgu.code})),
                         {self.office.pk})

    def test_ordering_by_name_is_thai_dictionary_order(self):
        names = [row["name_th"] for row in
                 self.client.get("/api/v1/organisations/", {"ordering": "name"}).json()["results"]]
        # เชียงราย sorts under ช, before สงขลา and สันนิบาต, despite its leading vowel.
        self.assertEqual(names, ["เทศบาลนครเชียงราย", "เทศบาลนครสงขลา", "สันนิบาตเทศบาลแห่งประเทศไทย"])

    def test_bad_parameters_are_400_with_a_message(self):
        for url, params, field in [
            ("/api/v1/organisations/", {"ordering": "secret"}, "ordering"),
            ("/api/v1/posts/", {"topic": "nope"}, "topic"),
            ("/api/v1/organisations/", {"kind": "nope"}, "kind"),
            ("/api/v1/memberships/", {"person": "x"}, "person"),
            ("/api/v1/persons/", {"page": "x"}, "page"),
        ]:
            response = self.client.get(url, params)
            self.assertEqual(response.status_code, 400, (url, params))
            self.assertIn(field, response.json())

    def test_list_query_counts_do_not_grow_with_data(self):
        def count(url):
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(captured)

        for user in (None, self.staff):
            self.login(user)
            before = {url: count(url) for url in self.LISTS}
            self.add_rows(4)
            after = {url: count(url) for url in self.LISTS}
            self.assertEqual(before, after, user)


class DirectoryApiWriteTests(DirectoryTestCase):
    """Writes: staff anywhere, an editor for their LGU's office, nobody else."""

    def patch(self, url, data):
        return self.client.patch(url, json.dumps(data), content_type="application/json")

    def post(self, url, data):
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def test_post_change_permissions(self):
        url = f"/api/v1/posts/{self.waste_post.pk}/"
        expected = {None: 403, self.member: 403, self.outsider: 403, self.editor: 200,
                    self.staff: 200}
        for user, status in expected.items():
            self.login(user)
            response = self.patch(url, {"responsibilities": f"งานโดย {user}"})
            self.assertEqual(response.status_code, status, user)
        self.waste_post.refresh_from_db()
        self.assertEqual(self.waste_post.responsibilities, "งานโดย staff")
        actors = set(AuditEntry.objects.for_object(self.waste_post).values_list("actor__username",
                                                                                flat=True))
        self.assertTrue({"editor", "staff"} <= actors)

    def test_editor_cannot_change_the_league_or_another_lgus_office(self):
        self.login(self.editor)
        for url in (f"/api/v1/posts/{self.coach_post.pk}/", f"/api/v1/posts/{self.other_post.pk}/",
                    f"/api/v1/organisations/{self.league.pk}/"):
            self.assertEqual(self.patch(url, {"description": "x", "responsibilities": "x"}).status_code,
                             403, url)

    def test_editor_adds_posts_only_to_their_lgus_office(self):
        self.login(self.editor)
        response = self.post("/api/v1/posts/", {"organisation": self.office.pk, "label_th": "งานใหม่",
                                                "topics": ["environment"]})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["topics"], ["environment"])
        response = self.post("/api/v1/posts/", {"organisation": self.league.pk, "label_th": "งานใหม่"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("organisation", response.json())
        self.login(self.outsider)
        response = self.post("/api/v1/posts/", {"organisation": self.office.pk, "label_th": "งานใหม่"})
        self.assertEqual(response.status_code, 400)

    def test_member_and_anonymous_cannot_add(self):
        for user in (None, self.member):
            self.login(user)
            response = self.post("/api/v1/posts/", {"organisation": self.office.pk, "label_th": "x"})
            self.assertEqual(response.status_code, 403, user)
            response = self.post("/api/v1/organisations/", {"name_th": "x", "kind": "media"})
            self.assertEqual(response.status_code, 403, user)

    def test_editor_may_only_create_an_office_of_their_own_lgu(self):
        self.login(self.editor)
        response = self.post("/api/v1/organisations/", {"name_th": "กองช่าง", "kind": "lgu",
                                                        "lgu": self.lgu.code})
        self.assertEqual(response.status_code, 201, response.content)
        response = self.post("/api/v1/organisations/", {"name_th": "กองช่าง", "kind": "lgu",
                                                        "lgu": self.other_lgu.code})
        self.assertEqual(response.status_code, 400)
        response = self.post("/api/v1/organisations/", {"name_th": "สื่อ", "kind": "media"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("lgu", response.json())

    def test_only_staff_delete_organisations_and_deletes_are_audited(self):
        org = services.create_organisation(acting_user=None, name_th="ชั่วคราว",
                                           kind=OrganisationKind.LGU_ADMINISTRATION, lgu=self.lgu)
        url = f"/api/v1/organisations/{org.pk}/"
        self.login(self.editor)
        self.assertEqual(self.client.delete(url).status_code, 403)
        self.login(self.staff)
        self.assertEqual(self.client.delete(url).status_code, 204)
        self.assertFalse(Organisation.objects.filter(pk=org.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(object_id=str(org.pk), action="delete",
                                                  actor=self.staff).exists())

    def test_contact_detail_writes(self):
        data = {"post": self.waste_post.pk, "kind": "email", "value": "new@example.org",
                "visibility": "public", "consent": True}
        self.login(self.outsider)
        self.assertEqual(self.post("/api/v1/contact-details/", data).status_code, 400)
        self.login(self.editor)
        response = self.post("/api/v1/contact-details/", data)
        self.assertEqual(response.status_code, 201, response.content)
        detail = ContactDetail.objects.get(pk=response.json()["id"])
        self.assertTrue(AuditEntry.objects.for_object(detail).filter(actor=self.editor).exists())
        url = f"/api/v1/contact-details/{detail.pk}/"
        self.login(self.outsider)
        self.assertEqual(self.patch(url, {"value": "x@example.org"}).status_code, 403)
        self.login(self.editor)
        self.assertEqual(self.patch(url, {"value": "y@example.org"}).status_code, 200)
        response = self.post("/api/v1/contact-details/", {**data, "organisation": self.office.pk})
        self.assertEqual(response.status_code, 400)

    def test_membership_writes(self):
        person = self.persons["public"]
        self.login(self.editor)
        response = self.post("/api/v1/memberships/", {"person": person.pk, "post": self.waste_post.pk,
                                                      "start_date": "2024-01-01"})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["organisation"], self.office.pk)
        response = self.post("/api/v1/memberships/", {"person": person.pk, "post": self.coach_post.pk})
        self.assertEqual(response.status_code, 400)
        response = self.post("/api/v1/memberships/", {
            "person": person.pk, "post": self.waste_post.pk,
            "start_date": "2024-02-01", "end_date": "2024-01-01"})
        self.assertEqual(response.status_code, 400)

    def test_staff_creates_person_and_consent_time_is_recorded(self):
        self.login(self.staff)
        response = self.post("/api/v1/persons/", {"name_th": "ตัวอย่าง ผู้ประสานงาน (example data)",
                                                  "is_example": True, "visibility": "public",
                                                  "listing_consent": False})
        self.assertEqual(response.status_code, 201, response.content)
        person = Person.objects.get(pk=response.json()["id"])
        self.assertIsNone(person.consent_recorded_at)
        response = self.patch(f"/api/v1/persons/{person.pk}/", {"listing_consent": True})
        self.assertEqual(response.status_code, 200)
        person.refresh_from_db()
        self.assertIsNotNone(person.consent_recorded_at)
        self.assertIsNotNone(response.json()["consent_recorded_at"])

    def test_editor_changes_people_of_their_office_only(self):
        self.login(self.editor)
        url = f"/api/v1/persons/{self.persons['public'].pk}/"
        self.assertEqual(self.patch(url, {"summary": "งานขยะ"}).status_code, 200)
        other = services.create_person(acting_user=None, name_th="ตัวอย่าง อื่น (example data)",
                                       visibility=Visibility.PUBLIC, listing_consent=True)
        services.create_membership(acting_user=None, person=other, post=self.other_post)
        self.assertEqual(self.patch(f"/api/v1/persons/{other.pk}/", {"summary": "x"}).status_code,
                         403)

    def test_written_records_come_back_with_only_visible_contacts(self):
        self.login(self.editor)
        services.create_contact_detail(acting_user=None, organisation=self.office,
                                       kind=ContactKind.PHONE, value="074-000-0009",
                                       visibility=Visibility.STAFF, consent=True)
        response = self.patch(f"/api/v1/organisations/{self.office.pk}/", {"description": "สำนักงาน"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("074-000-0009", response.content.decode())
        self.assertEqual(Post.objects.restrict(self.editor, "change").count(), 1)
