"""The admin assigns coaches through the same service as matching, with the same refusals."""

from django.core import mail
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.coaching import matching_services as services
from thetsaban.coaching.choices import AssignmentRole, CoachStatus
from thetsaban.coaching.models import Assignment
from thetsaban.coaching.tests.test_matching_services import MatchingTestCase


class AssignmentAdminTests(MatchingTestCase):
    url = reverse("admin:coaching_assignment_add")

    def add(self, coach, project, role=AssignmentRole.LEAD):
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(self.url, {"coach": coach.pk, "project": project.pk, "role": role,
                                               "started_on": "2026-12-01"}, follow=True)

    def assertRefused(self, response, message):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertFalse(Assignment.objects.exists())
        self.assertEqual(len(mail.outbox), 0)

    def test_an_assignment_made_in_the_admin_is_checked_audited_and_e_mailed(self):
        response = self.add(self.south_coach, self.hy_project)
        assignment = Assignment.objects.get()
        self.assertEqual((assignment.coach, assignment.project, assignment.role),
                         (self.south_coach, self.hy_project, AssignmentRole.LEAD))
        self.assertContains(response, "they have been e-mailed")
        self.assertEqual(mail.outbox[0].to, ["coach@example.org"])
        entry = AuditEntry.objects.for_object(assignment).get()
        self.assertEqual((entry.action, entry.actor), ("create", self.staff))

    def test_a_coach_without_an_address_is_not_said_to_be_e_mailed(self):
        response = self.add(self.north_coach, self.cr_project)
        self.assertContains(response, "They have no e-mail address on record")
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Assignment.objects.count(), 1)

    def test_a_full_coach_is_refused(self):
        services.assign_coach(self.south_coach, self.hy_project, acting_user=None, notify=False)
        self.login(self.staff)
        response = self.client.post(self.url, {"coach": self.south_coach.pk, "project": self.cr_project.pk,
                                               "role": AssignmentRole.LEAD})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is now full: 1 of 1 projects")
        self.assertEqual(Assignment.objects.count(), 1)

    def test_a_coach_is_refused_on_their_own_lgus_project(self):
        self.assertRefused(self.add(self.south_coach, self.sk_project), "cannot coach its own project")

    def test_an_unapproved_coach_is_refused(self):
        self.north_coach.status = CoachStatus.APPLIED
        self.north_coach.save()
        self.assertRefused(self.add(self.north_coach, self.cr_project), "is no longer an approved coach")

    def test_staff_do_not_assign_themselves(self):
        self.coach_user.is_staff = self.coach_user.is_superuser = True
        self.coach_user.save()
        self.login(self.coach_user)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url, {"coach": self.south_coach.pk,
                                                   "project": self.hy_project.pk, "role": AssignmentRole.LEAD})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Assignment.objects.exists())
        self.assertContains(response, "You cannot approve your own work")

    def test_a_second_lead_is_refused_and_a_team_member_accepted(self):
        services.assign_coach(self.north_coach, self.hy_project, acting_user=None, notify=False)
        self.login(self.staff)
        response = self.client.post(self.url, {"coach": self.south_coach.pk, "project": self.hy_project.pk,
                                               "role": AssignmentRole.LEAD})
        self.assertContains(response, "already has a coach")
        self.add(self.south_coach, self.hy_project, role=AssignmentRole.MEMBER)
        self.assertEqual(Assignment.objects.filter(project=self.hy_project).count(), 2)

    def test_reopening_an_ended_assignment_of_a_full_coach_is_refused(self):
        ended = services.assign_coach(self.south_coach, self.hy_project, acting_user=None, notify=False)
        ended.ended_on = ended.started_on
        ended.save()
        services.assign_coach(self.south_coach, self.cr_project, acting_user=None, notify=False)
        self.login(self.staff)
        url = reverse("admin:coaching_assignment_change", args=[ended.pk])
        response = self.client.post(url, {"role": AssignmentRole.LEAD, "started_on": "2026-12-01",
                                          "ended_on": ""})
        self.assertContains(response, "is now full")
        ended.refresh_from_db()
        self.assertIsNotNone(ended.ended_on)
        # Ending the other one is always allowed, and audited.
        other = Assignment.objects.get(project=self.cr_project)
        url = reverse("admin:coaching_assignment_change", args=[other.pk])
        response = self.client.post(url, {"role": AssignmentRole.LEAD, "started_on": "2026-12-01",
                                          "ended_on": "2026-12-02"})
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.for_object(other).filter(action="update").get()
        self.assertEqual((entry.before["ended_on"], entry.after["ended_on"]), (None, "2026-12-02"))
