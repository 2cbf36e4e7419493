"""Who sees and does what, through the pages and the API, for every kind of user."""

from django.test import override_settings
from django.urls import reverse

from thetsaban.coaching.choices import CoachStatus
from thetsaban.coaching.models import Coach
from thetsaban.coaching.tests.base import CoachingTestCase

API_LIST = "/api/v1/coaching/coaches/"


def api_detail(coach, action=""):
    return f"{API_LIST}{coach.pk}/" + (f"{action}/" if action else "")


class RegistryPageTests(CoachingTestCase):
    def listed(self, user):
        self.login(user)
        response = self.client.get(reverse("coaching:list"))
        self.assertEqual(response.status_code, 200)
        return {c.pk for c in response.context["page"]}

    def test_anonymous_sees_only_approved_coaches_listed_publicly(self):
        self.assertEqual(self.listed(None), {self.public_coach.pk})

    def test_members_also_see_coaches_listed_for_members(self):
        for user in (self.member, self.editor, self.outsider, self.applicant):
            self.assertEqual(self.listed(user), {self.public_coach.pk, self.members_coach.pk}, user)

    def test_reviewers_and_staff_see_every_approved_coach(self):
        expected = {self.public_coach.pk, self.members_coach.pk, self.unlisted_coach.pk}
        self.assertEqual(self.listed(self.reviewer), expected)
        self.assertEqual(self.listed(self.staff), expected)

    def test_anonymous_sees_only_consented_public_contact_details(self):
        response = self.client.get(self.public_coach.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "public-coach@example.org")
        self.assertNotContains(response, "0812345678")
        self.login(self.staff)
        response = self.client.get(self.public_coach.get_absolute_url())
        self.assertContains(response, "0812345678")

    def test_anonymous_and_other_members_cannot_open_a_pending_application(self):
        for user in (None, self.member, self.editor, self.outsider):
            self.login(user)
            response = self.client.get(self.applicant_coach.get_absolute_url())
            self.assertEqual(response.status_code, 404, user)
            response = self.client.get(self.unlisted_coach.get_absolute_url())
            self.assertEqual(response.status_code, 404, user)

    def test_applicant_sees_their_own_pending_application(self):
        self.login(self.applicant)
        response = self.client.get(self.applicant_coach.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "จัดเวทีประชาคม")
        self.assertTrue(response.context["is_own"])
        self.assertFalse(response.context["is_reviewer"])
        self.assertNotContains(response, reverse("coaching:approve", args=[self.applicant_coach.pk]))

    def test_reviewer_sees_the_decision_forms(self):
        self.login(self.reviewer)
        response = self.client.get(self.applicant_coach.get_absolute_url())
        self.assertContains(response, reverse("coaching:approve", args=[self.applicant_coach.pk]))

    def test_filters_by_theme_region_language_and_availability(self):
        self.login(self.member)
        url = reverse("coaching:list")
        cases = {
            "theme=environment": {self.members_coach.pk},
            "region=south": {self.public_coach.pk},
            "language=en": {self.members_coach.pk},
            "availability=available": {self.public_coach.pk, self.members_coach.pk},
            "availability=unavailable": set(),
        }
        for query, expected in cases.items():
            response = self.client.get(f"{url}?{query}")
            self.assertEqual({c.pk for c in response.context["page"]}, expected, query)

    def test_bad_filter_value_is_a_400_with_a_message(self):
        response = self.client.get(reverse("coaching:list") + "?region=atlantis")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "region", status_code=400)

    def test_names_sort_in_thai_dictionary_order(self):
        self.login(self.staff)
        response = self.client.get(reverse("coaching:list"))
        names = [c.person.name_th for c in response.context["page"]]
        self.assertEqual(names, ["กมล ตัวอย่าง", "ขวัญ ตัวอย่าง", "คณิน ตัวอย่าง"])

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_coach_page_lists_their_projects(self):
        from thetsaban.coaching.models import Assignment
        from thetsaban.transfers.models import TransferProject

        project = TransferProject.objects.create(title="ถ่ายทอดการจัดการขยะ", target_lgu=self.lgu)
        Assignment.objects.create(coach=self.public_coach, project=project)
        response = self.client.get(self.public_coach.get_absolute_url())
        self.assertContains(response, "ถ่ายทอดการจัดการขยะ")
        self.assertContains(response, self.lgu.name_th)


class StaffPagesTests(CoachingTestCase):
    def test_only_staff_import_and_export(self):
        for user in (self.reviewer, self.member, self.editor):
            self.login(user)
            self.assertEqual(self.client.get(reverse("coaching:import")).status_code, 403)
            self.assertEqual(self.client.get(reverse("coaching:export")).status_code, 403)
        self.login(None)
        self.assertEqual(self.client.get(reverse("coaching:export")).status_code, 302)
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("coaching:import")).status_code, 200)
        self.assertEqual(self.client.get(reverse("coaching:export")).status_code, 200)


class ApiPermissionTests(CoachingTestCase):
    def ids(self, user, query=""):
        self.login(user)
        response = self.client.get(API_LIST + query)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_anonymous_lists_only_public_approved_coaches_with_public_details(self):
        self.assertEqual(self.ids(None), {self.public_coach.pk})
        row = self.client.get(api_detail(self.public_coach)).json()
        self.assertEqual([c["value"] for c in row["contacts"]], ["public-coach@example.org"])
        self.assertNotIn("decision_reason", row)
        self.assertEqual(self.client.get(api_detail(self.applicant_coach)).status_code, 404)

    def test_applicant_sees_their_own_application_in_the_api(self):
        self.assertEqual(self.ids(self.applicant),
                         {self.public_coach.pk, self.members_coach.pk, self.applicant_coach.pk})
        row = self.client.get(api_detail(self.applicant_coach)).json()
        self.assertEqual(row["status"], CoachStatus.APPLIED)
        self.assertIn("decision_reason", row)

    def test_other_members_and_editors_do_not_see_the_application(self):
        for user in (self.member, self.editor, self.outsider):
            self.assertEqual(self.ids(user), {self.public_coach.pk, self.members_coach.pk})

    def test_reviewer_lists_pending_applications(self):
        self.assertEqual(self.ids(self.reviewer, "?status=applied"), {self.applicant_coach.pk})

    def test_only_reviewers_approve_reject_and_confirm(self):
        for user in (self.member, self.editor, self.applicant):
            self.login(user)
            for action, body in (("approve", {}), ("reject", {"reason": "x"}),
                                 ("confirm-competency", {"competency": self.competency.pk})):
                response = self.client.post(api_detail(self.applicant_coach, action), body,
                                            content_type="application/json")
                self.assertIn(response.status_code, (403, 404), (user, action))
        self.login(None)
        response = self.client.post(api_detail(self.public_coach, "approve"), {},
                                    content_type="application/json")
        self.assertIn(response.status_code, (401, 403))
        self.assertEqual(Coach.objects.get(pk=self.applicant_coach.pk).status, CoachStatus.APPLIED)

    def test_reviewer_approves_rejects_and_confirms_through_the_api(self):
        self.login(self.reviewer)
        response = self.client.post(api_detail(self.applicant_coach, "confirm-competency"),
                                    {"competency": self.competency.pk},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(response.json()["confirmed"])
        response = self.client.post(api_detail(self.applicant_coach, "reject"), {},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.json())
        response = self.client.post(api_detail(self.applicant_coach, "approve"), {"reason": ""},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], CoachStatus.APPROVED)
        response = self.client.post(api_detail(self.applicant_coach, "approve"), {},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)

    def test_confirming_another_coachs_competency_is_a_400(self):
        self.login(self.reviewer)
        response = self.client.post(api_detail(self.public_coach, "confirm-competency"),
                                    {"competency": self.competency.pk},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)

    def test_member_applies_through_the_api(self):
        self.login(self.member)
        body = {"name_th": "สมใจ ผู้สมัคร", "languages": ["th"], "themes": ["governance"],
                "home_province": "90", "capacity": 2, "listing_consent": True,
                "competencies": [{"theme": "governance", "title": "จัดเวทีประชาคม",
                                  "evidence": "2566"}]}
        response = self.client.post(API_LIST + "apply/", body, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        coach = Coach.objects.get(user=self.member)
        self.assertEqual(coach.status, CoachStatus.APPLIED)
        self.assertEqual(coach.competencies.count(), 1)
        # Applying again with the same competency keeps it; no duplicate.
        response = self.client.post(API_LIST + "apply/", body, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(coach.competencies.count(), 1)

    def test_bad_application_is_a_400_naming_the_fields(self):
        self.login(self.member)
        body = {"name_th": "", "languages": ["xx"], "home_province": "99", "capacity": 0}
        response = self.client.post(API_LIST + "apply/", body, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"name_th", "languages", "home_province", "capacity"})
        self.login(None)
        response = self.client.post(API_LIST + "apply/", body, content_type="application/json")
        self.assertIn(response.status_code, (401, 403))

    def test_bad_query_parameters_are_400s(self):
        for query in ("?theme=nope", "?region=nope", "?language=xx", "?availability=soon",
                      "?ordering=password", "?page=abc"):
            response = self.client.get(API_LIST + query)
            self.assertEqual(response.status_code, 400, query)

    def test_languages_and_trainings_endpoints(self):
        response = self.client.get("/api/v1/coaching/languages/")
        self.assertEqual([row["code"] for row in response.json()], ["en", "th"])
        self.login(self.member)
        response = self.client.post("/api/v1/coaching/trainings/",
                                    {"coach": self.public_coach.pk, "kind": "tot", "title": "ToT"},
                                    content_type="application/json")
        self.assertIn(response.status_code, (400, 403))
        self.login(self.reviewer)
        response = self.client.post("/api/v1/coaching/trainings/",
                                    {"coach": self.public_coach.pk, "kind": "tot", "title": "ToT"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.login(None)
        response = self.client.get(f"/api/v1/coaching/trainings/?coach={self.public_coach.pk}")
        self.assertEqual(response.json()["count"], 1)
        response = self.client.get(f"/api/v1/coaching/trainings/?coach={self.unlisted_coach.pk}")
        self.assertEqual(response.json()["count"], 0)

    def test_schema_documents_the_coaching_endpoints(self):
        response = self.client.get("/api/schema/")
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        for path in ("/api/v1/coaching/coaches/", "/api/v1/coaching/coaches/apply/",
                     "/api/v1/coaching/coaches/{id}/approve/", "/api/v1/coaching/coverage/",
                     "/api/v1/coaching/languages/", "/api/v1/coaching/trainings/"):
            self.assertIn(path, text)
