from django.db import connection
from django.test.utils import CaptureQueriesContext

from thetsaban.accounts.models import AuditEntry
from thetsaban.learning import services
from thetsaban.learning.choices import RegistrationStatus
from thetsaban.learning.models import Course, Module, Registration
from thetsaban.learning.tests.base import LearningTestCase, make_event

EVENTS = "/api/v1/learning-events/"
REGISTRATIONS = "/api/v1/learning-registrations/"
COURSES = "/api/v1/learning-courses/"


class EventApiTests(LearningTestCase):
    def ids(self, user, url=EVENTS, **params):
        self.login(user)
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_everyone_reads_published_events_and_only_the_centre_staff_their_drafts(self):
        public = {self.event.pk, self.north_event.pk}
        self.assertEqual(self.ids(None), public)
        self.assertEqual(self.ids(self.member), public)
        self.assertEqual(self.ids(self.north_staff), public)
        self.assertEqual(self.ids(self.south_staff), public | {self.draft.pk})
        self.assertEqual(self.ids(self.staff), public | {self.draft.pk})
        self.login(self.north_staff)
        self.assertEqual(self.client.get(f"{EVENTS}{self.draft.pk}/").status_code, 404)

    def test_events_filter_by_centre_kind_upcoming_and_buddhist_era_dates(self):
        past = make_event(self.south, days=-40)
        self.assertEqual(self.ids(None, centre="south"), {self.event.pk, past.pk})
        self.assertEqual(self.ids(None, kind="forum"), {self.north_event.pk})
        self.assertEqual(self.ids(None, upcoming="false"), {past.pk})
        self.assertEqual(self.ids(None, upcoming="true"), {self.event.pk, self.north_event.pk})
        self.assertEqual(self.ids(None, date_to="1/1/2500"), set())
        response = self.client.get(EVENTS, {"date_from": "31/2/2569"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("date_from", response.json())
        response = self.client.get(EVENTS, {"kind": "party"})
        self.assertEqual(response.status_code, 400)

    def test_the_event_list_needs_the_same_queries_however_many_events(self):
        self.client.get(EVENTS)
        with CaptureQueriesContext(connection) as few:
            self.client.get(EVENTS)
        for day in range(5):
            make_event(self.north, days=day + 2)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(EVENTS)
        self.assertEqual(len(response.json()["results"]), 7)
        self.assertEqual(len(few), len(many))

    def test_a_member_registers_and_cancels_through_the_api_and_the_waiting_list_moves(self):
        self.event.capacity = 1
        self.event.save()
        self.login(self.member)
        response = self.client.post(f"{EVENTS}{self.event.pk}/register/")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "registered")
        self.login(self.second_member)
        response = self.client.post(f"{EVENTS}{self.event.pk}/register/")
        self.assertEqual(response.json()["status"], "waiting")
        response = self.client.post(f"{EVENTS}{self.event.pk}/register/")
        self.assertEqual(response.status_code, 400)
        self.assertIn("already registered", str(response.json()))
        self.login(self.member)
        response = self.client.post(f"{EVENTS}{self.event.pk}/cancel/")
        self.assertEqual(response.json()["status"], "cancelled")
        self.assertEqual(Registration.objects.get(user=self.second_member).status, RegistrationStatus.REGISTERED)
        self.assertEqual(self.client.post(f"{EVENTS}{self.event.pk}/cancel/").status_code, 400)

    def test_an_anonymous_visitor_cannot_register_and_nobody_registers_for_a_draft(self):
        response = self.client.post(f"{EVENTS}{self.event.pk}/register/")
        self.assertIn(response.status_code, (401, 403))
        self.login(self.north_staff)
        self.assertEqual(self.client.post(f"{EVENTS}{self.draft.pk}/register/").status_code, 404)
        self.assertFalse(Registration.objects.exists())
        self.assertFalse(AuditEntry.objects.for_model(Registration).exists())

    def test_events_cannot_be_written_through_the_api(self):
        self.login(self.south_staff)
        self.assertEqual(self.client.patch(f"{EVENTS}{self.event.pk}/", {"title": "x"},
                                           content_type="application/json").status_code, 405)


class RegistrationApiTests(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = services.register(cls.event, user=cls.member, acting_user=cls.member)
        cls.north_registration = services.register(cls.north_event, user=cls.second_member,
                                                   acting_user=cls.second_member)

    def ids(self, user):
        self.login(user)
        response = self.client.get(REGISTRATIONS)
        self.assertEqual(response.status_code, 200)
        return {row["id"] for row in response.json()["results"]}

    def test_members_see_their_own_registrations_and_centre_staff_their_events_ones(self):
        self.assertEqual(self.ids(self.member), {self.mine.pk})
        self.assertEqual(self.ids(self.second_member), {self.north_registration.pk})
        self.assertEqual(self.ids(self.south_staff), {self.mine.pk})
        self.assertEqual(self.ids(self.north_staff), {self.north_registration.pk})
        self.assertEqual(self.ids(self.editor), set())
        self.assertEqual(self.ids(self.staff), {self.mine.pk, self.north_registration.pk})
        self.client.logout()
        self.assertEqual(self.client.get(REGISTRATIONS).json()["results"], [])
        self.assertEqual(self.client.get(f"{REGISTRATIONS}{self.mine.pk}/").status_code, 404)


class CourseApiTests(LearningTestCase):
    def test_courses_with_modules_are_read_with_filters_and_drafts_stay_with_their_centre(self):
        course = Course.objects.create(title="หลักสูตรสาธิต", centre=self.south, is_published=True)
        module = Module.objects.create(course=course, title="โมดูล 1", position=1)
        module.materials.create(title="เอกสาร", url="https://example.org/doc")
        draft = Course.objects.create(title="ร่าง", centre=self.south)
        response = self.client.get(COURSES, {"centre": "south"})
        rows = response.json()["results"]
        self.assertEqual([row["id"] for row in rows], [course.pk])
        self.assertEqual(rows[0]["modules"][0]["materials"][0]["url"], "https://example.org/doc")
        self.assertEqual(self.client.get(COURSES, {"centre": "north"}).json()["results"], [])
        self.login(self.north_staff)
        self.assertEqual(self.client.get(f"{COURSES}{draft.pk}/").status_code, 404)
        self.login(self.south_staff)
        self.assertEqual(self.client.get(f"{COURSES}{draft.pk}/").status_code, 200)
