"""Courses on pages: members enrol, tick the modules they have done and withdraw; the course's
centre staff record completion (never their own), which shows on the learner's coach page; league
and centre staff create and edit courses and modules, every write audited."""

from django.core import mail
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.coaching.choices import CoachStatus
from thetsaban.coaching.models import Coach
from thetsaban.directory.choices import OrganisationKind, Visibility
from thetsaban.directory.models import Organisation, Person
from thetsaban.learning import services
from thetsaban.learning.choices import EnrolmentStatus
from thetsaban.learning.models import Course, Enrolment, Module
from thetsaban.learning.tests.base import LearningTestCase
from thetsaban.practices.models import Theme


def audit_notes(obj) -> list[str]:
    return list(AuditEntry.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk))
                .order_by("pk").values_list("note", flat=True))


class CourseFixture(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.provider = Organisation.objects.create(name_th="มหาวิทยาลัยตัวอย่าง", kind=OrganisationKind.ACADEMIC)
        cls.course = Course.objects.create(title="หลักสูตรการจัดการขยะ", provider=cls.provider, centre=cls.south,
                                           is_published=True)
        cls.first = Module.objects.create(course=cls.course, title="โมดูลหนึ่ง", position=1)
        cls.second = Module.objects.create(course=cls.course, title="โมดูลสอง", position=2)
        cls.draft_course = Course.objects.create(title="หลักสูตรร่าง", centre=cls.south)
        cls.north_course = Course.objects.create(title="หลักสูตรภาคเหนือ", centre=cls.north, is_published=True)
        cls.north_module = Module.objects.create(course=cls.north_course, title="โมดูลภาคเหนือ")


class EnrolmentTests(CourseFixture):
    def test_a_member_enrols_ticks_modules_and_withdraws_and_each_step_is_audited(self):
        self.login(self.second_member)
        response = self.client.get(self.course.get_absolute_url())
        self.assertContains(response, "Enrol in this course")
        response = self.client.post(reverse("learning:enrol", args=[self.course.pk]), follow=True)
        self.assertContains(response, "You are enrolled in this course.")
        self.assertContains(response, "You are enrolled: 0 of 2 modules done.")
        response = self.client.post(reverse("learning:progress", args=[self.course.pk]),
                                    {"modules": [self.first.pk]}, follow=True)
        self.assertContains(response, "Your progress was saved.")
        self.assertContains(response, "You are enrolled: 1 of 2 modules done.")
        enrolment = Enrolment.objects.get(course=self.course, user=self.second_member)
        self.assertEqual(list(enrolment.modules_done.all()), [self.first])
        # A module of another course is refused by name, not a 500.
        response = self.client.post(reverse("learning:progress", args=[self.course.pk]),
                                    {"modules": [self.north_module.pk]}, follow=True)
        self.assertContains(response, f"Module {self.north_module.pk} is not a module of this course.")
        response = self.client.post(reverse("learning:progress", args=[self.course.pk]),
                                    {"modules": ["x"]}, follow=True)
        self.assertContains(response, "Modules done: a ticked module is not a module of this course.")
        response = self.client.post(reverse("learning:progress", args=[self.course.pk]), {"withdraw": "1"},
                                    follow=True)
        self.assertContains(response, "You have withdrawn from this course.")
        self.assertContains(response, "Enrol in this course")
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, EnrolmentStatus.WITHDRAWN)
        self.assertEqual(audit_notes(enrolment), ["enrolled", "progress", "withdrawn"])
        # Enrolling again reopens the same enrolment.
        self.client.post(reverse("learning:enrol", args=[self.course.pk]))
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, EnrolmentStatus.ENROLLED)

    def test_a_draft_course_takes_no_enrolment_and_anonymous_visitors_are_sent_to_sign_in(self):
        response = self.client.get(self.course.get_absolute_url())
        self.assertContains(response, "Sign in to enrol.")
        response = self.client.post(reverse("learning:enrol", args=[self.course.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertFalse(Enrolment.objects.exists())
        # The draft is not found by a member; its centre's staff see it but cannot enrol in it.
        self.login(self.second_member)
        self.assertEqual(self.client.post(reverse("learning:enrol", args=[self.draft_course.pk])).status_code, 404)
        self.login(self.south_staff)
        response = self.client.post(reverse("learning:enrol", args=[self.draft_course.pk]), follow=True)
        self.assertContains(response, "“หลักสูตรร่าง” is not open for enrolment.")
        self.assertFalse(Enrolment.objects.exists())

    def test_nobody_records_progress_for_someone_else(self):
        enrolment = services.enrol(self.course, user=self.second_member, acting_user=self.second_member)
        self.login(self.third_member)
        self.assertEqual(self.client.post(reverse("learning:progress", args=[self.course.pk]),
                                          {"modules": [self.first.pk]}).status_code, 404)
        self.assertFalse(enrolment.modules_done.exists())


class CompletionTests(CourseFixture):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.enrolment = services.enrol(cls.course, user=cls.third_member, acting_user=cls.third_member)
        person = Person.objects.create(name_th="ตัวอย่าง โค้ชผู้เรียน", visibility=Visibility.PUBLIC,
                                       listing_consent=True, is_example=True)
        cls.coach = Coach.objects.create(person=person, user=cls.third_member, status=CoachStatus.APPROVED,
                                         home_province=cls.lgu.province)

    def test_the_centre_staff_record_completion_the_learner_is_told_and_the_coach_page_shows_it(self):
        coach_page = reverse("coaching:coach", args=[self.coach.pk])
        self.assertNotContains(self.client.get(coach_page), "Courses completed in the learning network")
        self.login(self.south_staff)
        response = self.client.get(reverse("learning:learners", args=[self.course.pk]))
        self.assertContains(response, "สมหญิง ตัวอย่าง")
        self.assertContains(response, "0 / 2")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("learning:complete", args=[self.course.pk, self.enrolment.pk]),
                                        follow=True)
        self.assertContains(response, "สมหญิง ตัวอย่าง completed the course.")
        self.assertContains(response, "recorded by south-staff")
        self.enrolment.refresh_from_db()
        self.assertEqual(self.enrolment.status, EnrolmentStatus.COMPLETED)
        self.assertEqual(self.enrolment.completed_by, self.south_staff)
        self.assertEqual(audit_notes(self.enrolment), ["enrolled", "completed"])
        self.assertEqual([message.to for message in mail.outbox], [["member3@example.org"]])
        self.assertIn("หลักสูตรการจัดการขยะ", mail.outbox[0].subject)
        # The coach page (coaching reaches it through hooks.coach_page_sections) lists the course,
        # for anyone who may see the coach.
        self.client.logout()
        response = self.client.get(coach_page)
        self.assertContains(response, "Courses completed in the learning network")
        self.assertContains(response, f'<a href="{self.course.get_absolute_url()}">หลักสูตรการจัดการขยะ</a>', html=True)
        self.assertContains(response, "มหาวิทยาลัยตัวอย่าง")
        # And the learner's course page says so.
        self.login(self.third_member)
        self.assertContains(self.client.get(self.course.get_absolute_url()), "You completed this course on")

    def test_a_course_that_is_not_published_any_more_leaves_the_public_coach_page(self):
        services.complete(self.enrolment, acting_user=self.south_staff)
        Course.objects.filter(pk=self.course.pk).update(is_published=False)
        response = self.client.get(reverse("coaching:coach", args=[self.coach.pk]))
        self.assertNotContains(response, "หลักสูตรการจัดการขยะ")

    def test_the_learner_another_centres_staff_and_anonymous_cannot_record_completion(self):
        url = reverse("learning:complete", args=[self.course.pk, self.enrolment.pk])
        response = self.client.post(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        for user in (self.third_member, self.north_staff, self.outsider):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.post(url).status_code, 404)
                self.assertEqual(self.client.get(reverse("learning:learners", args=[self.course.pk])).status_code,
                                 404)
        self.enrolment.refresh_from_db()
        self.assertEqual(self.enrolment.status, EnrolmentStatus.ENROLLED)

    def test_centre_staff_do_not_record_their_own_completion(self):
        own = services.enrol(self.course, user=self.south_staff, acting_user=self.south_staff)
        self.login(self.south_staff)
        response = self.client.get(reverse("learning:learners", args=[self.course.pk]))
        self.assertContains(response, "Another member of staff records your own completion.")
        response = self.client.post(reverse("learning:complete", args=[self.course.pk, own.pk]), follow=True)
        self.assertContains(response, "You cannot approve your own work")
        own.refresh_from_db()
        self.assertEqual(own.status, EnrolmentStatus.ENROLLED)
        # League staff may: another pair of eyes.
        self.login(self.staff)
        self.client.post(reverse("learning:complete", args=[self.course.pk, own.pk]))
        own.refresh_from_db()
        self.assertEqual(own.status, EnrolmentStatus.COMPLETED)

    def test_a_completed_course_is_not_completed_twice_nor_enrolled_again(self):
        services.complete(self.enrolment, acting_user=self.south_staff)
        with self.assertRaisesMessage(services.Refused, "is not enrolled in"):
            services.complete(self.enrolment, acting_user=self.staff)
        with self.assertRaisesMessage(services.Refused, "You have already completed"):
            services.enrol(self.course, user=self.third_member, acting_user=self.third_member)


class CourseFormTests(CourseFixture):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theme = Theme.objects.create(code="environment", name_th="สิ่งแวดล้อม", name_en="Environment")

    def form_data(self, **changes):
        data = {"title": "หลักสูตรใหม่", "summary": "สรุป", "outcomes": "วางแผนได้", "provider": "มหาวิทยาลัยตัวอย่าง",
                "centre": self.south.pk, "themes": [self.theme.pk], "is_published": "on"}
        data.update(changes)
        return data

    def test_centre_staff_create_a_course_of_their_centre_and_add_a_module_audited(self):
        self.login(self.south_staff)
        self.assertContains(self.client.get(reverse("learning:courses")), "New course")
        response = self.client.post(reverse("learning:course_new"), self.form_data(), follow=True)
        self.assertContains(response, "The course was saved.")
        course = Course.objects.get(title="หลักสูตรใหม่")
        self.assertEqual((course.centre, course.provider, list(course.themes.all())),
                         (self.south, self.provider, [self.theme]))
        self.assertTrue(AuditEntry.objects.filter(content_type__model="course", object_id=str(course.pk),
                                                  actor=self.south_staff, action="create").exists())
        response = self.client.post(reverse("learning:module_new", args=[course.pk]),
                                    {"position": 1, "title": "โมดูลแรก", "summary": "", "outcomes": "อธิบายได้",
                                     "practices": ""}, follow=True)
        self.assertContains(response, "The module was saved.")
        self.assertContains(response, "โมดูลแรก")
        module = course.modules.get()
        self.assertTrue(AuditEntry.objects.filter(content_type__model="module", object_id=str(module.pk),
                                                  actor=self.south_staff).exists())
        response = self.client.post(reverse("learning:module_edit", args=[module.pk]),
                                    {"position": 1, "title": "โมดูลแรก (แก้)", "summary": "", "outcomes": "",
                                     "practices": ""})
        self.assertRedirects(response, course.get_absolute_url())
        module.refresh_from_db()
        self.assertEqual(module.title, "โมดูลแรก (แก้)")

    def test_centre_staff_cannot_put_a_course_in_another_centre_and_bad_input_names_the_field(self):
        self.login(self.south_staff)
        response = self.client.post(reverse("learning:course_new"), self.form_data(centre=self.north.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice.")
        response = self.client.post(reverse("learning:course_new"), self.form_data(title="", provider="ไม่มีชื่อนี้"))
        self.assertContains(response, "This field is required.")
        self.assertContains(response, "ไม่มีชื่อนี้")
        self.assertFalse(Course.objects.filter(centre=self.north, title="หลักสูตรใหม่").exists())
        self.assertEqual(Course.objects.count(), 3)

    def test_centre_staff_edit_their_centres_course_and_the_change_is_audited(self):
        self.login(self.south_staff)
        self.assertContains(self.client.get(self.course.get_absolute_url()), "Edit the course")
        response = self.client.post(reverse("learning:course_edit", args=[self.course.pk]),
                                    self.form_data(title="หลักสูตรการจัดการขยะ (ปรับปรุง)"))
        self.assertRedirects(response, self.course.get_absolute_url())
        entry = AuditEntry.objects.filter(content_type__model="course", object_id=str(self.course.pk)).latest("pk")
        self.assertEqual((entry.action, entry.actor, entry.before["title"], entry.after["title"]),
                         ("update", self.south_staff, "หลักสูตรการจัดการขยะ", "หลักสูตรการจัดการขยะ (ปรับปรุง)"))

    def test_league_staff_keep_a_course_of_no_centre(self):
        self.login(self.staff)
        response = self.client.post(reverse("learning:course_new"), self.form_data(centre=""), follow=True)
        self.assertContains(response, "The course was saved.")
        self.assertIsNone(Course.objects.get(title="หลักสูตรใหม่").centre)

    def test_another_centres_staff_members_and_anonymous_cannot_create_or_edit(self):
        edit = reverse("learning:course_edit", args=[self.course.pk])
        module_new = reverse("learning:module_new", args=[self.course.pk])
        module_edit = reverse("learning:module_edit", args=[self.first.pk])
        for url in (reverse("learning:course_new"), edit, module_new, module_edit):
            response = self.client.post(url, self.form_data(title="บุกรุก"))
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.login(self.north_staff)
        self.assertNotContains(self.client.get(self.course.get_absolute_url()), "Edit the course")
        for url in (edit, module_new, module_edit):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, self.form_data(title="บุกรุก")).status_code, 404)
        for user in (self.outsider, self.second_member):
            self.login(user)
            self.assertNotContains(self.client.get(reverse("learning:courses")), "New course")
            self.assertEqual(self.client.post(reverse("learning:course_new"), self.form_data()).status_code, 403)
            self.assertEqual(self.client.post(edit, self.form_data(title="บุกรุก")).status_code, 404)
        self.assertFalse(Course.objects.filter(title__in=["บุกรุก", "หลักสูตรใหม่"]).exists())
        self.assertFalse(Module.objects.filter(title="บุกรุก").exists())

    def test_the_api_reads_courses_only_and_keeps_drafts_with_their_centre(self):
        url = "/api/v1/learning-courses/"
        self.assertIn(self.client.post(url, {"title": "บุกรุก"}).status_code, (401, 403))
        self.login(self.north_staff)
        self.assertEqual(self.client.post(url, {"title": "บุกรุก"}).status_code, 405)
        self.assertNotIn(self.draft_course.pk, [row["id"] for row in self.client.get(url).json()["results"]])
        self.login(self.south_staff)
        self.assertIn(self.draft_course.pk, [row["id"] for row in self.client.get(url).json()["results"]])


class EnrolmentApiTests(CourseFixture):
    URL = "/api/v1/learning-enrolments/"

    def ids(self, user, **params):
        self.login(user)
        response = self.client.get(self.URL, params)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_members_enrol_through_the_api_and_read_their_own_enrolments_only(self):
        self.assertIn(self.client.post(f"/api/v1/learning-courses/{self.course.pk}/enrol/").status_code, (401, 403))
        self.login(self.second_member)
        response = self.client.post(f"/api/v1/learning-courses/{self.course.pk}/enrol/")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual((response.json()["status"], response.json()["user"]), ("enrolled", "member2"))
        again = self.client.post(f"/api/v1/learning-courses/{self.course.pk}/enrol/")
        self.assertEqual(again.status_code, 400)
        self.assertIn("already enrolled", str(again.json()))
        self.assertEqual(self.client.post(f"/api/v1/learning-courses/{self.draft_course.pk}/enrol/").status_code, 404)
        mine = Enrolment.objects.get(user=self.second_member).pk
        other = services.enrol(self.course, user=self.third_member, acting_user=self.third_member).pk
        north = services.enrol(self.north_course, user=self.third_member, acting_user=self.third_member).pk
        self.assertEqual(self.ids(self.second_member), {mine})
        self.assertEqual(self.ids(self.south_staff), {mine, other})
        self.assertEqual(self.ids(self.north_staff), {north})
        self.assertEqual(self.ids(None), set())
        self.assertEqual(self.ids(self.staff, course=self.north_course.pk), {north})
        self.login(self.north_staff)
        self.assertEqual(self.client.get(f"{self.URL}{mine}/").status_code, 404)
