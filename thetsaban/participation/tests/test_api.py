from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from thetsaban.participation import services
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Proposal
from thetsaban.participation.tests.base import SCRIPT, ParticipationTestCase


class ApiTestCase(ParticipationTestCase):
    def setUp(self):
        super().setUp()
        self.api = APIClient()

    def as_user(self, user):
        self.api.logout()
        if user is not None:
            self.api.force_authenticate(user)
        return self.api


class CommentApiTests(ApiTestCase):
    def test_list_filtered_by_target(self):
        services.post_comment(self.practice, "on the practice", acting_user=self.member)
        services.post_comment(self.recommendation, "on the recommendation", acting_user=self.member)
        response = self.api.get("/api/v1/comments/", {"target_type": "practice",
                                                      "target_id": self.practice.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([c["text"] for c in response.json()["results"]], ["on the practice"])
        self.assertEqual(response.json()["results"][0]["target_type"], "practice")

    def test_bad_target_type_is_a_400(self):
        response = self.api.get("/api/v1/comments/", {"target_type": "lgu"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("target_type", response.json())
        response = self.api.get("/api/v1/comments/", {"target_id": "abc"})
        self.assertEqual(response.status_code, 400)

    def test_anonymous_cannot_write(self):
        response = self.api.post("/api/v1/comments/", {"target_type": "practice",
                                                       "target_id": self.practice.pk, "text": "x"})
        self.assertIn(response.status_code, (401, 403))
        self.assertFalse(Comment.objects.exists())
        for url, data in (("/api/v1/endorsements/", {"target_type": "practice", "target_id": self.practice.pk}),
                          ("/api/v1/follows/", {"target_type": "practice", "target_id": self.practice.pk}),
                          ("/api/v1/proposals/", {"title": "t", "problem": "p", "proposal": "c"}),
                          ("/api/v1/flags/", {"target_type": "comment", "target_id": 1, "reason": "r"})):
            self.assertIn(self.api.post(url, data).status_code, (401, 403), url)

    def test_member_posts_and_hostile_text_is_stored_as_text(self):
        api = self.as_user(self.member)
        response = api.post("/api/v1/comments/", {"target_type": "recommendation",
                                                  "target_id": self.recommendation.pk,
                                                  "text": f"{SCRIPT}\x00"}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["text"], SCRIPT)
        self.assertEqual(response.json()["author"], "member")

    def test_invisible_or_unknown_targets_are_400(self):
        api = self.as_user(self.member)
        for target_type, pk in (("practice", self.draft_practice.pk), ("recommendation", 99999),
                                ("recommendation", self.draft_recommendation.pk)):
            response = api.post("/api/v1/comments/", {"target_type": target_type, "target_id": pk,
                                                      "text": "x"}, format="json")
            self.assertEqual(response.status_code, 400, (target_type, pk))
            self.assertIn("target_id", response.json())

    def test_too_long_text_is_a_400_naming_the_field(self):
        api = self.as_user(self.member)
        response = api.post("/api/v1/comments/", {"target_type": "practice", "target_id": self.practice.pk,
                                                  "text": "x" * 5001}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("5,000", response.json()["text"][0])

    def test_rate_limit_is_a_429(self):
        api = self.as_user(self.member)
        data = {"target_type": "practice", "target_id": self.practice.pk, "text": "x"}
        for _n in range(5):
            self.assertEqual(api.post("/api/v1/comments/", data, format="json").status_code, 201)
        response = api.post("/api/v1/comments/", data, format="json")
        self.assertEqual(response.status_code, 429)
        self.assertIn("too quickly", response.json()["detail"])
        self.assertIn("Retry-After", response)

    def test_rate_limit_per_address_is_a_429(self):
        data = {"target_type": "practice", "target_id": self.practice.pk, "text": "x"}
        with self.settings(PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS=2):
            for user in (self.member, self.editor):
                self.as_user(user).post("/api/v1/comments/", data, format="json", REMOTE_ADDR="203.0.113.5")
            response = self.as_user(self.outsider).post("/api/v1/comments/", data, format="json",
                                                        REMOTE_ADDR="203.0.113.5")
        self.assertEqual(response.status_code, 429)

    def test_only_moderators_hide_and_restore(self):
        comment = services.post_comment(self.practice, "rude", acting_user=self.editor)
        url = f"/api/v1/comments/{comment.pk}/hide/"
        self.assertIn(self.api.post(url, {"reason": "x"}).status_code, (401, 403))
        for user in (self.editor, self.outsider, self.member):  # the author, another LGU's editor, a member
            self.assertEqual(self.as_user(user).post(url, {"reason": "x"}).status_code, 403, user)
        api = self.as_user(self.moderator)
        self.assertEqual(api.post(url, {}).status_code, 400)
        response = api.post(url, {"reason": "insults"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["action"], "hide")
        self.assertEqual(api.post(url, {"reason": "again"}).status_code, 400)
        # Gone for the public and other members; its author still sees it, marked hidden.
        self.assertEqual(self.as_user(None).get(f"/api/v1/comments/{comment.pk}/").status_code, 404)
        self.assertEqual(self.as_user(self.outsider).get("/api/v1/comments/").json()["count"], 0)
        response = self.as_user(self.editor).get(f"/api/v1/comments/{comment.pk}/")
        self.assertTrue(response.json()["hidden"])
        response = self.as_user(self.moderator).post(f"/api/v1/comments/{comment.pk}/restore/",
                                                     {"reason": "a quote"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.as_user(None).get("/api/v1/comments/").json()["count"], 1)

    def test_authors_cannot_see_others_hidden_comments(self):
        mine = services.post_comment(self.practice, "mine", acting_user=self.member)
        theirs = services.post_comment(self.practice, "theirs", acting_user=self.outsider)
        services.hide(mine, "x", acting_user=self.moderator)
        services.hide(theirs, "x", acting_user=self.moderator)
        texts = [c["text"] for c in self.as_user(self.member).get("/api/v1/comments/").json()["results"]]
        self.assertEqual(texts, ["mine"])
        response = self.as_user(self.moderator).get("/api/v1/comments/", {"hidden": "true"})
        self.assertEqual(response.json()["count"], 2)

    def test_comments_are_withdrawn_not_deleted_through_the_api(self):
        # Editing (PATCH) and withdrawing follow the rules tested in test_threads; nothing deletes.
        comment = services.post_comment(self.practice, "x", acting_user=self.member)
        api = self.as_user(self.member)
        self.assertEqual(api.delete(f"/api/v1/comments/{comment.pk}/").status_code, 405)

    def test_list_runs_a_constant_number_of_queries(self):
        def queries_for(n):
            for i in range(n):
                services.post_comment(self.practice, f"c{i}", acting_user=self.member)
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.api.get("/api/v1/comments/").status_code, 200)
            return len(queries)

        self.as_user(self.member)
        self.assertEqual(queries_for(1), queries_for(4))


class EndorsementApiTests(ApiTestCase):
    def test_endorse_once_friendly_error_then_withdraw(self):
        api = self.as_user(self.member)
        data = {"target_type": "recommendation", "target_id": self.recommendation.pk}
        response = api.post("/api/v1/endorsements/", data, format="json")
        self.assertEqual(response.status_code, 201)
        again = api.post("/api/v1/endorsements/", data, format="json")
        self.assertEqual(again.status_code, 400)
        self.assertIn("You already support this.", str(again.json()))
        count = self.as_user(None).get("/api/v1/endorsements/count/", data).json()
        self.assertEqual(count, {"count": 1, "endorsed": False})
        self.assertEqual(api.get("/api/v1/endorsements/count/", data).json()["endorsed"], False)
        self.as_user(self.member)
        self.assertEqual(self.api.get("/api/v1/endorsements/count/", data).json()["endorsed"], True)
        pk = response.json()["id"]
        self.assertEqual(self.as_user(self.outsider).delete(f"/api/v1/endorsements/{pk}/").status_code, 404)
        self.assertEqual(self.as_user(self.member).delete(f"/api/v1/endorsements/{pk}/").status_code, 204)
        self.assertFalse(Endorsement.objects.exists())

    def test_who_endorses_is_private(self):
        services.endorse(self.practice, acting_user=self.member)
        self.assertEqual(self.as_user(None).get("/api/v1/endorsements/").json()["count"], 0)
        self.assertEqual(self.as_user(self.outsider).get("/api/v1/endorsements/").json()["count"], 0)
        self.assertEqual(self.as_user(self.member).get("/api/v1/endorsements/").json()["count"], 1)

    def test_transfer_projects_are_not_endorsed(self):
        response = self.as_user(self.member).post(
            "/api/v1/endorsements/", {"target_type": "transferproject", "target_id": self.project.pk},
            format="json")
        self.assertEqual(response.status_code, 400)

    def test_count_needs_a_valid_target(self):
        self.assertEqual(self.api.get("/api/v1/endorsements/count/").status_code, 400)


class ProposalApiTests(ApiTestCase):
    def test_member_submits_and_everyone_reads(self):
        response = self.as_user(self.member).post("/api/v1/proposals/", {
            "title": "ตลาด", "problem": "ปัญหา", "proposal": "ข้อเสนอ", "themes": ["governance"],
            "lgu": self.lgu.code}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["status"], "open")
        listed = self.as_user(None).get("/api/v1/proposals/").json()
        self.assertEqual(listed["results"][0]["themes"], ["governance"])
        self.assertEqual(listed["results"][0]["comment_count"], 0)

    def test_missing_fields_are_400(self):
        response = self.as_user(self.member).post("/api/v1/proposals/", {"title": " \x00"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertTrue({"problem", "proposal"} <= set(response.json()))

    def test_only_staff_promote(self):
        proposal = services.submit_proposal(acting_user=self.member, title="t", problem="p", proposal="c")
        url = f"/api/v1/proposals/{proposal.pk}/promote/"
        self.assertIn(self.api.post(url).status_code, (401, 403))
        for user in (self.member, self.moderator, self.outsider):
            self.assertEqual(self.as_user(user).post(url).status_code, 403, user)

    def test_moderators_hide_proposals(self):
        proposal = services.submit_proposal(acting_user=self.member, title="spam", problem="p", proposal="c")
        url = f"/api/v1/proposals/{proposal.pk}/hide/"
        self.assertEqual(self.as_user(self.outsider).post(url, {"reason": "x"}).status_code, 403)
        self.assertEqual(self.as_user(self.moderator).post(url, {"reason": "spam"}).status_code, 200)
        self.assertEqual(self.as_user(None).get("/api/v1/proposals/").json()["count"], 0)
        self.assertEqual(self.as_user(self.member).get("/api/v1/proposals/").json()["count"], 1)

    def test_list_runs_a_constant_number_of_queries(self):
        def queries_for(n):
            for i in range(n):
                services.submit_proposal(acting_user=self.member, title=f"t{i}", problem="p",
                                         proposal="c", themes=[self.theme], lgu=self.lgu)
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.api.get("/api/v1/proposals/").status_code, 200)
            return len(queries)

        self.assertEqual(queries_for(1), queries_for(4))


class FlagAndFollowApiTests(ApiTestCase):
    def test_members_flag_once_and_moderators_see_the_flags(self):
        comment = services.post_comment(self.practice, "rude", acting_user=self.editor)
        data = {"target_type": "comment", "target_id": comment.pk, "reason": "insult"}
        self.assertEqual(self.as_user(self.member).post("/api/v1/flags/", data, format="json").status_code, 201)
        again = self.as_user(self.member).post("/api/v1/flags/", data, format="json")
        self.assertEqual(again.status_code, 400)
        self.assertIn("already flagged", str(again.json()))
        self.assertEqual(self.as_user(self.outsider).get("/api/v1/flags/").json()["count"], 0)
        self.assertEqual(self.as_user(self.moderator).get("/api/v1/flags/", {"open": "true"}).json()["count"], 1)
        self.as_user(self.moderator).post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": "insult"})
        self.assertEqual(self.as_user(self.moderator).get("/api/v1/flags/", {"open": "true"}).json()["count"], 0)
        self.assertEqual(Flag.objects.get().resolved_at is not None, True)

    def test_flag_bad_target_is_400(self):
        response = self.as_user(self.member).post(
            "/api/v1/flags/", {"target_type": "practice", "target_id": self.practice.pk, "reason": "x"},
            format="json")
        self.assertEqual(response.status_code, 400)

    def test_follow_unfollow_and_mail(self):
        api = self.as_user(self.member)
        data = {"target_type": "transferproject", "target_id": self.project.pk}
        response = api.post("/api/v1/follows/", data, format="json")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(api.post("/api/v1/follows/", data, format="json").status_code, 201)
        self.assertEqual(Follow.objects.count(), 1)
        with self.captureOnCommitCallbacks(execute=True):
            self.as_user(self.outsider).post("/api/v1/comments/", {**data, "text": "news"}, format="json")
        self.assertEqual([m.to for m in mail.outbox], [["member@example.org"]])
        pk = response.json()["id"]
        self.assertEqual(self.as_user(self.outsider).delete(f"/api/v1/follows/{pk}/").status_code, 404)
        self.assertEqual(self.as_user(self.member).delete(f"/api/v1/follows/{pk}/").status_code, 204)
        self.assertFalse(Follow.objects.exists())


class SchemaTests(ApiTestCase):
    def test_participation_endpoints_are_in_the_openapi_schema(self):
        response = self.api.get("/api/schema/", {"format": "json"})
        self.assertEqual(response.status_code, 200)
        paths = response.json()["paths"]
        for path in ("/api/v1/comments/", "/api/v1/comments/{id}/hide/", "/api/v1/comments/{id}/restore/",
                     "/api/v1/endorsements/", "/api/v1/endorsements/count/", "/api/v1/proposals/",
                     "/api/v1/proposals/{id}/promote/", "/api/v1/flags/", "/api/v1/follows/{id}/"):
            self.assertIn(path, paths)
        self.assertFalse(Proposal.objects.exists())


class ConstantQueryTests(ApiTestCase):
    def test_endorsement_follow_and_flag_lists_run_a_constant_number_of_queries(self):
        def queries_for(n):
            from thetsaban.practices.models import Practice

            for _i in range(n):
                practice = Practice.objects.create(lgu=self.lgu, title_th="ตัวอย่าง", summary="ตัวอย่าง",
                                                   status="published", tier="good", is_example=True)
                services.endorse(practice, acting_user=self.moderator)
                services.follow(practice, acting_user=self.moderator)
                comment = services.post_comment(practice, "x", acting_user=self.member)
                services.flag(comment, "r", acting_user=self.moderator)
                cache.clear()
            counts = []
            for url in ("/api/v1/endorsements/", "/api/v1/follows/", "/api/v1/flags/"):
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.api.get(url).status_code, 200)
                counts.append(len(queries))
            return counts

        self.as_user(self.moderator)
        self.assertEqual(queries_for(1), queries_for(4))


class CommentsOnHiddenRecordsTests(ApiTestCase):
    """A comment is readable, through the pages and the API alike, only where its record is."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.proposal = services.submit_proposal(acting_user=cls.member, title="Night market",
                                                problem="p", proposal="c")
        cls.comment = services.post_comment(cls.proposal, "a visible comment on a hidden proposal",
                                            acting_user=cls.outsider)
        services.hide(cls.proposal, "spam", acting_user=cls.moderator)

    def comment_texts(self, user):
        response = self.as_user(user).get("/api/v1/comments/", {"target_type": "proposal"})
        return [c["text"] for c in response.json()["results"]]

    def test_anonymous_and_other_members_read_neither_the_proposal_nor_its_comments(self):
        for user in (None, self.outsider, self.editor):
            with self.subTest(user=user):
                self.assertEqual(self.comment_texts(user), [])
                self.assertEqual(self.api.get(f"/api/v1/comments/{self.comment.pk}/").status_code, 404)
                self.login(user)
                self.assertEqual(self.client.get(self.proposal.get_absolute_url()).status_code, 404)

    def test_the_author_sees_the_hidden_proposal_but_not_its_comments_on_the_page_or_the_api(self):
        for user in (self.member, self.outsider):  # the proposal's author, the comment's author
            with self.subTest(user=user):
                self.assertEqual(self.comment_texts(user), [])
                self.assertEqual(self.api.get(f"/api/v1/comments/{self.comment.pk}/").status_code, 404)
        self.login(self.member)
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertContains(page, "hidden by a moderator")
        self.assertNotContains(page, self.comment.text)

    def test_moderators_and_staff_still_read_the_comments_to_moderate_them(self):
        for user in (self.moderator, self.staff):
            with self.subTest(user=user):
                self.assertEqual(self.comment_texts(user), [self.comment.text])
                self.assertEqual(self.api.get(f"/api/v1/comments/{self.comment.pk}/").status_code, 200)

    def test_comments_come_back_when_the_proposal_is_restored(self):
        services.restore(self.proposal, "not spam", acting_user=self.moderator)
        self.assertEqual(self.comment_texts(None), [self.comment.text])
        self.assertContains(self.client.get(self.proposal.get_absolute_url()), self.comment.text)
