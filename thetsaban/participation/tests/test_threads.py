"""Proposals and comments like the anchors: supporting a proposal up to the staff queue, threaded
replies, and editing and withdrawing one's own comment or proposal within the rules.

Each rule is tried by its author (member), another member of the same LGU (editor), a member of
another LGU (outsider), a moderator and an anonymous visitor, through the pages and the API.
"""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from thetsaban.accounts.models import AuditEntry, LeagueSettings
from thetsaban.participation import services
from thetsaban.participation.choices import ProposalStatus
from thetsaban.participation.models import Comment, Endorsement, Proposal
from thetsaban.participation.tests.base import ParticipationTestCase


def set_league(**values):
    league = LeagueSettings.load()
    for name, value in values.items():
        setattr(league, name, value)
    league.save()
    return league


class ThreadTestCase(ParticipationTestCase):
    def setUp(self):
        super().setUp()
        self.api = APIClient()
        self.proposal = services.submit_proposal(
            acting_user=self.member, title="ตลาดนัดชุมชน (ข้อมูลตัวอย่าง)", problem="ไม่มีที่ขาย",
            proposal="จัดพื้นที่", lgu=self.lgu)

    def as_user(self, user):
        self.api.logout()
        if user is not None:
            self.api.force_authenticate(user)
        return self.api

    def others(self):
        """Everyone who is not the author and is signed in: another member of the same LGU, a
        member of another LGU and a moderator."""
        return [self.editor, self.outsider, self.moderator]


class ProposalSupportTests(ThreadTestCase):
    def test_a_member_supports_a_proposal_once_and_withdraws_on_the_page(self):
        self.login(self.editor)
        endorse = reverse("participation:endorse", args=["proposal", self.proposal.pk])
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertContains(page, endorse)
        self.client.post(endorse)
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertContains(page, "1 supporter of the 10 that bring a proposal to league staff")
        self.assertContains(page, "Withdraw my support")
        response = self.client.post(endorse, follow=True)
        self.assertContains(response, "You already support this.")
        self.assertEqual(services.endorsement_count(self.proposal), 1)
        self.client.post(reverse("participation:withdraw", args=["proposal", self.proposal.pk]))
        self.assertEqual(services.endorsement_count(self.proposal), 0)

    def test_members_of_any_lgu_and_moderators_support_through_the_api_once(self):
        for user in self.others():
            api = self.as_user(user)
            body = {"target_type": "proposal", "target_id": self.proposal.pk}
            self.assertEqual(api.post("/api/v1/endorsements/", body, format="json").status_code, 201)
            again = api.post("/api/v1/endorsements/", body, format="json")
            self.assertEqual(again.status_code, 400)
            self.assertIn("You already support this.", str(again.json()))
        count = self.api.get("/api/v1/endorsements/count/", {"target_type": "proposal",
                                                             "target_id": self.proposal.pk})
        self.assertEqual(count.json()["count"], 3)
        mine = self.as_user(self.outsider).get("/api/v1/endorsements/").json()["results"][0]
        self.assertEqual(self.api.delete(f"/api/v1/endorsements/{mine['id']}/").status_code, 204)
        self.assertEqual(services.endorsement_count(self.proposal), 2)

    def test_its_author_cannot_support_their_own_proposal(self):
        response = self.as_user(self.member).post("/api/v1/endorsements/", {
            "target_type": "proposal", "target_id": self.proposal.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("You cannot support your own proposal.", str(response.json()))
        self.login(self.member)
        response = self.client.post(reverse("participation:endorse", args=["proposal", self.proposal.pk]),
                                    follow=True)
        self.assertContains(response, "You cannot support your own proposal.")
        self.assertFalse(Endorsement.objects.exists())

    def test_anonymous_cannot_support(self):
        response = self.api.post("/api/v1/endorsements/", {"target_type": "proposal",
                                                          "target_id": self.proposal.pk}, format="json")
        self.assertIn(response.status_code, (401, 403))
        response = self.client.post(reverse("participation:endorse", args=["proposal", self.proposal.pk]))
        self.assertRedirects(response, reverse("accounts:login") + "?next=" + reverse(
            "participation:endorse", args=["proposal", self.proposal.pk]), fetch_redirect_response=False)
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertContains(page, "Sign in to comment, support or follow.")
        self.assertFalse(Endorsement.objects.exists())

    def test_a_withdrawn_or_closed_proposal_takes_no_support(self):
        services.withdraw_proposal(self.proposal, acting_user=self.member)
        response = self.as_user(self.editor).post("/api/v1/endorsements/", {
            "target_type": "proposal", "target_id": self.proposal.pk}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Only an open proposal can be supported.", str(response.json()))
        self.login(self.editor)
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertNotContains(page, reverse("participation:endorse", args=["proposal", self.proposal.pk]))
        self.assertContains(page, "Its author has withdrawn this proposal.")


class SupportThresholdTests(ThreadTestCase):
    def test_reaching_the_threshold_queues_the_proposal_and_tells_staff_and_moderators(self):
        set_league(proposal_support_threshold=2)
        services.endorse(self.proposal, acting_user=self.editor)
        self.proposal.refresh_from_db()
        self.assertIsNone(self.proposal.threshold_reached_at)
        with self.captureOnCommitCallbacks(execute=True):
            services.endorse(self.proposal, acting_user=self.outsider)
        self.proposal.refresh_from_db()
        self.assertIsNotNone(self.proposal.threshold_reached_at)
        notices = [m for m in mail.outbox if "has 2 supporters" in m.subject]
        self.assertEqual(len(notices), 1)
        self.assertEqual(sorted(notices[0].to), ["moderator@example.org", "staff@example.org"])
        self.assertIn(reverse("participation:proposal_queue"), notices[0].body)
        # Its followers (its author follows it) hear of it too.
        told = [m for m in mail.outbox if m.to == ["member@example.org"]]
        self.assertEqual(len(told), 1)
        self.assertIn("now waits for league staff", told[0].body)
        entry = AuditEntry.objects.for_object(self.proposal).filter(note__contains="reached").get()
        self.assertEqual(entry.actor, self.outsider)
        # Once: a third supporter neither re-queues nor mails again.
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            services.endorse(self.proposal, acting_user=self.moderator)
        self.assertEqual(mail.outbox, [])

    def test_only_staff_see_the_queue_page(self):
        set_league(proposal_support_threshold=1)
        services.endorse(self.proposal, acting_user=self.editor)
        url = reverse("participation:proposal_queue")
        self.login(self.staff)
        page = self.client.get(url)
        self.assertContains(page, "1 proposal waits")
        self.assertContains(page, self.proposal.title)
        self.assertContains(page, reverse("participation:proposal_promote", args=[self.proposal.pk]))
        for user in (self.member, self.editor, self.outsider, self.moderator):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user)
        self.login(None)
        self.assertRedirects(self.client.get(url), reverse("accounts:login") + "?next=" + url,
                             fetch_redirect_response=False)

    def test_the_api_lists_proposals_waiting_for_staff(self):
        other = services.submit_proposal(acting_user=self.editor, title="อีกเรื่อง", problem="ป",
                                         proposal="ข")
        set_league(proposal_support_threshold=1)
        services.endorse(self.proposal, acting_user=self.outsider)
        response = self.api.get("/api/v1/proposals/", {"waiting_for_staff": "true"})
        self.assertEqual([p["id"] for p in response.json()["results"]], [self.proposal.pk])
        self.assertEqual(response.json()["results"][0]["support_count"], 1)
        self.assertIsNotNone(response.json()["results"][0]["threshold_reached_at"])
        response = self.api.get("/api/v1/proposals/", {"waiting_for_staff": "false"})
        self.assertEqual([p["id"] for p in response.json()["results"]], [other.pk])

    def test_a_lower_threshold_brings_proposals_already_over_it(self):
        services.endorse(self.proposal, acting_user=self.editor)  # 1 of the default 10
        self.assertFalse(services.proposals_waiting(self.staff).exists())
        set_league(proposal_support_threshold=1)
        self.assertEqual(list(services.proposals_waiting(self.staff)), [self.proposal])

    def test_staff_close_a_waiting_proposal_with_a_reason_others_cannot(self):
        set_league(proposal_support_threshold=1)
        services.endorse(self.proposal, acting_user=self.editor)
        url = reverse("participation:proposal_close", args=[self.proposal.pk])
        for user in (self.member, self.outsider, self.moderator):
            self.login(user)
            self.assertEqual(self.client.post(url, {"reason": "ซ้ำ"}).status_code, 403)
            response = self.as_user(user).post(f"/api/v1/proposals/{self.proposal.pk}/close/",
                                               {"reason": "ซ้ำ"}, format="json")
            self.assertEqual(response.status_code, 403, user)
        self.login(self.staff)
        self.client.post(url, {"reason": "ซ้ำกับข้อเสนอแนะที่มีอยู่",
                               "next": reverse("participation:proposal_queue")})
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.status, ProposalStatus.CLOSED)
        self.assertContains(self.client.get(reverse("participation:proposal_queue")), "No proposal waits")
        self.assertTrue(AuditEntry.objects.for_object(self.proposal).filter(
            note__contains="ซ้ำกับข้อเสนอแนะที่มีอยู่").exists())
        again = self.as_user(self.staff).post(f"/api/v1/proposals/{self.proposal.pk}/close/",
                                              {"reason": "x"}, format="json")
        self.assertEqual(again.status_code, 400)

    def test_staff_promote_from_the_queue(self):
        set_league(proposal_support_threshold=1)
        services.endorse(self.proposal, acting_user=self.editor)
        self.login(self.staff)
        self.client.post(reverse("participation:proposal_promote", args=[self.proposal.pk]))
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.status, ProposalStatus.PROMOTED)
        self.assertFalse(services.proposals_waiting(self.staff).exists())


class ReplyTests(ThreadTestCase):
    def setUp(self):
        super().setUp()
        self.comment = services.post_comment(self.practice, "ความเห็นแรก", acting_user=self.member)

    def test_members_reply_on_the_page_and_the_reply_shows_nested(self):
        for user in (self.editor, self.outsider, self.moderator):
            self.login(user)
            response = self.client.post(reverse("participation:comment", args=["practice", self.practice.pk]),
                                        {"text": f"ตอบจาก {user.username}", "parent": self.comment.pk,
                                         "next": self.practice.get_absolute_url()})
            self.assertEqual(response.status_code, 302, user)
        replies = Comment.objects.filter(parent=self.comment)
        self.assertEqual(replies.count(), 3)
        self.assertEqual(set(replies.values_list("depth", flat=True)), {1})
        self.login(None)
        page = self.client.get(self.practice.get_absolute_url()).content.decode()
        nested = page.index('aria-label="Replies to member"')
        self.assertLess(page.index(f'id="comment-{self.comment.pk}"'), nested)
        self.assertLess(nested, page.index("ตอบจาก editor"))

    def test_a_reply_through_the_api_and_its_limits(self):
        api = self.as_user(self.outsider)
        body = {"target_type": "practice", "target_id": self.practice.pk, "text": "ตอบ",
                "parent": self.comment.pk}
        response = api.post("/api/v1/comments/", body, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual((response.json()["parent"], response.json()["depth"]), (self.comment.pk, 1))
        listed = self.api.get("/api/v1/comments/", {"parent": self.comment.pk}).json()["results"]
        self.assertEqual([c["text"] for c in listed], ["ตอบ"])
        # On another record, to no comment, too deep, to a hidden comment: each a 400 naming parent.
        elsewhere = api.post("/api/v1/comments/", {**body, "target_type": "recommendation",
                                                   "target_id": self.recommendation.pk}, format="json")
        self.assertEqual(elsewhere.status_code, 400)
        self.assertIn("another record", str(elsewhere.json()["parent"]))
        missing = api.post("/api/v1/comments/", {**body, "parent": 999999}, format="json")
        self.assertEqual(missing.status_code, 400)
        self.assertIn("parent", missing.json())
        parent = Comment.objects.get(pk=response.json()["id"])
        for _level in range(2):
            parent = services.post_comment(self.practice, "ลึก", acting_user=self.editor, parent=parent)
        self.assertEqual(parent.depth, Comment.MAX_DEPTH)
        deep = api.post("/api/v1/comments/", {**body, "parent": parent.pk}, format="json")
        self.assertEqual(deep.status_code, 400)
        self.assertIn("3 levels deep at most", str(deep.json()["parent"]))
        services.hide(self.comment, "สแปม", acting_user=self.moderator)
        hidden = self.as_user(self.moderator).post("/api/v1/comments/", body, format="json")
        self.assertEqual(hidden.status_code, 400)
        self.assertIn("hidden or withdrawn", str(hidden.json()["parent"]))

    def test_a_reply_form_with_an_unknown_parent_is_a_400_that_says_so(self):
        self.login(self.editor)
        response = self.client.post(reverse("participation:comment", args=["practice", self.practice.pk]),
                                    {"text": "ตอบ", "parent": "12345"})
        self.assertContains(response, "There is no comment 12345 that you can reply to.", status_code=400)
        self.assertEqual(Comment.objects.count(), 1)

    def test_anonymous_cannot_reply(self):
        response = self.api.post("/api/v1/comments/", {
            "target_type": "practice", "target_id": self.practice.pk, "text": "x",
            "parent": self.comment.pk}, format="json")
        self.assertIn(response.status_code, (401, 403))
        page = self.client.get(self.practice.get_absolute_url())
        self.assertNotContains(page, 'name="parent"')
        self.assertEqual(Comment.objects.count(), 1)


class CommentEditTests(ThreadTestCase):
    def setUp(self):
        super().setUp()
        self.comment = services.post_comment(self.practice, "สะกดผิด", acting_user=self.member)
        self.edit_url = reverse("participation:comment_edit", args=[self.comment.pk])

    def test_its_author_edits_on_the_page_and_the_history_keeps_the_old_text(self):
        self.login(self.member)
        page = self.client.get(self.practice.get_absolute_url())
        self.assertContains(page, self.edit_url)
        self.assertContains(self.client.get(self.edit_url), "สะกดผิด")
        response = self.client.post(self.edit_url, {"text": "สะกดถูก", "next": self.practice.get_absolute_url()})
        self.assertRedirects(response, self.practice.get_absolute_url(), fetch_redirect_response=False)
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.text, "สะกดถูก")
        self.assertIsNotNone(self.comment.edited_at)
        entry = AuditEntry.objects.for_object(self.comment).filter(note="edited by its author").get()
        self.assertEqual((entry.before["text"], entry.after["text"]), ("สะกดผิด", "สะกดถูก"))
        self.assertContains(self.client.get(self.practice.get_absolute_url()), "edited ")
        self.login(self.staff)
        history = reverse("accounts:history", args=["participation", "comment", self.comment.pk])
        self.assertContains(self.client.get(self.practice.get_absolute_url()), history)
        self.assertContains(self.client.get(history), "สะกดผิด")

    def test_its_author_edits_through_the_api(self):
        response = self.as_user(self.member).patch(f"/api/v1/comments/{self.comment.pk}/",
                                                   {"text": "สะกดถูก"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["text"], "สะกดถูก")
        self.assertIsNotNone(response.json()["edited_at"])

    def test_nobody_else_edits_a_comment(self):
        for user in self.others():
            self.login(user)
            self.assertEqual(self.client.get(self.edit_url).status_code, 403, user)
            self.assertEqual(self.client.post(self.edit_url, {"text": "แก้"}).status_code, 403, user)
            self.assertNotContains(self.client.get(self.practice.get_absolute_url()), self.edit_url)
            response = self.as_user(user).patch(f"/api/v1/comments/{self.comment.pk}/", {"text": "แก้"},
                                                format="json")
            self.assertEqual(response.status_code, 403, user)
        self.login(None)
        self.assertRedirects(self.client.get(self.edit_url), reverse("accounts:login") + "?next=" + self.edit_url,
                             fetch_redirect_response=False)
        self.assertIn(self.as_user(None).patch(f"/api/v1/comments/{self.comment.pk}/", {"text": "แก้"},
                                               format="json").status_code, (401, 403))
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.text, "สะกดผิด")

    def test_a_reply_ends_editing(self):
        services.post_comment(self.practice, "ตอบ", acting_user=self.editor, parent=self.comment)
        response = self.as_user(self.member).patch(f"/api/v1/comments/{self.comment.pk}/",
                                                   {"text": "แก้"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Somebody has replied to this comment", str(response.json()))
        self.login(self.member)
        response = self.client.get(self.edit_url, follow=True)
        self.assertContains(response, "Somebody has replied to this comment")
        self.assertNotContains(self.client.get(self.practice.get_absolute_url()), self.edit_url)

    def test_editing_ends_after_the_leagues_minutes(self):
        set_league(comment_edit_minutes=15)
        Comment.objects.filter(pk=self.comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
        response = self.as_user(self.member).patch(f"/api/v1/comments/{self.comment.pk}/",
                                                   {"text": "แก้"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("15 minutes after it is posted", str(response.json()))
        self.login(self.member)
        response = self.client.post(self.edit_url, {"text": "แก้"})
        self.assertContains(response, "15 minutes after it is posted", status_code=400)
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.text, "สะกดผิด")


class CommentWithdrawTests(ThreadTestCase):
    def setUp(self):
        super().setUp()
        self.comment = services.post_comment(self.practice, "ขอถอนคำพูด", acting_user=self.member)
        self.reply = services.post_comment(self.practice, "คำตอบยังอยู่", acting_user=self.editor,
                                           parent=self.comment)
        self.url = reverse("participation:comment_withdraw", args=[self.comment.pk])

    def test_its_author_withdraws_on_the_page_and_the_thread_stays(self):
        self.login(self.member)
        page = self.client.get(self.practice.get_absolute_url())
        self.assertContains(page, self.url)
        self.client.post(self.url)
        self.comment.refresh_from_db()
        self.assertIsNotNone(self.comment.withdrawn_at)
        for user in (None, self.outsider, self.moderator):
            self.login(user)
            page = self.client.get(self.practice.get_absolute_url())
            self.assertContains(page, "This comment was withdrawn by its author.")
            self.assertNotContains(page, "ขอถอนคำพูด")
            self.assertContains(page, "คำตอบยังอยู่")
        entry = AuditEntry.objects.for_object(self.comment).filter(note="withdrawn by its author").get()
        self.assertEqual(entry.before["text"], "ขอถอนคำพูด")

    def test_its_author_withdraws_through_the_api_and_the_text_is_gone(self):
        response = self.as_user(self.member).post(f"/api/v1/comments/{self.comment.pk}/withdraw/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(response.json()["withdrawn"])
        self.assertEqual(response.json()["text"], "")
        listed = self.as_user(None).get("/api/v1/comments/", {"target_type": "practice",
                                                             "target_id": self.practice.pk}).json()
        self.assertEqual([c["text"] for c in listed["results"]], ["", "คำตอบยังอยู่"])
        again = self.as_user(self.member).post(f"/api/v1/comments/{self.comment.pk}/withdraw/")
        self.assertEqual(again.status_code, 400)

    def test_nobody_else_withdraws_a_comment(self):
        for user in self.others():
            self.login(user)
            self.assertEqual(self.client.post(self.url).status_code, 403, user)
            response = self.as_user(user).post(f"/api/v1/comments/{self.comment.pk}/withdraw/")
            self.assertEqual(response.status_code, 403, user)
        self.login(None)
        self.assertEqual(self.client.post(self.url).status_code, 302)
        self.assertIn(self.as_user(None).post(f"/api/v1/comments/{self.comment.pk}/withdraw/").status_code,
                      (401, 403))
        self.comment.refresh_from_db()
        self.assertIsNone(self.comment.withdrawn_at)

    def test_a_withdrawn_comment_takes_no_reply_edit_or_flag(self):
        services.withdraw_comment(self.comment, acting_user=self.member)
        with self.assertRaisesMessage(Exception, "hidden or withdrawn"):
            services.post_comment(self.practice, "x", acting_user=self.outsider, parent=self.comment)
        response = self.as_user(self.member).patch(f"/api/v1/comments/{self.comment.pk}/", {"text": "x"},
                                                   format="json")
        self.assertEqual(response.status_code, 400)
        response = self.as_user(self.outsider).post("/api/v1/flags/", {
            "target_type": "comment", "target_id": self.comment.pk, "reason": "r"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("withdrawn", str(response.json()))

    def test_moderators_still_hide_and_restore_a_comment_with_replies(self):
        services.hide(self.comment, "นอกเรื่อง", acting_user=self.moderator)
        self.login(self.outsider)
        page = self.client.get(self.practice.get_absolute_url())
        self.assertContains(page, "This comment was hidden by a moderator.")
        self.assertContains(page, "คำตอบยังอยู่")
        response = self.as_user(self.staff).post(f"/api/v1/comments/{self.comment.pk}/restore/",
                                                 {"reason": "ไม่ผิดกติกา"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.comment.refresh_from_db()
        self.assertFalse(self.comment.hidden)


class ProposalEditAndWithdrawTests(ThreadTestCase):
    def test_its_author_edits_an_unsupported_proposal_on_the_page(self):
        url = reverse("participation:proposal_edit", args=[self.proposal.pk])
        self.login(self.member)
        self.assertContains(self.client.get(self.proposal.get_absolute_url()), url)
        self.assertContains(self.client.get(url), "ไม่มีที่ขาย")
        response = self.client.post(url, {"title": "ตลาดนัดชุมชนริมน้ำ", "problem": "ไม่มีที่ขายของ",
                                          "proposal": "จัดพื้นที่", "lgu": self.lgu.code})
        self.assertRedirects(response, self.proposal.get_absolute_url(), fetch_redirect_response=False)
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.title, "ตลาดนัดชุมชนริมน้ำ")
        self.assertIsNotNone(self.proposal.edited_at)
        entry = AuditEntry.objects.for_object(self.proposal).filter(note="edited by its author").get()
        self.assertEqual(entry.before["title"], "ตลาดนัดชุมชน (ข้อมูลตัวอย่าง)")

    def test_its_author_edits_through_the_api_until_someone_supports_it(self):
        api = self.as_user(self.member)
        response = api.patch(f"/api/v1/proposals/{self.proposal.pk}/", {"problem": "ใหม่"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["problem"], response.json()["title"]),
                         ("ใหม่", "ตลาดนัดชุมชน (ข้อมูลตัวอย่าง)"))
        services.endorse(self.proposal, acting_user=self.outsider)
        response = api.patch(f"/api/v1/proposals/{self.proposal.pk}/", {"problem": "อีก"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Members already support this proposal", str(response.json()))
        self.login(self.member)
        response = self.client.get(reverse("participation:proposal_edit", args=[self.proposal.pk]), follow=True)
        self.assertContains(response, "Members already support this proposal")

    def test_nobody_else_edits_or_withdraws_a_proposal(self):
        edit = reverse("participation:proposal_edit", args=[self.proposal.pk])
        withdraw = reverse("participation:proposal_withdraw", args=[self.proposal.pk])
        for user in self.others():
            self.login(user)
            self.assertEqual(self.client.get(edit).status_code, 403, user)
            self.assertEqual(self.client.post(withdraw).status_code, 403, user)
            page = self.client.get(self.proposal.get_absolute_url())
            self.assertNotContains(page, edit)
            self.assertNotContains(page, withdraw)
            api = self.as_user(user)
            self.assertEqual(api.patch(f"/api/v1/proposals/{self.proposal.pk}/", {"title": "x"},
                                       format="json").status_code, 403, user)
            self.assertEqual(api.post(f"/api/v1/proposals/{self.proposal.pk}/withdraw/").status_code, 403, user)
        self.login(None)
        self.assertEqual(self.client.get(edit).status_code, 302)
        self.assertEqual(self.client.post(withdraw).status_code, 302)
        self.assertIn(self.as_user(None).post(f"/api/v1/proposals/{self.proposal.pk}/withdraw/").status_code,
                      (401, 403))
        self.proposal.refresh_from_db()
        self.assertEqual((self.proposal.title, self.proposal.status),
                         ("ตลาดนัดชุมชน (ข้อมูลตัวอย่าง)", ProposalStatus.OPEN))

    def test_its_author_withdraws_on_the_page_and_through_the_api(self):
        self.login(self.member)
        self.client.post(reverse("participation:proposal_withdraw", args=[self.proposal.pk]))
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.status, ProposalStatus.WITHDRAWN)
        self.assertTrue(AuditEntry.objects.for_object(self.proposal).filter(
            note="withdrawn by its author").exists())
        other = services.submit_proposal(acting_user=self.member, title="t", problem="p", proposal="c")
        response = self.as_user(self.member).post(f"/api/v1/proposals/{other.pk}/withdraw/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "withdrawn")

    def test_a_promoted_proposal_is_neither_edited_nor_withdrawn(self):
        services.promote_proposal(self.proposal, acting_user=self.staff)
        api = self.as_user(self.member)
        self.assertEqual(api.post(f"/api/v1/proposals/{self.proposal.pk}/withdraw/").status_code, 403)
        self.assertEqual(api.patch(f"/api/v1/proposals/{self.proposal.pk}/", {"title": "x"},
                                   format="json").status_code, 403)
        self.login(self.member)
        response = self.client.post(reverse("participation:proposal_withdraw", args=[self.proposal.pk]),
                                    follow=True)
        self.assertContains(response, "Only an open proposal can be withdrawn.")
        response = self.client.get(reverse("participation:proposal_edit", args=[self.proposal.pk]), follow=True)
        self.assertContains(response, "Only an open proposal can be changed.")
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.status, ProposalStatus.PROMOTED)

    def test_a_hidden_proposal_keeps_its_moderation_as_today(self):
        services.hide(self.proposal, "สแปม", acting_user=self.moderator)
        self.assertEqual(self.as_user(self.outsider).get(f"/api/v1/proposals/{self.proposal.pk}/").status_code,
                         404)
        self.assertEqual(self.as_user(self.member).patch(f"/api/v1/proposals/{self.proposal.pk}/",
                                                          {"title": "x"}, format="json").status_code, 403)
        self.assertTrue(Proposal.objects.filter(pk=self.proposal.pk, hidden=True).exists())
