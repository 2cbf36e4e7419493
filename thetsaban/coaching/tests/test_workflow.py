"""Application, vetting, competency confirmation and trainings, through the services and pages."""

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.coaching import services
from thetsaban.coaching.choices import Availability, CoachStatus, TrainingKind
from thetsaban.coaching.models import Coach, Competency
from thetsaban.coaching.tests.base import CoachingTestCase
from thetsaban.directory.choices import Visibility


def application_data(**changes):
    data = {
        "name_th": "สมใจ ผู้สมัคร", "name_en": "Somjai Applicant", "honorific": "",
        "listing_consent": "on", "visibility": Visibility.PUBLIC,
        "themes": ["1"], "languages": [], "home_province": "", "affiliation": "",
        "capacity": "2", "availability": Availability.AVAILABLE, "motivation": "อยากช่วยเทศบาล",
        "competencies-TOTAL_FORMS": "1", "competencies-INITIAL_FORMS": "0",
        "competencies-MIN_NUM_FORMS": "0", "competencies-MAX_NUM_FORMS": "30",
        "competencies-0-theme": "", "competencies-0-title": "จัดเวทีประชาคม",
        "competencies-0-evidence": "เทศบาลนครสงขลา 2566",
    }
    data.update(changes)
    return data


class ApplicationTests(CoachingTestCase):
    def test_member_applies_through_the_form_and_gets_a_directory_person(self):
        self.login(self.member)
        response = self.client.get(reverse("coaching:apply"))
        self.assertEqual(response.status_code, 200)
        data = application_data(themes=[str(self.governance.pk)],
                                languages=[str(self.thai.pk)], home_province=str(self.songkhla.pk))
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("coaching:apply"), data)
        coach = Coach.objects.get(user=self.member)
        self.assertRedirects(response, coach.get_absolute_url())
        self.assertEqual(coach.status, CoachStatus.APPLIED)
        self.member.refresh_from_db()
        self.assertEqual(self.member.person, coach.person)
        self.assertTrue(coach.person.listing_consent)
        self.assertIsNotNone(coach.person.consent_recorded_at)
        self.assertEqual(coach.person.visibility, Visibility.PUBLIC)
        self.assertEqual(list(coach.languages.all()), [self.thai])
        self.assertEqual(coach.competencies.get().title, "จัดเวทีประชาคม")
        self.assertTrue(AuditEntry.objects.for_object(coach).exists())

    def test_application_without_language_is_refused_with_a_message(self):
        self.login(self.member)
        data = application_data(home_province=str(self.songkhla.pk))
        response = self.client.post(reverse("coaching:apply"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("languages", response.context["form"].errors)
        self.assertFalse(Coach.objects.filter(user=self.member).exists())

    def test_application_with_bad_capacity_is_refused(self):
        self.login(self.member)
        data = application_data(languages=[str(self.thai.pk)], home_province=str(self.songkhla.pk),
                                capacity="0")
        response = self.client.post(reverse("coaching:apply"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("capacity", response.context["form"].errors)

    def test_anonymous_visitor_is_sent_to_sign_in(self):
        response = self.client.get(reverse("coaching:apply"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_default_visibility_is_members(self):
        self.login(self.member)
        response = self.client.get(reverse("coaching:apply"))
        self.assertEqual(response.context["form"]["visibility"].value(), Visibility.MEMBERS)


class VettingTests(CoachingTestCase):
    def test_reviewer_approves_and_applicant_is_emailed(self):
        self.login(self.reviewer)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("coaching:approve", args=[self.applicant_coach.pk]),
                                        {"reason": "", "next": "queue"})
        self.assertRedirects(response, reverse("coaching:review_queue"))
        coach = Coach.objects.get(pk=self.applicant_coach.pk)
        self.assertEqual(coach.status, CoachStatus.APPROVED)
        self.assertEqual(coach.reviewed_by, self.reviewer)
        self.assertIsNotNone(coach.reviewed_at)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["applicant@example.org"])
        self.assertTrue(AuditEntry.objects.for_object(coach).filter(note="approved").exists())

    def test_reject_needs_a_reason(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("coaching:reject", args=[self.applicant_coach.pk]),
                                    {"reason": "  "})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Coach.objects.get(pk=self.applicant_coach.pk).status, CoachStatus.APPLIED)
        with self.assertRaises(ValidationError):
            services.reject_coach(self.applicant_coach, acting_user=self.reviewer, reason="")

    def test_reviewer_rejects_with_reason_and_applicant_is_emailed(self):
        self.login(self.reviewer)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("coaching:reject", args=[self.applicant_coach.pk]),
                             {"reason": "ยังไม่มีประสบการณ์เป็นพี่เลี้ยง"})
        coach = Coach.objects.get(pk=self.applicant_coach.pk)
        self.assertEqual(coach.status, CoachStatus.REJECTED)
        self.assertEqual(coach.decision_reason, "ยังไม่มีประสบการณ์เป็นพี่เลี้ยง")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("ยังไม่มีประสบการณ์เป็นพี่เลี้ยง", mail.outbox[0].body)

    def test_no_email_when_the_transaction_rolls_back(self):
        from django.db import transaction

        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    services.approve_coach(self.applicant_coach, acting_user=self.reviewer)
                    raise RuntimeError("roll back")
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])

    def test_rejected_applicant_applies_again_and_returns_to_the_queue(self):
        services.reject_coach(self.applicant_coach, acting_user=self.reviewer, reason="ขาดหลักฐาน",
                              notify=False)
        coach = services.submit_application(
            self.applicant, acting_user=self.applicant,
            person={"name_th": "งามตา ตัวอย่าง", "listing_consent": True},
            coach={"home_province": self.songkhla, "capacity": 1,
                   "availability": Availability.AVAILABLE, "motivation": "มีหลักฐานแล้ว"},
            themes=[self.governance], languages=[self.thai], notify=False)
        self.assertEqual(coach.pk, self.applicant_coach.pk)
        self.assertEqual(coach.status, CoachStatus.APPLIED)
        self.assertEqual(coach.decision_reason, "")

    def test_only_reviewers_vet(self):
        for user in (self.member, self.editor, self.outsider, self.applicant):
            self.login(user)
            response = self.client.post(reverse("coaching:approve", args=[self.applicant_coach.pk]))
            self.assertEqual(response.status_code, 403, user)
            response = self.client.get(reverse("coaching:review_queue"))
            self.assertEqual(response.status_code, 403, user)
            with self.assertRaises(PermissionDenied):
                services.approve_coach(self.applicant_coach, acting_user=user)
        self.assertEqual(Coach.objects.get(pk=self.applicant_coach.pk).status, CoachStatus.APPLIED)

    def test_review_queue_lists_pending_applications_for_reviewers_and_staff(self):
        for user in (self.reviewer, self.staff):
            self.login(user)
            response = self.client.get(reverse("coaching:review_queue"))
            self.assertEqual(response.status_code, 200)
            self.assertEqual([c.pk for c in response.context["page"]], [self.applicant_coach.pk])
            self.assertContains(response, "จัดเวทีประชาคม")

    def test_reviewer_confirms_a_competency(self):
        self.login(self.reviewer)
        self.client.post(reverse("coaching:confirm_competency", args=[self.competency.pk]))
        competency = Competency.objects.get(pk=self.competency.pk)
        self.assertEqual(competency.confirmed_by, self.reviewer)
        self.assertTrue(competency.is_confirmed)

    def test_changing_a_confirmed_competency_voids_the_confirmation(self):
        services.confirm_competency(self.competency, acting_user=self.reviewer)
        competency = Competency.objects.get(pk=self.competency.pk)
        competency.title = "จัดเวทีประชาคมระดับจังหวัด"
        services.submit_application(
            self.applicant, acting_user=self.applicant,
            person={"name_th": "งามตา ตัวอย่าง"},
            coach={"home_province": self.songkhla}, themes=[], languages=[self.thai],
            competencies=[competency], notify=False)
        self.assertFalse(Competency.objects.get(pk=self.competency.pk).is_confirmed)

    def test_member_cannot_confirm_a_competency(self):
        self.login(self.member)
        response = self.client.post(reverse("coaching:confirm_competency", args=[self.competency.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Competency.objects.get(pk=self.competency.pk).is_confirmed)

    def test_reviewer_records_a_training_of_trainers(self):
        self.login(self.reviewer)
        self.client.post(reverse("coaching:add_training", args=[self.public_coach.pk]),
                         {"kind": TrainingKind.TOT, "title": "หลักสูตรวิทยากรพี่เลี้ยง",
                          "completed_on": "2024-05-01"})
        training = self.public_coach.trainings.get()
        self.assertEqual(training.kind, TrainingKind.TOT)
        response = self.client.get(self.public_coach.get_absolute_url())
        self.assertContains(response, "หลักสูตรวิทยากรพี่เลี้ยง")

    def test_member_cannot_record_a_training(self):
        self.login(self.member)
        response = self.client.post(reverse("coaching:add_training", args=[self.public_coach.pk]),
                                    {"kind": TrainingKind.TOT, "title": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.public_coach.trainings.exists())
