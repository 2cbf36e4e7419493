"""Withdrawing published results: league staff only, with a reason, under four eyes, audited; the
public page and the API then no longer show the ranking, and publishing again is the usual
four-eyes publication."""

from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.calls import services
from thetsaban.calls.models import Call
from thetsaban.calls.tests.base import CallsTestCase
from thetsaban.practices.models import Practice

REASON = "คะแนนของกรรมการคนหนึ่งบันทึกผิดเกณฑ์"


class UnpublishTests(CallsTestCase):
    def setUp(self):
        self.score(self.entry, self.juror, 9, 8)
        self.score(self.other_entry, self.juror, 4, 5)
        self.close()
        # Opened by staff, published by staff2 (four eyes).
        services.publish_results(self.call, acting_user=self.staff2)

    def url(self, name, obj=None):
        return reverse(f"calls:{name}", args=[(obj or self.call).pk])

    def unpublish(self, user, reason=REASON):
        self.login(user)
        return self.client.post(self.url("unpublish"), {"reason": reason}, follow=True)

    def assert_published(self, published=True):
        self.call.refresh_from_db()
        self.assertEqual(self.call.is_published, published)

    def test_another_staff_member_withdraws_with_a_reason_and_the_public_page_drops_the_ranking(self):
        self.login(None)
        self.assertContains(self.client.get(self.url("detail")), 'id="results"')
        self.assertIn("place 1", Practice.objects.get(pk=self.practice.pk).recognition_detail)

        response = self.unpublish(self.staff)
        self.assertContains(response, "The results are withdrawn")
        self.assert_published(False)
        self.assertEqual(self.call.results_withdrawn_by, self.staff)
        self.assertEqual(self.call.results_withdrawal_reason, REASON)
        entry = AuditEntry.objects.get(object_id=str(self.call.pk), note__startswith="results withdrawn",
                                       content_type__model="call")
        self.assertEqual((entry.actor, entry.action), (self.staff, "update"))
        self.assertIn(REASON, entry.note)
        self.assertEqual(entry.before["status"], "published")
        self.assertEqual(entry.after["status"], "open")

        self.login(None)
        page = self.client.get(self.url("detail"))
        self.assertNotContains(page, 'id="results"')
        self.assertNotContains(page, 'id="ranking"')
        self.assertContains(page, 'id="results-withdrawn"')
        self.assertContains(page, REASON)
        self.assertEqual(self.client.get(self.url("entry", self.entry)).status_code, 404)
        practice = Practice.objects.get(pk=self.practice.pk)
        self.assertEqual((practice.recognition, practice.recognition_detail), ("", ""))
        self.assertNotContains(self.client.get(practice.get_absolute_url()), "place 1")

    def test_the_publisher_does_not_withdraw_alone(self):
        response = self.unpublish(self.staff2)
        self.assertContains(response, "own work")
        self.assert_published()
        self.assertFalse(AuditEntry.objects.filter(note__startswith="results withdrawn").exists())

    def test_a_reason_is_required_and_named(self):
        response = self.unpublish(self.staff, reason="   ")
        self.assertContains(response, "Reason for withdrawing the results")
        self.assert_published()
        with self.assertRaisesMessage(services.Refused, "Give the reason"):
            services.unpublish_results(self.call, acting_user=self.staff, reason="")

    def test_other_users_and_anonymous_cannot_withdraw(self):
        for user in (self.member, self.editor, self.outsider, self.juror, None):
            self.login(user)
            response = self.client.post(self.url("unpublish"), {"reason": REASON})
            self.assertEqual(response.status_code, 404, user)
            self.assert_published()
        self.login(self.member)
        self.assertNotContains(self.client.get(self.url("detail")), 'id="unpublish"')
        self.login(self.staff)
        self.assertContains(self.client.get(self.url("detail")), 'id="unpublish"')

    def test_the_api_hides_the_ranking_and_scores_after_withdrawal(self):
        self.login(None)
        self.assertEqual(self.client.get("/api/v1/calls/scores/").json()["count"], 4)
        entries = self.client.get(f"/api/v1/calls/entries/?call={self.call.pk}").json()
        self.assertEqual(entries["count"], 2)
        services.unpublish_results(self.call, acting_user=self.staff, reason=REASON)
        self.assertEqual(self.client.get("/api/v1/calls/scores/").json()["count"], 0)
        self.assertEqual(self.client.get(f"/api/v1/calls/entries/?call={self.call.pk}").json()["count"], 0)
        data = self.client.get(f"/api/v1/calls/{self.call.pk}/").json()
        self.assertEqual((data["status"], data["published_at"]), ("open", None))
        self.assertEqual(data["results_withdrawal_reason"], REASON)
        self.login(self.staff)
        ranks = [e["rank"] for e in self.client.get(f"/api/v1/calls/entries/?call={self.call.pk}").json()["results"]]
        self.assertEqual(ranks, [None, None])

    def test_publishing_again_goes_through_the_four_eyes_publication(self):
        services.unpublish_results(self.call, acting_user=self.staff, reason=REASON)
        self.login(self.staff)
        page = self.client.get(self.url("detail"))
        self.assertContains(page, 'id="publish"')
        response = self.client.post(self.url("publish"), follow=True)
        self.assertContains(response, "own work")  # staff opened the call
        self.assert_published(False)
        self.login(self.staff2)
        self.client.post(self.url("publish"))
        self.assert_published()
        self.login(None)
        page = self.client.get(self.url("detail"))
        self.assertContains(page, 'id="results"')
        self.assertNotContains(page, 'id="results-withdrawn"')
        self.assertIn("place 1", Practice.objects.get(pk=self.practice.pk).recognition_detail)
        self.assertEqual(Call.objects.get(pk=self.call.pk).results_withdrawal_reason, REASON)
