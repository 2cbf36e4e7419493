"""Matching pages, API and management command: who may do what, and what they show."""

import io
import json

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thetsaban.coaching import matching_services as services
from thetsaban.coaching.choices import ProposalDecision
from thetsaban.coaching.models import Assignment, MatchingRun, MatchProposal
from thetsaban.coaching.tests.test_matching_services import MatchingTestCase


class MatchingPageTests(MatchingTestCase):
    def others(self):
        """Signed-in users who are not staff: reviewer, LGU editor, coach, plain member."""
        return [self.reviewer, self.editor, self.coach_user, self.member]

    def test_staff_see_the_page_with_the_latest_run_and_explanations(self):
        services.run_matching(acting_user=self.staff)
        self.login(self.staff)
        response = self.client.get(reverse("matching:home"), headers={"accept-language": "en"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.hy_project.title)
        self.assertContains(response, "confirmed by a reviewer")
        self.assertContains(response, "Same region")
        self.assertContains(response, reverse("matching:accept", args=[
            MatchProposal.objects.get(project=self.hy_project).pk]))
        self.assertContains(response, "Accept all 3 pending proposals")

    def test_page_before_any_run(self):
        self.login(self.staff)
        response = self.client.get(reverse("matching:home"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("matching:run_now"))

    def test_others_are_refused_and_anonymous_sent_to_sign_in(self):
        run = services.run_matching(acting_user=self.staff)
        proposal = run.proposals.first()
        urls = [("get", reverse("matching:home")), ("get", reverse("matching:run", args=[run.pk])),
                ("post", reverse("matching:run_now")), ("post", reverse("matching:accept", args=[proposal.pk])),
                ("post", reverse("matching:reject", args=[proposal.pk])),
                ("post", reverse("matching:accept_all", args=[run.pk]))]
        for user in self.others():
            self.login(user)
            for method, url in urls:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 403)
        self.login(None)
        for method, url in urls:
            with self.subTest(user="anonymous", url=url):
                response = getattr(self.client, method)(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("login", response["Location"])
        self.assertEqual(MatchingRun.objects.count(), 1)
        self.assertFalse(Assignment.objects.exists())
        self.assertEqual(MatchProposal.objects.exclude(decision=ProposalDecision.PENDING).count(), 0)

    def test_staff_run_accept_and_reject_through_the_page(self):
        self.login(self.staff)
        response = self.client.post(reverse("matching:run_now"))
        run = MatchingRun.objects.get()
        self.assertRedirects(response, reverse("matching:run", args=[run.pk]))
        hy = run.proposals.get(project=self.hy_project)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("matching:accept", args=[hy.pk]), follow=True)
        self.assertTrue(Assignment.objects.filter(proposal=hy, coach=self.south_coach).exists())
        self.assertEqual(len(mail.outbox), 1)
        # Accepting again shows the reason instead of failing.
        response = self.client.post(reverse("matching:accept", args=[hy.pk]), follow=True,
                                    headers={"accept-language": "en"})
        self.assertContains(response, "already been decided")
        sk = run.proposals.get(project=self.sk_project)
        self.client.post(reverse("matching:reject", args=[sk.pk]), {"reason": "ไกลเกินไป"})
        sk.refresh_from_db()
        self.assertEqual(sk.decision, ProposalDecision.REJECTED)
        self.client.post(reverse("matching:accept_all", args=[run.pk]))
        self.assertEqual(run.proposals.filter(decision=ProposalDecision.ACCEPTED).count(), 2)

    def test_get_on_an_action_is_not_allowed(self):
        self.login(self.staff)
        self.assertEqual(self.client.get(reverse("matching:run_now")).status_code, 405)

    def test_page_queries_do_not_grow_with_the_proposals(self):
        self.login(self.staff)
        services.run_matching(acting_user=self.staff)
        with CaptureQueriesContext(connection) as small:
            self.client.get(reverse("matching:home"))
        for i in range(6):
            self.make_project(f"โครงการตัวอย่าง {i}", self.hat_yai, self.environment)
        self.north_coach.capacity = 10
        self.north_coach.save()
        services.run_matching(acting_user=self.staff)
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(reverse("matching:home"))
        self.assertEqual(len(response.context["proposals"]), 9)
        self.assertEqual(len(small), len(large))


class MatchingApiTests(MatchingTestCase):
    def test_staff_list_runs_and_proposals(self):
        run = services.run_matching(acting_user=self.staff)
        self.login(self.staff)
        runs = self.client.get("/api/v1/coaching/matching/runs/").json()
        self.assertEqual(runs["results"][0]["id"], run.pk)
        self.assertEqual(runs["results"][0]["total_cost"], run.total_cost)
        proposals = self.client.get(f"/api/v1/coaching/matching/proposals/?run={run.pk}&decision=pending").json()
        self.assertEqual(proposals["count"], 3)
        first = proposals["results"][0]
        self.assertEqual(set(first) >= {"project", "coach", "cost", "explanation", "explanation_text",
                                        "decision"}, True)
        self.assertIsInstance(first["explanation_text"], list)

    def test_bad_filter_is_a_400(self):
        self.login(self.staff)
        response = self.client.get("/api/v1/coaching/matching/proposals/?decision=maybe")
        self.assertEqual(response.status_code, 400)
        self.assertIn("decision", response.json())
        self.assertEqual(self.client.get("/api/v1/coaching/matching/proposals/?run=x").status_code, 400)

    def test_staff_run_accept_and_reject(self):
        self.login(self.staff)
        response = self.client.post("/api/v1/coaching/matching/runs/")
        # A background job (run at once in tests): 202 with the job, whose result names the run.
        self.assertEqual(response.status_code, 202)
        job = response.json()
        self.assertEqual((job["status"], job["finished"]), ("succeeded", True))
        self.assertEqual(response["Location"], f"/api/v1/jobs/{job['id']}/")
        run = MatchingRun.objects.get(pk=job["result"]["run"])
        self.assertEqual(self.client.get(response["Location"]).json()["result"]["run"], run.pk)
        hy = run.proposals.get(project=self.hy_project)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/api/v1/coaching/matching/proposals/{hy.pk}/accept/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["proposal"]["decision"], "accepted")
        self.assertEqual(Assignment.objects.get(pk=response.json()["assignment"]).proposal, hy)
        self.assertEqual(len(mail.outbox), 1)
        again = self.client.post(f"/api/v1/coaching/matching/proposals/{hy.pk}/accept/")
        self.assertEqual(again.status_code, 400)
        self.assertIn("already been decided", json.dumps(again.json()))
        sk = run.proposals.get(project=self.sk_project)
        response = self.client.post(f"/api/v1/coaching/matching/proposals/{sk.pk}/reject/",
                                    {"reason": "ไกลเกินไป"}, content_type="application/json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["decision"], "rejected")

    def test_others_and_anonymous_are_refused(self):
        run = services.run_matching(acting_user=self.staff)
        proposal = run.proposals.first()
        calls = [("get", "/api/v1/coaching/matching/runs/"), ("post", "/api/v1/coaching/matching/runs/"),
                 ("get", "/api/v1/coaching/matching/proposals/"),
                 ("get", f"/api/v1/coaching/matching/proposals/{proposal.pk}/"),
                 ("post", f"/api/v1/coaching/matching/proposals/{proposal.pk}/accept/"),
                 ("post", f"/api/v1/coaching/matching/proposals/{proposal.pk}/reject/")]
        for user in [self.reviewer, self.editor, self.coach_user, self.member, None]:
            self.login(user)
            for method, url in calls:
                with self.subTest(user=getattr(user, "username", "anonymous"), url=url, method=method):
                    self.assertIn(getattr(self.client, method)(url).status_code, (401, 403))
        self.assertEqual(MatchingRun.objects.count(), 1)
        self.assertFalse(Assignment.objects.exists())

    def test_proposal_list_queries_do_not_grow(self):
        self.login(self.staff)
        services.run_matching(acting_user=self.staff)
        with CaptureQueriesContext(connection) as small:
            self.client.get("/api/v1/coaching/matching/proposals/")
        for i in range(6):
            self.make_project(f"โครงการตัวอย่าง {i}", self.hat_yai, self.environment)
        self.north_coach.capacity = 10
        self.north_coach.save()
        services.run_matching(acting_user=self.staff)
        with CaptureQueriesContext(connection) as large:
            response = self.client.get("/api/v1/coaching/matching/proposals/")
        self.assertEqual(response.json()["count"], 12)
        self.assertEqual(len(small), len(large))

    def test_endpoints_are_in_the_openapi_schema(self):
        response = self.client.get("/api/schema/", {"format": "json"})
        self.assertEqual(response.status_code, 200)
        paths = json.loads(response.content)["paths"]
        for path in ("/api/v1/coaching/matching/runs/", "/api/v1/coaching/matching/proposals/",
                     "/api/v1/coaching/matching/proposals/{id}/accept/",
                     "/api/v1/coaching/matching/proposals/{id}/reject/"):
            self.assertIn(path, paths)
        self.assertIn("post", paths["/api/v1/coaching/matching/runs/"])


class MatchCoachesCommandTests(MatchingTestCase):
    def test_json_output_has_the_proposals_and_total_cost_and_stores_nothing(self):
        out = io.StringIO()
        call_command("match_coaches", "--json", stdout=out)
        result = json.loads(out.getvalue())
        self.assertEqual(set(result) >= {"total_cost", "proposals", "unmatched", "matched", "run_id"}, True)
        self.assertIsNone(result["run_id"])
        self.assertEqual(result["matched"], 3)
        self.assertTrue(result["proved_optimal"])
        self.assertEqual(result["total_cost"], sum(p["cost"] for p in result["proposals"]))
        proposal = result["proposals"][0]
        self.assertEqual(set(proposal), {"project_id", "project", "lgu", "coach_id", "coach", "cost",
                                         "explanation"})
        self.assertIn("distance_km", proposal["explanation"])
        self.assertFalse(MatchingRun.objects.exists())

    def test_save_stores_the_run_and_the_table_is_readable(self):
        out = io.StringIO()
        call_command("match_coaches", "--save", "--user", "staff", stdout=out)
        run = MatchingRun.objects.get()
        self.assertEqual(run.created_by, self.staff)
        self.assertIn(f"Saved as run {run.pk}", out.getvalue())
        self.assertIn(self.hy_project.title, out.getvalue())

    def test_save_as_a_non_staff_user_is_refused(self):
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            call_command("match_coaches", "--save", "--user", "reviewer", stdout=io.StringIO())
