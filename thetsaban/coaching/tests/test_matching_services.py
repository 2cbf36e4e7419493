"""Matching against the database: reading the input, runs, accepting and rejecting proposals."""

import datetime

from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.coaching import matching_services as services
from thetsaban.coaching.choices import AssignmentRole, CoachStatus, ProposalDecision
from thetsaban.coaching.models import Assignment, Coach, Competency, Language, MatchProposal
from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.models import Membership, Organisation, Person
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu, Province
from thetsaban.practices.models import Theme
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.choices import ProjectStatus
from thetsaban.transfers.models import TransferProject


class MatchingTestCase(ThetsabanTestCase):
    """Two coaches and three projects without a coach (all example data).

    - south_coach (account self.coach_user): Songkhla, Thai, governance confirmed, capacity 1,
      affiliated with the office of self.lgu (Songkhla city), so never coaches it.
    - north_coach: Chiang Rai, Thai and English, environment declared, capacity 2.
    - sk_project at self.lgu (governance), hy_project at Hat Yai (governance),
      cr_project at self.other_lgu (Chiang Rai, environment).
    The optimum: south -> Hat Yai, north -> Songkhla city and Chiang Rai.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.thai, _ = Language.objects.get_or_create(code="th", defaults={"name_th": "ไทย", "name_en": "Thai"})
        cls.english, _ = Language.objects.get_or_create(code="en", defaults={"name_th": "อังกฤษ", "name_en": "English"})
        cls.governance, _ = Theme.objects.get_or_create(code="governance", defaults={"name_th": "ธรรมาภิบาล"})
        cls.environment, _ = Theme.objects.get_or_create(code="environment", defaults={"name_th": "สิ่งแวดล้อม"})
        cls.songkhla = Province.objects.get(code="90")
        cls.chiang_rai = Province.objects.get(code="57")
        cls.hat_yai = Lgu.objects.create(code="TEST-HY", name_th="เทศบาลนครหาดใหญ่", lgu_type=LguType.CITY,
                                         province=cls.songkhla, latitude="7.0086", longitude="100.4747")
        cls.sk_office = Organisation.objects.create(name_th="สำนักงานเทศบาลนครสงขลา (ตัวอย่าง)",
                                                    kind=OrganisationKind.LGU_ADMINISTRATION, lgu=cls.lgu)
        cls.coach_user = User.objects.create(username="coach", email="coach@example.org",
                                             password=make_password(cls.password))
        cls.south_coach = cls.make_coach("โค้ชใต้ ตัวอย่าง", cls.songkhla, [cls.thai], capacity=1,
                                         user=cls.coach_user, affiliation=cls.sk_office)
        Competency.objects.create(coach=cls.south_coach, theme=cls.governance, title="ตัวอย่าง",
                                  confirmed_at=timezone.now())
        cls.north_coach = cls.make_coach("โค้ชเหนือ ตัวอย่าง", cls.chiang_rai, [cls.thai, cls.english],
                                         capacity=2, themes=[cls.environment])
        cls.sk_project = cls.make_project("โครงการตัวอย่าง สงขลา", cls.lgu, cls.governance)
        cls.hy_project = cls.make_project("โครงการตัวอย่าง หาดใหญ่", cls.hat_yai, cls.governance)
        cls.cr_project = cls.make_project("โครงการตัวอย่าง เชียงราย", cls.other_lgu, cls.environment)

    @classmethod
    def make_coach(cls, name, province, languages, *, capacity=1, user=None, affiliation=None, themes=()):
        person = Person.objects.create(name_th=name, is_example=True)
        coach = Coach.objects.create(person=person, user=user, status=CoachStatus.APPROVED,
                                     home_province=province, capacity=capacity, affiliation=affiliation,
                                     is_example=True)
        coach.languages.set(languages)
        coach.themes.set(themes)
        return coach

    @classmethod
    def make_project(cls, title, lgu, theme, status=ProjectStatus.IMPLEMENTATION, language=None):
        return TransferProject.objects.create(title=title, target_lgu=lgu, theme=theme, status=status,
                                              language=language, is_example=True)

    def pairs(self, run):
        return {(p.project_id, p.coach_id) for p in run.proposals.all()}


class ReadInputTests(MatchingTestCase):
    def test_input_has_places_languages_expertise_and_own_lgus(self):
        data = services.read_input()
        coaches = {c.id: c for c in data.coaches}
        south = coaches[self.south_coach.pk]
        self.assertEqual(south.themes_confirmed, {"governance"})
        self.assertEqual(south.own_lgus, {self.lgu.pk})
        self.assertEqual(south.region, "south")
        # Songkhla's centroid is the mean of its two located LGUs.
        self.assertAlmostEqual(south.lat, (7.1898 + 7.0086) / 2, places=4)
        self.assertEqual(coaches[self.north_coach.pk].languages, {"th", "en"})
        self.assertEqual(coaches[self.north_coach.pk].themes_declared, {"environment"})
        projects = {p.id: p for p in data.projects}
        self.assertEqual(set(projects), {self.sk_project.pk, self.hy_project.pk, self.cr_project.pk})
        self.assertEqual(projects[self.sk_project.pk].language, "th")  # no language means Thai

    def test_current_membership_in_an_lgu_office_counts_as_working_for_it(self):
        office = Organisation.objects.create(name_th="สำนักงานเทศบาลนครเชียงราย (ตัวอย่าง)",
                                             kind=OrganisationKind.LGU_ADMINISTRATION, lgu=self.other_lgu)
        Membership.objects.create(person=self.north_coach.person, organisation=office)
        Membership.objects.create(person=self.north_coach.person, organisation=self.sk_office,
                                  end_date=datetime.date(2020, 1, 1))  # ended: does not count
        coaches = {c.id: c for c in services.read_input().coaches}
        self.assertEqual(coaches[self.north_coach.pk].own_lgus, {self.other_lgu.pk})

    def test_coached_closed_and_full_are_left_out(self):
        Assignment.objects.create(coach=self.north_coach, project=self.cr_project)
        self.sk_project.status = ProjectStatus.CLOSED
        self.sk_project.save()
        Coach.objects.filter(pk=self.south_coach.pk).update(status=CoachStatus.INACTIVE)
        data = services.read_input()
        self.assertEqual([p.id for p in data.projects], [self.hy_project.pk])
        self.assertEqual([(c.id, c.capacity) for c in data.coaches], [(self.north_coach.pk, 1)])

    def test_province_without_located_lgus_falls_back_to_its_region(self):
        Lgu.objects.filter(province=self.songkhla).update(latitude=None, longitude=None)
        other_south = Province.objects.create(country=self.songkhla.country, region=self.songkhla.region,
                                              code="91", name_th="สตูล")
        Lgu.objects.create(code="TEST-ST", name_th="เทศบาลเมืองสตูล", lgu_type=LguType.TOWN,
                           province=other_south, latitude="6.62", longitude="100.07")
        data = services.read_input()
        south = next(c for c in data.coaches if c.id == self.south_coach.pk)
        self.assertAlmostEqual(south.lat, 6.62, places=4)
        sk = next(p for p in data.projects if p.id == self.sk_project.pk)
        self.assertAlmostEqual(sk.lat, 6.62, places=4)


class RunTests(MatchingTestCase):
    def test_staff_run_stores_pending_proposals_and_an_audit_entry(self):
        run = services.run_matching(acting_user=self.staff)
        self.assertEqual(self.pairs(run), {(self.hy_project.pk, self.south_coach.pk),
                                           (self.sk_project.pk, self.north_coach.pk),
                                           (self.cr_project.pk, self.north_coach.pk)})
        self.assertEqual(run.unmatched, 0)
        self.assertEqual(run.projects_without_coach, 3)
        self.assertEqual(run.total_cost, sum(p.cost for p in run.proposals.all()))
        self.assertTrue(all(p.decision == ProposalDecision.PENDING for p in run.proposals.all()))
        hy = run.proposals.get(project=self.hy_project)
        self.assertEqual(hy.explanation["expertise"], "confirmed")
        self.assertTrue(hy.explanation["same_region"])
        sk = run.proposals.get(project=self.sk_project)
        self.assertFalse(sk.explanation["same_region"])
        self.assertEqual(sk.explanation["expertise"], "none")
        self.assertTrue(AuditEntry.objects.filter(object_id=str(run.pk), actor=self.staff).exists())

    def test_only_staff_run_matching(self):
        for user in (self.reviewer, self.editor, self.coach_user, self.member):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.run_matching(acting_user=user)


class DecisionTests(MatchingTestCase):
    def setUp(self):
        self.run = services.run_matching(acting_user=self.staff)
        self.hy = self.run.proposals.get(project=self.hy_project)

    def test_accept_creates_the_lead_assignment_and_emails_the_coach(self):
        with self.captureOnCommitCallbacks(execute=True):
            assignment = services.accept_proposal(self.hy, acting_user=self.staff)
        self.assertEqual((assignment.coach, assignment.project), (self.south_coach, self.hy_project))
        self.assertEqual(assignment.role, AssignmentRole.LEAD)
        self.assertEqual(assignment.started_on, timezone.localdate())
        self.assertEqual(assignment.proposal, self.hy)
        self.hy.refresh_from_db()
        self.assertEqual(self.hy.decision, ProposalDecision.ACCEPTED)
        self.assertEqual(self.hy.decided_by, self.staff)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["coach@example.org"])
        self.assertIn(self.hy_project.title, mail.outbox[0].body)
        self.assertEqual(AuditEntry.objects.filter(object_id=str(self.hy.pk), note="accepted").count(), 1)

    def test_no_email_when_the_transaction_rolls_back(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            services.accept_proposal(self.hy, acting_user=self.staff)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(mail.outbox, [])

    def test_accepting_twice_is_refused(self):
        services.accept_proposal(self.hy, acting_user=self.staff)
        with self.assertRaisesMessage(ValidationError, "already been decided"):
            services.accept_proposal(self.hy, acting_user=self.staff)
        self.assertEqual(Assignment.objects.filter(project=self.hy_project).count(), 1)

    def test_project_that_got_a_coach_meanwhile_is_refused(self):
        Assignment.objects.create(coach=self.north_coach, project=self.hy_project)
        with self.assertRaisesMessage(ValidationError, "already has a coach"):
            services.accept_proposal(self.hy, acting_user=self.staff)
        self.hy.refresh_from_db()
        self.assertEqual(self.hy.decision, ProposalDecision.PENDING)

    def test_coach_now_full_is_refused(self):
        other = self.make_project("โครงการตัวอย่าง อื่น", self.other_lgu, self.governance)
        Assignment.objects.create(coach=self.south_coach, project=other)
        with self.assertRaisesMessage(ValidationError, "now full: 1 of 1"):
            services.accept_proposal(self.hy, acting_user=self.staff)

    def test_reject_keeps_the_reason_in_the_audit_trail(self):
        services.reject_proposal(self.hy, acting_user=self.staff, reason="ติดภารกิจ")
        self.hy.refresh_from_db()
        self.assertEqual(self.hy.decision, ProposalDecision.REJECTED)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(self.hy.pk), note="rejected: ติดภารกิจ").exists())
        with self.assertRaises(ValidationError):
            services.accept_proposal(self.hy, acting_user=self.staff)

    def test_only_staff_decide(self):
        for user in (self.reviewer, self.editor, self.coach_user, self.member):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    services.accept_proposal(self.hy, acting_user=user)
                with self.assertRaises(PermissionDenied):
                    services.reject_proposal(self.hy, acting_user=user)
        self.assertFalse(Assignment.objects.exists())

    def test_accept_all_accepts_what_is_still_possible(self):
        Assignment.objects.create(coach=self.north_coach, project=self.make_project(
            "โครงการตัวอย่าง เต็ม", self.hat_yai, self.environment))  # north coach now has 1 place left
        with self.captureOnCommitCallbacks(execute=True):
            accepted, failed = services.accept_all(self.run, acting_user=self.staff)
        self.assertEqual(len(accepted), 2)
        self.assertEqual(len(failed), 1)
        self.assertIn("now full", failed[0][1])
        self.assertEqual(MatchProposal.objects.filter(decision=ProposalDecision.ACCEPTED).count(), 2)
        # The north coach has no e-mail address on record, so only the south coach is written to.
        self.assertEqual([m.to for m in mail.outbox], [["coach@example.org"]])

    def test_next_run_skips_coached_projects_and_counts_the_load(self):
        services.accept_proposal(self.hy, acting_user=self.staff)
        run = services.run_matching(acting_user=self.staff)
        self.assertEqual(self.pairs(run), {(self.sk_project.pk, self.north_coach.pk),
                                           (self.cr_project.pk, self.north_coach.pk)})
