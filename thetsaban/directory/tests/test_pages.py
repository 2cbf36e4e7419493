from django.test import override_settings
from django.urls import reverse

from thetsaban.directory.tests.base import DirectoryTestCase


class DirectoryVisibilityPageTests(DirectoryTestCase):
    """The index, organisation and person pages show each viewer only what they may see."""

    def pages(self):
        return [
            reverse("directory:index"),
            reverse("directory:index") + "?topic=environment",
            reverse("directory:organisation", args=[self.office.pk]),
        ]

    def test_anonymous_sees_only_consented_public_details(self):
        for url in self.pages():
            text = self.client.get(url).content.decode()
            self.assert_visible(text, self.PUBLIC_ONLY)
            self.assert_hidden(text, self.MEMBERS_ONLY + self.STAFF_ONLY)
            self.assertNotIn("ตัวอย่าง members", text)

    def test_member_sees_members_details_but_never_staff_only(self):
        self.login(self.member)
        for url in self.pages():
            text = self.client.get(url).content.decode()
            self.assert_visible(text, self.PUBLIC_ONLY + self.MEMBERS_ONLY)
            self.assert_hidden(text, self.STAFF_ONLY)
            self.assertIn("ตัวอย่าง members", text)

    def test_staff_sees_everything(self):
        self.login(self.staff)
        for url in self.pages():
            text = self.client.get(url).content.decode()
            self.assert_visible(text, self.PUBLIC_ONLY + self.MEMBERS_ONLY + self.STAFF_ONLY)

    def test_person_page_follows_visibility_and_consent(self):
        expected = {
            None: {"public": 200, "members": 404, "staffonly": 404, "unconsented": 404},
            self.member: {"public": 200, "members": 200, "staffonly": 404, "unconsented": 404},
            self.editor: {"public": 200, "members": 200, "staffonly": 404, "unconsented": 404},
            self.staff: {"public": 200, "members": 200, "staffonly": 200, "unconsented": 200},
        }
        for user, statuses in expected.items():
            self.login(user)
            for key, status in statuses.items():
                url = reverse("directory:person", args=[self.persons[key].pk])
                self.assertEqual(self.client.get(url).status_code, status, (user, key))

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_person_page_shows_only_visible_contact_details(self):
        url = reverse("directory:person", args=[self.persons["public"].pk])
        text = self.client.get(url).content.decode()
        self.assertIn("detail-public@", text)
        self.assert_hidden(text, ["detail-members@", "detail-staff@", "detail-unconsented@"])
        self.assertIn(self.waste_post.label_th, text)
        self.login(self.member)
        text = self.client.get(url).content.decode()
        self.assertIn("detail-members@", text)
        self.assert_hidden(text, ["detail-staff@", "detail-unconsented@"])

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_organisation_page_shows_names_posts_and_contacts(self):
        response = self.client.get(reverse("directory:organisation", args=[self.league.pk]))
        self.assertContains(response, "ส.ท.ท.")
        self.assertContains(response, "NMLT")
        self.assertContains(response, self.coach_post.label_th)
        self.assertContains(response, "https://league.example.org")

    def test_unknown_organisation_is_404(self):
        self.assertEqual(self.client.get(reverse("directory:organisation", args=[999999])).status_code,
                         404)


class DirectorySearchPageTests(DirectoryTestCase):
    """The search answers "who does what, whom do I contact about X"."""

    def roles(self, **params):
        response = self.client.get(reverse("directory:index"), params)
        self.assertEqual(response.status_code, 200)
        return list(response.context["posts"])

    def test_abbreviation_typed_without_dots_finds_the_league(self):
        for q in ("สทท", "ส.ท.ท.", "ส.ท.ท", "nmlt", "NMLT", "สันนิบาตเทศบาล"):
            self.assertEqual(self.roles(q=q), [self.coach_post], q)

    def test_search_by_topic_finds_the_right_post(self):
        self.assertEqual(self.roles(topic="environment"), [self.waste_post])
        self.assertNotIn(self.waste_post, self.roles(topic="governance"))

    def test_search_by_thai_responsibility_text(self):
        self.assertEqual(self.roles(q="ขยะ"), [self.waste_post])

    def test_search_text_is_folded_like_stored_text(self):
        # The decomposed sara am of text pasted from slides matches the stored composed form.
        self.assertEqual(self.roles(q="สนับสนุนการเพิ่มจ\u0e4d\u0e32นวน"), [self.coach_post])

    def test_filters_by_lgu_organisation_kind_and_role(self):
        self.assertEqual(self.roles(lgu=self.lgu.code), [self.waste_post])
        self.assertEqual(self.roles(organisation=self.league.pk), [self.coach_post])
        self.assertEqual(self.roles(kind="league"), [self.coach_post])
        self.assertEqual(self.roles(role="coordinator", lgu=self.other_lgu.code), [])
        self.assertEqual(self.roles(role="Waste"), [self.waste_post])

    def test_organisations_are_listed_beside_the_roles(self):
        response = self.client.get(reverse("directory:index"), {"q": "สทท"})
        self.assertEqual(list(response.context["organisations"]), [self.league])

    def test_bad_filter_values_are_explained_not_500(self):
        for params in ({"topic": "no-such-topic"}, {"lgu": "NOPE"}, {"organisation": "abc"},
                       {"kind": "bogus"}, {"page": "x"}):
            response = self.client.get(reverse("directory:index"), params)
            self.assertEqual(response.status_code, 200, params)
        response = self.client.get(reverse("directory:index"), {"topic": "no-such-topic"})
        self.assertContains(response, "errorlist")

    def test_index_query_count_does_not_grow_with_data(self):
        url = reverse("directory:index") + "?q=ผู้ประสานงาน"
        for user in (None, self.member, self.staff):
            self.login(user)
            self.count_queries(url)  # warm caches (content types, sessions)
            small = self.count_queries(url)
            self.add_rows(4)
            self.assertEqual(self.count_queries(url), small, user)

    def test_organisation_page_query_count_does_not_grow_with_data(self):
        url = reverse("directory:organisation", args=[self.office.pk])
        small = self.count_queries(url)
        from thetsaban.directory import services

        for i in range(5):
            post = services.create_post(acting_user=None, organisation=self.office,
                                        label_th=f"บทบาท {i}", topics=[self.governance])
            services.create_membership(acting_user=None, person=self.persons["public"], post=post)
        self.assertEqual(self.count_queries(url), small)

    def count_queries(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(captured)
