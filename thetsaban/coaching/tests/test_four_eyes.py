"""Nobody vets their own coach application, confirms their own competencies or records their
own trainings (unless staff allow self-approval)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import SELF_APPROVAL_NOTE
from thetsaban.coaching import matching_services as matching
from thetsaban.coaching import services
from thetsaban.coaching.choices import CoachStatus, ProposalDecision, TrainingKind
from thetsaban.coaching.models import Assignment, Coach, Competency, MatchProposal, Training
from thetsaban.coaching.tests.base import CoachingTestCase
from thetsaban.coaching.tests.test_matching_services import MatchingTestCase
from thetsaban.testing import allow_self_approval

REFUSAL = "You cannot approve your own work"


class OwnApplicationTests(CoachingTestCase):
    def setUp(self):
        # The finding: a reviewer applies to the coach pool and approves it with the same token.
        self.own = services.submit_application(
            self.reviewer, acting_user=self.reviewer, person={"name_th": "ผู้ตรวจ สมัครเอง"},
            coach={"home_province": self.songkhla, "capacity": 1}, themes=[self.governance],
            languages=[self.thai], competencies=[Competency(theme=self.governance, title="การมีส่วนร่วม")],
            notify=False)
        self.competency = self.own.competencies.get()

    def status(self):
        return Coach.objects.get(pk=self.own.pk).status

    def api(self, user, path, data):
        self.login(user)
        return self.client.post(path, data, content_type="application/json")

    def approve_api(self, user):
        return self.api(user, f"/api/v1/coaching/coaches/{self.own.pk}/approve/", {"reason": ""})

    def confirm_api(self, user):
        return self.api(user, f"/api/v1/coaching/coaches/{self.own.pk}/confirm-competency/",
                        {"competency": self.competency.pk})

    def training_api(self, user):
        return self.api(user, "/api/v1/coaching/trainings/", {
            "coach": self.own.pk, "kind": TrainingKind.TOT, "title": "ครูฝึกโค้ช"})

    def test_applicant_cannot_approve_their_own_application_through_the_page(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("coaching:approve", args=[self.own.pk]), {"reason": ""},
                                    follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.status(), CoachStatus.APPLIED)

    def test_applicant_cannot_approve_their_own_application_through_the_api(self):
        response = self.approve_api(self.reviewer)
        self.assertEqual(response.status_code, 403)
        self.assertIn(REFUSAL, response.json()["detail"])
        self.assertEqual(self.status(), CoachStatus.APPLIED)

    def test_staff_who_applied_on_someones_behalf_cannot_approve_it(self):
        coach = services.submit_application(
            self.applicant, acting_user=self.staff, person={"name_th": "ผู้สมัคร"},
            coach={"capacity": 1}, themes=[], languages=[self.thai], notify=False)
        self.login(self.staff)
        response = self.client.post(f"/api/v1/coaching/coaches/{coach.pk}/approve/", {"reason": ""},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 403)

    def test_another_reviewer_approves_it(self):
        response = self.approve_api(self.staff)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.status(), CoachStatus.APPROVED)
        entry = AuditEntry.objects.for_object(self.own).first()
        self.assertEqual((entry.actor, entry.note), (self.staff, "approved"))

    def test_applicant_sees_the_approve_button_disabled_with_the_reason(self):
        self.login(self.reviewer)
        for url in (self.own.get_absolute_url(), reverse("coaching:review_queue")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, REFUSAL)
                self.assertContains(response, f'disabled aria-describedby="refusal-{self.own.pk}"')
                self.assertNotContains(response, reverse("coaching:confirm_competency",
                                                         args=[self.competency.pk]))
        self.login(self.staff)
        response = self.client.get(self.own.get_absolute_url())
        self.assertNotContains(response, REFUSAL)
        self.assertContains(response, reverse("coaching:confirm_competency", args=[self.competency.pk]))

    def test_coach_cannot_confirm_their_own_competency(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("coaching:confirm_competency", args=[self.competency.pk]),
                                    follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.confirm_api(self.reviewer).status_code, 403)
        self.assertIsNone(Competency.objects.get(pk=self.competency.pk).confirmed_at)
        self.assertEqual(self.confirm_api(self.staff).status_code, 200)
        self.assertEqual(Competency.objects.get(pk=self.competency.pk).confirmed_by, self.staff)

    def test_coach_cannot_record_their_own_training(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("coaching:add_training", args=[self.own.pk]), {
            "kind": TrainingKind.TOT, "title": "ครูฝึกโค้ช"}, follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.training_api(self.reviewer).status_code, 403)
        self.assertFalse(Training.objects.filter(coach=self.own).exists())
        self.assertEqual(self.training_api(self.staff).status_code, 201)

    def test_staff_coach_gets_no_training_inline_on_their_own_record_in_the_admin(self):
        staff_coach = services.submit_application(
            self.staff, acting_user=self.staff, person={"name_th": "เจ้าหน้าที่"},
            coach={"home_province": self.songkhla, "capacity": 1}, themes=[], languages=[self.thai], notify=False)
        self.login(self.staff)
        own_page = self.client.get(reverse("admin:coaching_coach_change", args=[staff_coach.pk]))
        other_page = self.client.get(reverse("admin:coaching_coach_change", args=[self.own.pk]))
        self.assertNotContains(own_page, 'id="trainings-group"')
        self.assertContains(other_page, 'id="trainings-group"')

    def test_with_the_league_setting_on_self_vetting_succeeds_and_is_audited_as_such(self):
        allow_self_approval()
        self.assertEqual(self.approve_api(self.reviewer).status_code, 200)
        self.assertEqual(self.confirm_api(self.reviewer).status_code, 200)
        self.assertEqual(self.training_api(self.reviewer).status_code, 201)
        self.assertEqual(self.status(), CoachStatus.APPROVED)
        for record in (self.own, self.competency, Training.objects.get(coach=self.own)):
            with self.subTest(record=record):
                entry = AuditEntry.objects.for_object(record).first()
                self.assertEqual(entry.actor, self.reviewer)
                self.assertIn(SELF_APPROVAL_NOTE, entry.note)


class AcceptOwnMatchTests(MatchingTestCase):
    """A staff member who is also a coach does not accept a match that gives them a project."""

    def setUp(self):
        self.coach_user.is_staff = True
        self.coach_user.save(update_fields=["is_staff"])
        self.run = matching.run_matching(acting_user=self.staff)
        self.own = self.run.proposals.get(coach=self.south_coach)

    def decision(self):
        return MatchProposal.objects.get(pk=self.own.pk).decision

    def test_coach_cannot_accept_their_own_match_through_the_page(self):
        self.login(self.coach_user)
        response = self.client.post(reverse("matching:accept", args=[self.own.pk]), follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.decision(), ProposalDecision.PENDING)
        self.assertContains(response, f'disabled aria-describedby="refusal-{self.own.pk}"')

    def test_coach_cannot_accept_their_own_match_through_the_api(self):
        self.login(self.coach_user)
        response = self.client.post(f"/api/v1/coaching/matching/proposals/{self.own.pk}/accept/")
        self.assertEqual(response.status_code, 403)
        self.assertIn(REFUSAL, response.json()["detail"])
        self.assertFalse(Assignment.objects.filter(coach=self.south_coach).exists())

    def test_accept_all_leaves_out_their_own_match_and_says_why(self):
        self.login(self.coach_user)
        response = self.client.post(reverse("matching:accept_all", args=[self.run.pk]), follow=True)
        self.assertContains(response, REFUSAL)
        self.assertEqual(self.decision(), ProposalDecision.PENDING)
        self.assertEqual(Assignment.objects.exclude(coach=self.south_coach).count(), 2)

    def test_other_staff_accept_it(self):
        self.login(self.staff)
        response = self.client.post(f"/api/v1/coaching/matching/proposals/{self.own.pk}/accept/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.decision(), ProposalDecision.ACCEPTED)

    def test_with_the_league_setting_on_the_coach_accepts_and_it_is_audited_as_such(self):
        allow_self_approval()
        self.login(self.coach_user)
        response = self.client.post(f"/api/v1/coaching/matching/proposals/{self.own.pk}/accept/")
        self.assertEqual(response.status_code, 200)
        assignment = Assignment.objects.get(coach=self.south_coach)
        self.assertIn(SELF_APPROVAL_NOTE, AuditEntry.objects.for_object(assignment).get().note)


class ImportOwnApprovalTests(CoachingTestCase):
    """A staff member does not approve their own application by importing a list."""

    def setUp(self):
        self.own = services.submit_application(
            self.staff, acting_user=self.staff, person={"name_th": "เจ้าหน้าที่ สมัครเอง"},
            coach={"home_province": self.songkhla, "capacity": 1}, themes=[],
            languages=[self.thai], notify=False)
        self.file = ("id,name_th,home_province,languages,status\n"
                     f"{self.own.pk},เจ้าหน้าที่ สมัครเอง,90,th,approved\n").encode()

    def upload(self, user):
        self.login(user)
        return self.client.post(reverse("coaching:import"), {
            "file": SimpleUploadedFile("coaches.csv", self.file, content_type="text/csv")})

    def test_staff_cannot_approve_themselves_by_import(self):
        response = self.upload(self.staff)
        self.assertContains(response, REFUSAL, status_code=400)
        self.assertEqual(self.status(), CoachStatus.APPLIED)

    def test_other_staff_approve_by_import_and_with_the_setting_on_so_may_the_applicant(self):
        other_staff = User.objects.create(username="other-staff", is_staff=True)
        self.assertEqual(self.upload(other_staff).status_code, 200)
        self.assertEqual(self.status(), CoachStatus.APPROVED)
        Coach.objects.filter(pk=self.own.pk).update(status=CoachStatus.APPLIED)
        allow_self_approval()
        self.assertEqual(self.upload(self.staff).status_code, 200)
        self.assertEqual(self.status(), CoachStatus.APPROVED)
        self.assertIn(SELF_APPROVAL_NOTE, AuditEntry.objects.for_object(self.own).first().note)

    def status(self):
        return Coach.objects.get(pk=self.own.pk).status


class AdminOwnAssignmentTests(MatchingTestCase):
    """The admin's assignment form is no way around the rule for accepting a match."""

    def setUp(self):
        self.coach_user.is_staff = True
        self.coach_user.is_superuser = True
        self.coach_user.save(update_fields=["is_staff", "is_superuser"])
        self.run = matching.run_matching(acting_user=self.staff)
        self.own = self.run.proposals.get(coach=self.south_coach)

    def test_coach_cannot_give_themselves_the_project_in_the_admin(self):
        add = reverse("admin:coaching_assignment_add")
        data = {"coach": self.south_coach.pk, "project": self.own.project_id, "role": "lead"}
        self.login(self.coach_user)
        response = self.client.post(add, data)
        self.assertContains(response, REFUSAL)
        self.assertFalse(Assignment.objects.filter(coach=self.south_coach).exists())
        self.login(self.staff)
        response = self.client.post(add, data)
        self.assertEqual(response.status_code, 302)
        assignment = Assignment.objects.get(coach=self.south_coach)
        self.assertEqual(AuditEntry.objects.for_object(assignment).get().actor, self.staff)

    def test_coach_cannot_move_an_assignment_to_themselves_in_the_admin(self):
        other = self.run.proposals.exclude(coach=self.south_coach).first()
        assignment = matching.accept_proposal(other, acting_user=self.staff)
        self.login(self.coach_user)
        response = self.client.post(
            reverse("admin:coaching_assignment_change", args=[assignment.pk]),
            {"coach": self.south_coach.pk, "project": assignment.project_id, "role": "lead"})
        # A saved assignment's coach and project are read-only: end it and make another.
        self.assertEqual(response.status_code, 302)
        assignment.refresh_from_db()
        self.assertEqual(assignment.coach, other.coach)

    def test_with_the_league_setting_on_the_admin_assignment_is_audited_as_self_approval(self):
        allow_self_approval()
        self.login(self.coach_user)
        response = self.client.post(reverse("admin:coaching_assignment_add"), {
            "coach": self.south_coach.pk, "project": self.own.project_id, "role": "lead"})
        self.assertEqual(response.status_code, 302)
        assignment = Assignment.objects.get(coach=self.south_coach)
        self.assertIn(SELF_APPROVAL_NOTE, AuditEntry.objects.for_object(assignment).get().note)
