"""Who an LGU editor may keep: the people their own organisation placed in their office.

A membership the editor makes must never turn a stranger into a colleague, or the editor could
rename them, change their visibility and consent, and publish their members-only contacts.
"""

import json

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.directory import services
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import ContactDetail, Membership, Person
from thetsaban.directory.tests.base import DirectoryTestCase


class EditorTakeoverTests(DirectoryTestCase):
    """An editor tries to claim a person of another LGU's office through the API."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.stranger = services.create_person(
            acting_user=cls.staff, name_th="ตัวอย่าง เชียงราย (example data)", is_example=True,
            visibility=Visibility.PUBLIC, listing_consent=True)
        services.create_membership(acting_user=cls.staff, person=cls.stranger, post=cls.other_post)
        cls.stranger_mail = services.create_contact_detail(
            acting_user=cls.staff, person=cls.stranger, kind=ContactKind.EMAIL,
            value="stranger-members@example.org", visibility=Visibility.MEMBERS, consent=True)

    def post(self, url, data):
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def patch(self, url, data):
        return self.client.patch(url, json.dumps(data), content_type="application/json")

    def attempt_takeover(self):
        """Every step of the attack, each answer kept for the assertions."""
        stranger = self.stranger.pk
        return {
            "link": self.post("/api/v1/memberships/", {"person": stranger,
                                                       "organisation": self.office.pk}),
            "rename": self.patch(f"/api/v1/persons/{stranger}/", {"name_th": "ชื่อใหม่"}),
            "publish": self.patch(f"/api/v1/contact-details/{self.stranger_mail.pk}/",
                                  {"visibility": "public"}),
            "add contact": self.post("/api/v1/contact-details/", {
                "person": stranger, "kind": "email", "value": "planted@example.org",
                "visibility": "public", "consent": True}),
        }

    def test_editor_cannot_link_a_stranger_to_their_office(self):
        self.login(self.editor)
        answers = self.attempt_takeover()
        self.assertEqual(answers["link"].status_code, 400, answers["link"].content)
        self.assertIn("person", answers["link"].json())
        self.assertEqual(answers["rename"].status_code, 403)
        self.assertEqual(answers["publish"].status_code, 403)
        self.assertEqual(answers["add contact"].status_code, 400)
        self.assertIn("person", answers["add contact"].json())
        self.assertFalse(Membership.objects.filter(person=self.stranger,
                                                   organisation=self.office).exists())
        self.stranger.refresh_from_db()
        self.assertEqual(self.stranger.name_th, "ตัวอย่าง เชียงราย (example data)")
        self.assertFalse(ContactDetail.objects.filter(value="planted@example.org").exists())

    def test_anonymous_visitor_never_reads_the_members_only_mail_after_an_attempt(self):
        self.login(self.editor)
        self.attempt_takeover()
        self.login(None)
        page = self.client.get(reverse("directory:person", args=[self.stranger.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "stranger-members@")
        api = self.client.get(f"/api/v1/persons/{self.stranger.pk}/").content.decode()
        self.assertNotIn("stranger-members@", api)
        self.assertNotIn("planted@", api)

    def test_membership_form_offers_only_people_the_editor_keeps(self):
        self.login(self.editor)
        page = self.client.get("/api/v1/memberships/", HTTP_ACCEPT="text/html").content.decode()
        # The browsable API's form for adding a membership, not its list filters.
        form = page.split('id="post-object-form"')[1].split('id="post-generic-content-form"')[0]
        self.assertIn("ตัวอย่าง public", form)
        for name in ("ตัวอย่าง เชียงราย", "ตัวอย่าง staffonly", "ตัวอย่าง unconsented"):
            self.assertNotIn(name, form)

    def test_editor_cannot_repoint_a_membership_of_their_office_at_a_stranger(self):
        self.login(self.editor)
        membership = Membership.objects.get(person=self.persons["public"])
        response = self.patch(f"/api/v1/memberships/{membership.pk}/", {"person": self.stranger.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("person", response.json())
        membership.refresh_from_db()
        self.assertEqual(membership.person, self.persons["public"])

    def test_staff_and_the_persons_own_lgu_still_link_them(self):
        self.login(self.outsider)  # the editor of the stranger's own LGU
        response = self.post("/api/v1/memberships/", {"person": self.stranger.pk,
                                                      "organisation": self.other_office.pk})
        self.assertEqual(response.status_code, 201, response.content)
        self.login(self.staff)
        response = self.post("/api/v1/memberships/", {"person": self.stranger.pk,
                                                      "organisation": self.office.pk})
        self.assertEqual(response.status_code, 201, response.content)
        self.login(self.editor)  # now a colleague, placed by the league
        response = self.patch(f"/api/v1/persons/{self.stranger.pk}/", {"summary": "งานเมือง"})
        self.assertEqual(response.status_code, 200)

    def test_a_person_links_themself(self):
        self.editor.person = self.stranger
        self.editor.save()
        self.login(self.editor)
        response = self.post("/api/v1/memberships/", {"person": self.stranger.pk,
                                                      "organisation": self.office.pk})
        self.assertEqual(response.status_code, 201, response.content)

    def test_editor_adds_a_colleague_to_their_office_in_one_step(self):
        self.login(self.editor)
        response = self.post("/api/v1/persons/", {
            "name_th": "ตัวอย่าง เพื่อนร่วมงาน (example data)", "is_example": True,
            "visibility": "members", "listing_consent": True, "organisation": self.office.pk})
        self.assertEqual(response.status_code, 201, response.content)
        person = Person.objects.get(pk=response.json()["id"])
        self.assertTrue(Membership.objects.filter(person=person, organisation=self.office).exists())
        self.assertTrue(AuditEntry.objects.for_object(person).filter(actor=self.editor).exists())
        self.assertEqual(self.patch(f"/api/v1/persons/{person.pk}/", {"summary": "งาน"}).status_code,
                         200)
        for organisation, field in ((None, "organisation"), (self.other_office.pk, "organisation")):
            data = {"name_th": "ตัวอย่าง อีกคน (example data)", "visibility": "members",
                    "listing_consent": True}
            if organisation:
                data["organisation"] = organisation
            response = self.post("/api/v1/persons/", data)
            self.assertEqual(response.status_code, 400, organisation)
            self.assertIn(field, response.json())
        self.assertFalse(Person.objects.filter(name_th="ตัวอย่าง อีกคน (example data)").exists())
