import io

from django.urls import reverse
from pypdf import PdfReader

from thetsaban.accounts.models import AuditEntry
from thetsaban.learning import services
from thetsaban.learning.models import Feedback, Registration
from thetsaban.learning.tests.base import LearningTestCase, make_event


class AttendanceTests(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.held = make_event(cls.south, days=-1, capacity=5, title="อบรมที่จัดไปแล้ว")
        cls.came = Registration.objects.create(event=cls.held, user=cls.third_member)
        cls.absent = Registration.objects.create(event=cls.held, user=cls.member)

    def take(self, user, ids):
        self.login(user)
        return self.client.post(reverse("learning:attendance", args=[self.held.pk]),
                                {"attended": [str(pk) for pk in ids]}, follow=True)

    def test_the_centre_staff_take_attendance_and_attendees_get_a_certificate_code(self):
        response = self.take(self.south_staff, [self.came.pk])
        self.assertContains(response, "Attendance saved (1 changed).")
        self.came.refresh_from_db()
        self.absent.refresh_from_db()
        self.assertTrue(self.came.attended)
        self.assertRegex(self.came.certificate_code, r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
        self.assertFalse(self.absent.attended)
        self.assertIsNone(self.absent.certificate_code)
        entry = AuditEntry.objects.for_object(self.came).get(note="attendance")
        self.assertEqual(entry.actor, self.south_staff)

    def test_staff_of_another_region_a_member_and_an_anonymous_visitor_cannot_take_attendance(self):
        for user in (self.north_staff, self.member, self.editor):
            response = self.take(user, [self.came.pk])
            self.assertEqual(response.status_code, 404, user)
        self.client.logout()
        response = self.client.post(reverse("learning:attendance", args=[self.held.pk]), {"attended": [self.came.pk]})
        self.assertEqual(response.status_code, 302)
        self.came.refresh_from_db()
        self.assertFalse(self.came.attended)

    def test_a_tick_for_a_registration_of_another_event_is_refused_with_a_message(self):
        other = Registration.objects.create(event=self.event, user=self.second_member)
        response = self.take(self.south_staff, [self.came.pk, other.pk])
        self.assertContains(response, f"Registration {other.pk} is not a registered participant of this event.")
        self.came.refresh_from_db()
        self.assertFalse(self.came.attended)
        response = self.take(self.south_staff, ["x"])
        self.assertContains(response, "a ticked row is not a registration of this event")

    def test_attendance_waits_until_the_event_starts(self):
        Registration.objects.create(event=self.event, user=self.member)
        self.login(self.south_staff)
        response = self.client.get(reverse("learning:attendance", args=[self.event.pk]))
        self.assertContains(response, "Attendance is taken once the event has started.")

    def test_an_attendee_downloads_a_thai_certificate_that_anyone_can_verify(self):
        services.take_attendance(self.held, attended_ids=[self.came.pk], acting_user=self.south_staff)
        self.came.refresh_from_db()
        self.login(self.third_member)
        page = self.client.get(self.held.get_absolute_url())
        self.assertContains(page, "Download the certificate (PDF)")
        response = self.client.get(reverse("learning:certificate", args=[self.came.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        pdf = response.content
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertIn(b"Sarabun", pdf)
        text = _pdf_text(pdf)
        self.assertIn(self.came.certificate_code, text)
        self.assertIn("สมหญิง ตัวอย่าง", text)
        self.client.logout()
        verified = self.client.get(reverse("learning:verify"), {"code": self.came.certificate_code.lower()})
        self.assertContains(verified, "This certificate is valid")
        self.assertContains(verified, "สมหญิง ตัวอย่าง")
        self.assertContains(verified, self.held.title)

    def test_a_wrong_code_is_not_verified_and_others_cannot_download_the_certificate(self):
        services.take_attendance(self.held, attended_ids=[self.came.pk], acting_user=self.south_staff)
        response = self.client.get(reverse("learning:verify"), {"code": "AAAA-BBBB-CCCC"})
        self.assertContains(response, "No certificate has the code “AAAA-BBBB-CCCC”.")
        for user in (self.member, self.north_staff):
            self.login(user)
            self.assertEqual(self.client.get(reverse("learning:certificate", args=[self.came.pk])).status_code, 404)
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("learning:certificate", args=[self.absent.pk])).status_code, 404)

    def test_attendees_rate_the_event_and_the_averages_show_on_it(self):
        second = Registration.objects.create(event=self.held, user=self.second_member)
        services.take_attendance(self.held, attended_ids=[self.came.pk, second.pk], acting_user=self.south_staff)
        self.login(self.third_member)
        response = self.client.post(reverse("learning:feedback", args=[self.held.pk]),
                                    {"overall": "5", "content": "4", "organisation": "3", "comment": "ดีมาก"},
                                    follow=True)
        self.assertContains(response, "Thank you for your feedback.")
        self.login(self.second_member)
        self.client.post(reverse("learning:feedback", args=[self.held.pk]),
                         {"overall": "4", "content": "4", "organisation": "2"})
        response = self.client.get(self.held.get_absolute_url())
        self.assertContains(response, "Overall 4.5 · content and speakers 4.0 · organisation 2.5 (2 answers)")
        self.assertEqual(AuditEntry.objects.for_model(Feedback).count(), 2)

    def test_only_attendees_give_feedback_and_ratings_must_be_1_to_5(self):
        self.login(self.member)
        self.assertEqual(self.client.get(reverse("learning:feedback", args=[self.held.pk])).status_code, 404)
        services.take_attendance(self.held, attended_ids=[self.came.pk], acting_user=self.south_staff)
        self.login(self.third_member)
        response = self.client.post(reverse("learning:feedback", args=[self.held.pk]),
                                    {"overall": "9", "content": "4", "organisation": "3"})
        self.assertContains(response, "Select a valid choice. 9 is not one of the available choices.")
        self.assertFalse(Feedback.objects.exists())


def _pdf_text(pdf: bytes) -> str:
    """The text of a PDF as a reader extracts it (through the fonts' ToUnicode maps)."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


class CoachProfileTests(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        from thetsaban.coaching.choices import CoachStatus
        from thetsaban.coaching.models import Coach
        from thetsaban.directory.choices import Visibility
        from thetsaban.directory.models import Person

        super().setUpTestData()
        person = Person.objects.create(name_th="ตัวอย่าง โค้ช", visibility=Visibility.PUBLIC, listing_consent=True,
                                       is_example=True)
        cls.coach = Coach.objects.create(person=person, user=cls.third_member, status=CoachStatus.APPROVED,
                                         home_province=cls.lgu.province)
        cls.held = make_event(cls.south, days=-2, title="อบรมวิทยากรพี่เลี้ยง")
        cls.came = Registration.objects.create(event=cls.held, user=cls.third_member)
        services.take_attendance(cls.held, attended_ids=[cls.came.pk], acting_user=cls.south_staff)
        cls.came.refresh_from_db()

    def test_league_staff_put_an_attended_training_on_the_coachs_profile_once(self):
        url = reverse("learning:record_training", args=[self.held.pk, self.came.pk])
        self.login(self.staff)
        page = self.client.get(reverse("learning:attendance", args=[self.held.pk]))
        self.assertContains(page, "Record on the coach")
        response = self.client.post(url, follow=True)
        self.assertContains(response, "The training is now on ตัวอย่าง โค้ช")
        training = self.coach.trainings.get()
        self.assertEqual((training.title, training.certificate_number), (self.held.title, self.came.certificate_code))
        profile = self.client.get(self.coach.get_absolute_url())
        self.assertContains(profile, "อบรมวิทยากรพี่เลี้ยง")
        response = self.client.post(url, follow=True)
        self.assertContains(response, "This training is already on the coach")
        self.assertEqual(self.coach.trainings.count(), 1)

    def test_centre_staff_who_are_not_reviewers_and_others_cannot_record_it(self):
        url = reverse("learning:record_training", args=[self.held.pk, self.came.pk])
        self.login(self.south_staff)
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Only reviewers and league staff record trainings.")
        for user in (self.north_staff, self.reviewer, self.third_member):
            self.login(user)
            self.assertEqual(self.client.post(url).status_code, 404, user)
        self.assertFalse(self.coach.trainings.exists())
