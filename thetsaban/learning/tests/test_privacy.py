"""The learning network in the register of personal data: a member's copy holds their
registrations, and erasure takes them, their feedback and their centre role, so that their
certificate's code no longer names them."""

from django.urls import reverse

from thetsaban.accounts.models import User
from thetsaban.learning import services
from thetsaban.learning.models import CentreStaff, Feedback, Registration
from thetsaban.learning.tests.base import LearningTestCase, make_event
from thetsaban.privacy.erasure import erase_subject
from thetsaban.privacy.register import Subject, found_for


class LearningPrivacyTests(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.held = make_event(cls.south, days=-1, capacity=5, title="อบรมที่จัดไปแล้ว")
        cls.came = Registration.objects.create(event=cls.held, user=cls.third_member)
        cls.other = Registration.objects.create(event=cls.held, user=cls.second_member)
        services.take_attendance(cls.held, attended_ids=[cls.came.pk, cls.other.pk], acting_user=cls.south_staff)
        cls.came.refresh_from_db()
        services.submit_feedback(cls.came, acting_user=cls.third_member, overall=5, content=4, organisation=4,
                                 comment="ตัวอย่างความเห็น")
        services.grant_centre_staff(cls.north, cls.third_member, acting_user=cls.staff)

    def test_the_members_copy_lists_their_registration_feedback_and_centre_role(self):
        found = {entry.model_label: rows for entry, rows in found_for(Subject.of(self.third_member))}
        self.assertEqual([row["certificate_code"] for row in found["learning.Registration"]],
                         [self.came.certificate_code])
        self.assertEqual([row["comment"] for row in found["learning.Feedback"]], ["ตัวอย่างความเห็น"])
        self.assertEqual(len(found["learning.CentreStaff"]), 1)

    def test_after_erasure_the_certificate_no_longer_verifies_nor_names_the_person(self):
        code = self.came.certificate_code
        verified = self.client.get(reverse("learning:verify"), {"code": code})
        self.assertContains(verified, "สมหญิง ตัวอย่าง")
        counts = erase_subject(Subject.of(self.third_member), acting_user=self.staff, reason="PDPA s.33")
        self.assertEqual(counts["learning.Registration"], 1)
        self.assertEqual(counts["learning.Feedback"], 1)
        self.assertEqual(counts["learning.CentreStaff"], 1)
        self.assertFalse(User.objects.filter(pk=self.third_member.pk).exists())
        self.assertFalse(CentreStaff.objects.filter(user_id=self.third_member.pk).exists())
        self.assertFalse(Feedback.objects.exists())
        response = self.client.get(reverse("learning:verify"), {"code": code})
        self.assertContains(response, f"No certificate has the code “{code}”.")
        self.assertNotContains(response, "สมหญิง")
        # The other attendee's certificate still verifies.
        self.other.refresh_from_db()
        self.assertContains(self.client.get(reverse("learning:verify"), {"code": self.other.certificate_code}),
                            "This certificate is valid")


class ErasureFreesThePlaceTests(LearningTestCase):
    """Erasing a member who holds a place at an upcoming event gives the place to the first on
    the waiting list, as their cancellation would (audited, and the promoted member is e-mailed)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.full = make_event(cls.south, capacity=1, title="อบรมที่เต็มแล้ว")
        cls.holder = services.register(cls.full, user=cls.third_member, acting_user=cls.third_member)
        cls.waiting = services.register(cls.full, user=cls.second_member, acting_user=cls.second_member)
        cls.later = services.register(cls.full, user=cls.member, acting_user=cls.member)

    def test_the_first_waiting_member_takes_the_erased_members_place_and_is_told(self):
        from django.core import mail

        from thetsaban.accounts.models import AuditEntry
        from thetsaban.learning.choices import RegistrationStatus

        self.assertEqual(self.waiting.status, RegistrationStatus.WAITING)
        with self.captureOnCommitCallbacks(execute=True):
            erase_subject(Subject.of(self.third_member), acting_user=self.staff, reason="PDPA s.33")
        self.waiting.refresh_from_db()
        self.later.refresh_from_db()
        self.assertEqual(self.waiting.status, RegistrationStatus.REGISTERED)
        self.assertEqual(self.later.status, RegistrationStatus.WAITING)
        self.assertEqual([message.to for message in mail.outbox], [["member2@example.org"]])
        self.assertIn("อบรมที่เต็มแล้ว", mail.outbox[0].subject)
        self.assertTrue(AuditEntry.objects.filter(content_type__model="registration", object_id=str(self.waiting.pk),
                                                  note="promoted from the waiting list", actor=self.staff).exists())
        # The event page shows the promoted member's place to them.
        self.client.force_login(self.second_member)
        page = self.client.get(self.full.get_absolute_url())
        self.assertContains(page, "1 of 1 taken, 0 left")
        self.assertContains(page, "1 on the waiting list")

    def test_erasing_someone_on_the_waiting_list_or_after_the_event_started_promotes_nobody(self):
        from thetsaban.learning.choices import RegistrationStatus

        erase_subject(Subject.of(self.second_member), acting_user=self.staff, reason="PDPA s.33")
        self.later.refresh_from_db()
        self.assertEqual(self.later.status, RegistrationStatus.WAITING)
        self.full.starts_at = self.full.ends_at = self.full.starts_at.replace(year=2020)
        self.full.save()
        erase_subject(Subject.of(self.third_member), acting_user=None, reason="replayed")
        self.later.refresh_from_db()
        self.assertEqual(self.later.status, RegistrationStatus.WAITING)
