"""After `load_demo` every staff tool has work, through its real page, and the example data that
gives it that work is marked as example data and apart from the seed's own records."""

import io
import re

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from thetsaban.accounts.models import User
from thetsaban.coaching.models import Coach, MatchProposal
from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.participation.models import Comment, Proposal
from thetsaban.policy.models import Recommendation
from thetsaban.practices.models import Practice
from thetsaban.transfers.models import TransferProject


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


class DemoQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.staff = User.objects.create(username="league-staff", is_staff=True, is_superuser=True,
                                        is_reviewer=True)

    def setUp(self):
        self.client.force_login(self.staff)

    def test_the_practice_review_queue_has_submitted_example_practices(self):
        page = self.client.get(reverse("practices:review_queue"))
        for practice in Practice.objects.filter(status="submitted"):
            self.assertTrue(practice.is_example and practice.title_th.startswith(EXAMPLE_MARK))
            self.assertContains(page, practice.title_en)  # the page is in English
        self.assertEqual(Practice.objects.filter(status="submitted").count(), 2)

    def test_matching_proposes_coaches_for_the_example_pilots_without_one(self):
        page = self.client.get(reverse("matching:home"))
        proposals = MatchProposal.objects.select_related("project")
        self.assertGreater(proposals.count(), 0)
        for proposal in proposals:
            self.assertTrue(proposal.project.is_example)
            self.assertContains(page, proposal.project.title)
        self.assertContains(page, reverse("matching:accept", args=[proposals[0].pk]))

    def test_the_coach_vetting_queue_has_example_applications(self):
        page = self.client.get(reverse("coaching:review_queue"))
        applications = Coach.objects.filter(status="applied").select_related("person")
        self.assertEqual(applications.count(), 2)
        for coach in applications:
            self.assertTrue(coach.is_example and coach.person.name_th.startswith(EXAMPLE_MARK))
            self.assertContains(page, coach.person.name_th)

    def test_the_moderation_queue_has_flagged_example_comments(self):
        page = self.client.get(reverse("participation:moderation"))
        self.assertContains(page, "2 items wait")
        self.assertContains(page, "ขายของออนไลน์ราคาถูก")

    def test_overdue_example_recommendations_are_listed(self):
        page = self.client.get(reverse("policy:list"), {"overdue": "true"})
        overdue = Recommendation.objects.filter(is_example=True)
        self.assertEqual(overdue.count(), 2)
        for recommendation in overdue:
            self.assertTrue(recommendation.title.startswith(EXAMPLE_MARK))
            self.assertContains(page, recommendation.title)

    def test_a_proposal_waits_for_staff_and_another_is_one_supporter_short(self):
        page = self.client.get(reverse("participation:proposal_queue"))
        self.assertContains(page, "1 proposal waits")
        reached, near = Proposal.objects.with_counts().order_by("-support_count")
        self.assertContains(page, reached.title)
        self.assertEqual((reached.support_count, near.support_count), (10, 9))
        detail = self.client.get(near.get_absolute_url())
        self.assertContains(detail, "9 supporters of the 10 that bring a proposal to league staff")
        self.assertContains(detail, 'aria-label="Replies to example-member-03"')

    def test_example_data_is_marked_and_apart_from_the_seed(self):
        self.assertEqual(TransferProject.objects.filter(is_example=False).count(), 6)
        self.assertTrue(all(p.title.startswith(EXAMPLE_MARK) and p.status == "implementation"
                            for p in TransferProject.objects.filter(is_example=True)))
        self.assertEqual(Practice.objects.filter(is_example=False).count(), 6)
        self.assertFalse(Practice.objects.filter(is_example=False, status="submitted").exists())
        self.assertFalse(Recommendation.objects.filter(is_example=False, planned_end__isnull=False).exists())
        self.assertTrue(all(p.title.startswith(EXAMPLE_MARK) for p in Proposal.objects.all()))
        self.assertTrue(all(c.text.startswith(EXAMPLE_MARK) for c in Comment.objects.all()))
        members = User.objects.filter(username__startswith="example-member-")
        self.assertTrue(members.exists())
        self.assertFalse(any(m.has_usable_password() or m.email for m in members))

    def test_loading_again_changes_nothing(self):
        before = row_counts()
        added = re.findall(r": (\d+) added", load_demo())
        self.assertTrue(added)
        self.assertEqual(set(added), {"0"})
        self.assertEqual(row_counts(), before)
