from django.conf import settings
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.calls import services
from thetsaban.calls.models import Call, Declaration, Score
from thetsaban.calls.tests.base import CallsTestCase


class CallPagesTests(CallsTestCase):
    def url(self, name, obj):
        return reverse(f"calls:{name}", args=[obj.pk])

    def test_staff_open_a_call_with_weighted_criteria_and_a_be_deadline(self):
        self.login(self.staff)
        response = self.client.post(reverse("calls:new"), {
            "title": "รางวัลนวัตกรรมท้องถิ่น", "deadline": "31/12/2599", "winners": 3, "themes": [self.theme.pk],
            "criteria": "ผลกระทบ | 50\nความยั่งยืน | 50"}, follow=True)
        call = Call.objects.get(title="รางวัลนวัตกรรมท้องถิ่น")
        self.assertEqual([(c.name, c.weight) for c in call.criteria.all()], [("ผลกระทบ", 50), ("ความยั่งยืน", 50)])
        self.assertEqual(call.deadline.year, 2056)
        self.assertEqual(call.opened_by, self.staff)
        self.assertContains(response, "31 December 2056")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
        thai = self.client.get(self.url("detail", call))
        self.assertContains(thai, "2599")
        self.assertTrue(AuditEntry.objects.filter(object_id=str(call.pk), actor=self.staff).exists())

    def test_a_bad_criteria_line_is_named(self):
        self.login(self.staff)
        response = self.client.post(reverse("calls:new"), {
            "title": "x", "deadline": "31/12/2599", "winners": 1, "criteria": "ผลกระทบ | 50\nความยั่งยืน"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Line 2", status_code=400)

    def test_who_may_open_a_call(self):
        for user, status in ((None, 302), (self.member, 403), (self.editor, 403), (self.juror, 403), (self.staff, 200)):
            self.login(user)
            self.assertEqual(self.client.get(reverse("calls:new")).status_code, status, user)

    def test_an_editor_enters_their_lgus_practice_and_another_lgus_editor_cannot(self):
        self.login(self.editor)
        page = self.client.get(self.url("detail", self.call))
        self.assertContains(page, "ร่างโครงการปุ๋ยหมัก")
        self.client.post(self.url("enter", self.call), {"practice": self.draft.pk})
        self.assertTrue(self.call.entries.filter(practice=self.draft).exists())
        self.login(self.outsider)
        page = self.client.get(self.url("detail", self.call))
        self.assertNotContains(page, "ร่างโครงการปุ๋ยหมัก")
        response = self.client.post(self.url("withdraw", self.entry))
        self.assertEqual(response.status_code, 404)
        self.login(self.editor)
        self.client.post(self.url("withdraw", self.entry))
        self.entry.refresh_from_db()
        self.assertTrue(self.entry.is_withdrawn)

    def test_entries_before_results_are_hidden_from_the_public(self):
        for user, status in ((None, 404), (self.member, 404), (self.outsider, 404), (self.editor, 200),
                             (self.juror, 200), (self.local_juror, 200), (self.staff, 200)):
            self.login(user)
            self.assertEqual(self.client.get(self.url("entry", self.entry)).status_code, status, user)

    def test_a_juror_declares_scores_and_then_sees_the_others(self):
        self.score(self.entry, self.juror2, 3, 4)
        self.login(self.juror)
        page = self.client.get(self.url("entry", self.entry))
        self.assertContains(page, "once you have submitted your own")
        self.assertNotContains(page, 'id="jury-scores"')
        response = self.client.post(self.url("score", self.entry), {
            f"criterion_{self.results.pk}": "8", f"criterion_{self.innovation.pk}": "6"}, follow=True)
        self.assertContains(response, "no conflict of interest")
        self.assertFalse(Score.objects.filter(juror__user=self.juror).exists())
        response = self.client.post(self.url("score", self.entry), {
            "no_conflict": "on", f"criterion_{self.results.pk}": "8", f"criterion_{self.innovation.pk}": "6"},
            follow=True)
        self.assertContains(response, "Your scores are saved")
        self.assertContains(response, 'id="jury-scores"')
        self.assertContains(response, "juror2")

    def test_a_juror_of_the_entrys_lgu_is_refused_by_the_service(self):
        self.login(self.local_juror)
        page = self.client.get(self.url("entry", self.entry))
        self.assertContains(page, "your own LGU")
        self.assertNotContains(page, f'name="criterion_{self.results.pk}"')
        response = self.client.post(self.url("score", self.entry), {
            "no_conflict": "on", f"criterion_{self.results.pk}": "10", f"criterion_{self.innovation.pk}": "10"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Score.objects.filter(juror__user=self.local_juror).exists())

    def test_a_declared_conflict_is_recorded_and_blocks_scoring(self):
        self.login(self.juror)
        response = self.client.post(self.url("declare", self.entry), {"note": "เคยเป็นที่ปรึกษา"}, follow=True)
        self.assertContains(response, "you do not score it")
        self.assertTrue(Declaration.objects.get(juror__user=self.juror).conflict)

    def test_staff_see_the_ranking_and_publish_under_four_eyes_then_everyone_sees_results(self):
        self.score(self.entry, self.juror, 9, 8)
        self.score(self.other_entry, self.juror, 4, 5)
        self.close()
        self.login(self.member)
        self.assertNotContains(self.client.get(self.url("detail", self.call)), 'id="ranking"')
        self.login(self.staff)
        page = self.client.get(self.url("detail", self.call))
        self.assertContains(page, 'id="ranking"')
        self.assertNotContains(page, 'id="enter"')
        response = self.client.post(self.url("publish", self.call), follow=True)
        self.assertContains(response, "own work")
        self.login(self.staff2)
        self.client.post(self.url("publish", self.call))
        self.login(None)
        page = self.client.get(self.url("detail", self.call))
        self.assertContains(page, 'id="results"')
        self.assertContains(page, "Recognised")
        self.assertContains(page, self.practice.get_absolute_url())
        self.assertEqual(self.client.get(self.url("entry", self.entry)).status_code, 200)
        practice_page = self.client.get(self.practice.get_absolute_url())
        self.assertContains(practice_page, "รางวัลแนวปฏิบัติที่ดี 2569: place 1")

    def test_staff_appoint_the_jury_audited_and_others_cannot(self):
        for user in (self.member, self.editor, self.juror):
            self.login(user)
            self.assertEqual(self.client.post(self.url("juror_add", self.call), {"username": "member"}).status_code, 404)
        self.login(self.staff)
        self.client.post(self.url("juror_add", self.call), {"username": "member"})
        juror = self.call.jurors.get(user=self.member)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(juror.pk), actor=self.staff).exists())
        response = self.client.post(self.url("juror_add", self.call), {"username": "nobody"}, follow=True)
        self.assertContains(response, "There is no user “nobody”")


class CallApiTests(CallsTestCase):
    def api(self, path, user):
        self.login(user)
        response = self.client.get(f"/api/v1/calls/{path}")
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_scores_through_the_api_before_and_after_publication(self):
        self.score(self.entry, self.juror, 9, 8)
        self.score(self.other_entry, self.juror2, 4, 5)
        for user, count in ((None, 0), (self.member, 0), (self.outsider, 0), (self.staff, 0),
                            (self.local_juror, 0), (self.juror, 2), (self.juror2, 2)):
            self.assertEqual(self.api("scores/", user)["count"], count, user)
        self.close()
        services.publish_results(self.call, acting_user=self.staff2)
        for user in (None, self.member, self.staff):
            self.assertEqual(self.api("scores/", user)["count"], 4, user)

    def test_calls_are_public_and_entries_follow_the_page_rules(self):
        data = self.api("", None)
        self.assertEqual(data["results"][0]["criteria"][0]["weight"], 60)
        for user, count in ((None, 0), (self.member, 0), (self.outsider, 1), (self.editor, 1),
                            (self.juror, 2), (self.staff, 2)):
            self.assertEqual(self.api(f"entries/?call={self.call.pk}", user)["count"], count, user)
        self.login(None)
        self.assertEqual(self.client.get("/api/v1/calls/entries/?call=x").status_code, 400)


class DemoTests(CallsTestCase):
    def test_the_demo_call_has_entries_and_jury_scores_marked_as_example(self):
        from thetsaban import hooks
        from thetsaban.calls import demo

        added = demo.load()
        self.assertGreater(added, 0)
        self.assertEqual(demo.load(), 0)
        call = Call.objects.get(is_example=True)
        self.assertTrue(call.title.startswith(hooks.EXAMPLE_MARK))
        self.assertEqual(call.entries.count(), 2)
        self.assertTrue(all(entry.is_example for entry in call.entries.all()))
        self.assertEqual(Score.objects.filter(entry__call=call).count(), 2 * 3 * 4)
