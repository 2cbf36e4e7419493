"""The learning network's administration goes through its services: enrolments are read only
there (completion is recorded by the course page's service, four eyes and audited), and a
module's materials pass the same checks and audit as on the course pages."""

from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.learning import services
from thetsaban.learning.choices import EnrolmentStatus
from thetsaban.learning.models import Enrolment, Material
from thetsaban.learning.tests.test_courses import CourseFixture, audit_notes
from thetsaban.testing import admin_form_data


class EnrolmentAdminTests(CourseFixture):
    LIST = reverse("admin:learning_enrolment_changelist")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.learner = services.enrol(cls.course, user=cls.third_member, acting_user=cls.third_member)
        cls.north_learner = services.enrol(cls.north_course, user=cls.second_member, acting_user=cls.second_member)
        # League staff are learners too: their own completion is someone else's to record.
        cls.own = services.enrol(cls.course, user=cls.staff, acting_user=cls.staff)

    def action(self, *enrolments):
        return self.client.post(self.LIST, {"action": "record_completion",
                                            helpers.ACTION_CHECKBOX_NAME: [e.pk for e in enrolments]}, follow=True)

    def listed(self, **params) -> set[int]:
        response = self.client.get(self.LIST, params)
        self.assertEqual(response.status_code, 200)
        return {row.pk for row in response.context["cl"].result_list}

    def test_league_staff_list_filter_and_search_enrolments(self):
        for user in (None, self.south_staff, self.third_member):
            self.login(user)
            response = self.client.get(self.LIST)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("admin:login"), response["Location"])
        self.login(self.staff)
        response = self.client.get(self.LIST)
        self.assertContains(response, "หลักสูตรการจัดการขยะ")
        self.assertContains(response, "member3")
        self.assertEqual(self.listed(), {self.learner.pk, self.north_learner.pk, self.own.pk})
        self.assertEqual(self.listed(course__id__exact=self.north_course.pk), {self.north_learner.pk})
        self.assertEqual(self.listed(course__centre__id__exact=self.south.pk), {self.learner.pk, self.own.pk})
        services.withdraw(self.north_learner, acting_user=self.second_member)
        self.assertEqual(self.listed(status__exact="withdrawn"), {self.north_learner.pk})
        self.assertEqual(self.listed(q="สมหญิง"), {self.learner.pk})
        self.assertEqual(self.listed(q="member2"), {self.north_learner.pk})

    def test_enrolments_cannot_be_added_changed_or_deleted_in_the_admin(self):
        self.login(self.staff)
        change = reverse("admin:learning_enrolment_change", args=[self.learner.pk])
        self.assertEqual(self.client.get(reverse("admin:learning_enrolment_add")).status_code, 403)
        self.assertEqual(self.client.get(change).status_code, 200)  # to read
        # The audited admin turns the refusal into a message rather than an error page.
        self.assertContains(self.client.post(change, {"status": "completed", "user": self.staff.pk}, follow=True),
                            "Not saved")
        self.assertEqual(self.client.post(reverse("admin:learning_enrolment_delete", args=[self.learner.pk]),
                                          {"post": "yes"}).status_code, 403)
        self.client.post(self.LIST, {"action": "delete_selected", "post": "yes",
                                     helpers.ACTION_CHECKBOX_NAME: [self.learner.pk]})
        actions = dict(self.client.get(self.LIST).context["action_form"].fields["action"].choices)
        self.assertEqual(set(actions) - {""}, {"record_completion"})
        self.learner.refresh_from_db()
        self.assertEqual((self.learner.status, self.learner.user), (EnrolmentStatus.ENROLLED, self.third_member))
        self.assertEqual(Enrolment.objects.count(), 3)

    def test_recording_completion_in_the_admin_keeps_four_eyes_and_is_audited(self):
        self.login(self.staff)
        response = self.action(self.own)
        self.assertContains(response, "You cannot approve your own work")
        self.own.refresh_from_db()
        self.assertEqual(self.own.status, EnrolmentStatus.ENROLLED)
        response = self.action(self.learner)
        self.assertContains(response, "สมหญิง ตัวอย่าง completed “หลักสูตรการจัดการขยะ”.")
        self.learner.refresh_from_db()
        self.assertEqual((self.learner.status, self.learner.completed_by), (EnrolmentStatus.COMPLETED, self.staff))
        self.assertEqual(audit_notes(self.learner), ["enrolled", "completed"])
        # A completed course is not completed twice.
        self.assertContains(self.action(self.learner), "is not enrolled in")

    def test_the_centre_staff_record_the_admins_own_completion(self):
        # The same rule, the other way round: another person records it, on the learners page.
        self.login(self.south_staff)
        self.client.post(reverse("learning:complete", args=[self.course.pk, self.own.pk]))
        self.own.refresh_from_db()
        self.assertEqual((self.own.status, self.own.completed_by), (EnrolmentStatus.COMPLETED, self.south_staff))


class MaterialAdminTests(CourseFixture):
    def test_a_material_added_in_the_admin_passes_the_upload_checks_and_is_audited(self):
        self.login(self.staff)
        url = reverse("admin:learning_module_change", args=[self.first.pk])
        data = admin_form_data(self.client.get(url))
        data.update({"materials-TOTAL_FORMS": "1", "materials-0-title": "โปรแกรม", "materials-0-url": "",
                     "materials-0-file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")})
        response = self.client.post(url, data)
        self.assertContains(response, "Files of type .exe cannot be attached")
        self.assertFalse(Material.objects.exists())
        data.update({"materials-0-file": "", "materials-0-url": "https://example.org/slides", "materials-0-title": "สไลด์"})
        self.assertEqual(self.client.post(url, data).status_code, 302)
        material = Material.objects.get()
        entry = AuditEntry.objects.get(content_type__model="material", object_id=str(material.pk))
        self.assertEqual((entry.action, entry.actor), ("create", self.staff))
