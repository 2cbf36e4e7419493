from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thetsaban.participation import services
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Moderation, Proposal
from thetsaban.participation.tests.base import SCRIPT, ParticipationTestCase

ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def render_panel(obj, user, path="/practices/1/"):
    request = RequestFactory().get(path)
    request.user = user
    template = Template("{% load participation %}{% participation_panel obj %}")
    return template.render(RequestContext(request, {"obj": obj}))


class PanelTests(ParticipationTestCase):
    def test_anonymous_sees_comments_count_and_a_sign_in_link_but_no_forms(self):
        services.post_comment(self.practice, "ดีมาก", acting_user=self.editor)
        services.endorse(self.practice, acting_user=self.member)
        html = render_panel(self.practice, AnonymousUser())
        self.assertIn("ดีมาก", html)
        self.assertIn('data-endorsements="1"', html)
        self.assertIn(reverse("accounts:login"), html)
        self.assertNotIn("<textarea", html)
        self.assertNotIn(reverse("participation:endorse", args=["practice", self.practice.pk]), html)

    def test_member_sees_comment_endorse_and_follow_forms(self):
        html = render_panel(self.recommendation, self.member)
        for name in ("comment", "endorse", "follow"):
            self.assertIn(reverse(f"participation:{name}", args=["recommendation", self.recommendation.pk]),
                          html)
        self.assertIn("<textarea", html)
        services.endorse(self.recommendation, acting_user=self.member)
        services.follow(self.recommendation, acting_user=self.member)
        html = render_panel(self.recommendation, self.member)
        self.assertIn(reverse("participation:withdraw", args=["recommendation", self.recommendation.pk]), html)
        self.assertIn(reverse("participation:unfollow", args=["recommendation", self.recommendation.pk]), html)

    def test_transfer_projects_get_comments_but_no_endorsements(self):
        html = render_panel(self.project, self.member)
        self.assertIn(reverse("participation:comment", args=["transferproject", self.project.pk]), html)
        self.assertNotIn("endorse", html)

    def test_drafts_and_other_records_show_no_forms(self):
        html = render_panel(self.draft_practice, self.editor)
        self.assertNotIn("<textarea", html)
        self.assertIn("published", html)
        self.assertEqual(render_panel(self.lgu, self.member).strip(), "")

    def test_hostile_comment_is_shown_inert(self):
        text = f"{SCRIPT}\n<img src=x onerror=alert(1)>" + "ก" * 4000
        services.post_comment(self.practice, text, acting_user=self.member)
        html = render_panel(self.practice, AnonymousUser())
        self.assertIn(ESCAPED_SCRIPT, html)
        self.assertNotIn("<script", html)
        self.assertNotIn("<img", html)
        self.assertIn('<div class="comment-text">', html)  # wraps long words (site.css)

    def test_hidden_comment_is_replaced_for_everyone_but_moderators(self):
        comment = services.post_comment(self.practice, "secret insult", acting_user=self.editor)
        services.hide(comment, "insults", acting_user=self.moderator)
        for user in (AnonymousUser(), self.member, self.outsider, self.editor):
            html = render_panel(self.practice, user)
            self.assertNotIn("secret insult", html, user)
            self.assertIn("hidden by a moderator", html, user)
        html = render_panel(self.practice, self.moderator)
        self.assertIn("secret insult", html)
        self.assertIn(reverse("participation:moderate", args=["comment", comment.pk, "restore"]), html)

    def test_panel_runs_a_constant_number_of_queries(self):
        def count_for(n):
            for i in range(n):
                services.post_comment(self.recommendation, f"c{i}", acting_user=self.staff)
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                render_panel(self.recommendation, self.member)
            return len(queries)

        self.assertEqual(count_for(1), count_for(4))


class ActionPageTests(ParticipationTestCase):
    def comment_url(self, target, kind="practice"):
        return reverse("participation:comment", args=[kind, target.pk])

    def test_anonymous_cannot_post_endorse_flag_or_follow(self):
        comment = services.post_comment(self.practice, "hi", acting_user=self.member)
        urls = [
            self.comment_url(self.practice),
            reverse("participation:endorse", args=["practice", self.practice.pk]),
            reverse("participation:follow", args=["practice", self.practice.pk]),
            reverse("participation:flag", args=["comment", comment.pk]),
        ]
        for url in urls:
            response = self.client.post(url, {"text": "x", "reason": "x"})
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual((Comment.objects.count(), Endorsement.objects.count(), Follow.objects.count(),
                          Flag.objects.count()), (1, 0, 0, 0))

    def test_member_posts_a_comment_and_goes_back_to_the_record(self):
        self.login(self.member)
        response = self.client.post(self.comment_url(self.practice), {"text": "ขอบคุณ"})
        comment = Comment.objects.get()
        self.assertRedirects(response, self.practice.get_absolute_url() + f"#comment-{comment.pk}",
                             fetch_redirect_response=False)

    def test_next_is_followed_only_on_this_site(self):
        self.login(self.member)
        response = self.client.post(self.comment_url(self.practice),
                                    {"text": "a", "next": "/practices/?page=2"})
        self.assertEqual(response["Location"], f"/practices/?page=2#comment-{Comment.objects.get().pk}")
        for evil in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
            response = self.client.post(self.comment_url(self.practice), {"text": "b", "next": evil})
            self.assertTrue(response["Location"].startswith(self.practice.get_absolute_url()), evil)

    def test_too_long_comment_gives_a_form_error_keeping_the_text(self):
        self.login(self.member)
        response = self.client.post(self.comment_url(self.practice), {"text": "ข" * 5001})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "5,000", status_code=400)
        self.assertContains(response, "ข" * 100, status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_rate_limit_gives_a_form_error_not_a_server_error(self):
        self.login(self.member)
        for n in range(5):
            self.client.post(self.comment_url(self.practice), {"text": f"c{n}"})
        response = self.client.post(self.comment_url(self.practice), {"text": "one too many"})
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "too quickly", status_code=429)
        self.assertContains(response, "one too many", status_code=429)
        self.assertEqual(Comment.objects.count(), 5)

    @override_settings(PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS=2)
    def test_rate_limit_per_address_on_pages(self):
        for user in (self.member, self.editor):
            self.login(user)
            self.client.post(self.comment_url(self.practice), {"text": "x"}, REMOTE_ADDR="198.51.100.9")
        self.login(self.outsider)
        response = self.client.post(self.comment_url(self.practice), {"text": "x"},
                                    REMOTE_ADDR="198.51.100.9")
        self.assertContains(response, "network address", status_code=429)

    def test_hostile_comment_on_the_proposal_page_is_inert(self):
        proposal = services.submit_proposal(acting_user=self.member, title=SCRIPT, problem=SCRIPT,
                                            proposal="x\x00y")
        self.login(self.member)
        self.client.post(self.comment_url(proposal, "proposal"), {"text": SCRIPT})
        response = self.client.get(proposal.get_absolute_url())
        self.assertContains(response, ESCAPED_SCRIPT)
        self.assertNotContains(response, "<script>")
        self.assertContains(response, "xy")

    def test_endorse_twice_is_a_friendly_message_then_withdraw(self):
        self.login(self.member)
        url = reverse("participation:endorse", args=["recommendation", self.recommendation.pk])
        self.client.post(url)
        response = self.client.post(url, follow=False)
        self.assertEqual(response.status_code, 302)
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertIn("You already support this.", messages)
        self.assertEqual(Endorsement.objects.count(), 1)
        self.client.post(reverse("participation:withdraw", args=["recommendation", self.recommendation.pk]))
        self.assertEqual(Endorsement.objects.count(), 0)

    def test_endpoints_are_post_only_and_unknown_targets_are_404(self):
        self.login(self.member)
        url = reverse("participation:endorse", args=["practice", self.practice.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        for args in (["lgu", self.lgu.pk], ["practice", self.draft_practice.pk],
                     ["recommendation", self.draft_recommendation.pk], ["practice", 999999]):
            self.assertEqual(self.client.post(reverse("participation:endorse", args=args)).status_code,
                             404, args)

    def test_follow_and_email_on_new_comment(self):
        self.login(self.member)
        self.client.post(reverse("participation:follow", args=["transferproject", self.project.pk]))
        self.login(self.outsider)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(self.comment_url(self.project, "transferproject"), {"text": "progress?"})
        self.assertEqual([m.to for m in mail.outbox], [["member@example.org"]])


class ModerationPageTests(ParticipationTestCase):
    def setUp(self):
        super().setUp()
        self.comment = services.post_comment(self.practice, "rude words", acting_user=self.editor)
        self.proposal = services.submit_proposal(acting_user=self.outsider, title="spam",
                                                 problem="spam", proposal="spam")

    def test_member_flags_a_comment_through_the_page(self):
        self.login(self.member)
        url = reverse("participation:flag", args=["comment", self.comment.pk])
        self.assertContains(self.client.get(url), "rude words")
        response = self.client.post(url, {"reason": "insult"})
        self.assertEqual(response.status_code, 302)
        response = self.client.post(url, {"reason": "insult again"})
        self.assertContains(response, "already flagged", status_code=400)
        self.assertEqual(Flag.objects.count(), 1)

    def test_queue_is_for_moderators_only(self):
        url = reverse("participation:moderation")
        self.assertEqual(self.client.get(url).status_code, 302)
        for user in (self.member, self.editor, self.outsider, self.reviewer):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user)
        for user in (self.moderator, self.staff):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 200, user)

    def test_flags_wait_grouped_by_content_and_hide_resolves_them(self):
        services.flag(self.comment, "insult", acting_user=self.member)
        services.flag(self.comment, "rude", acting_user=self.outsider)
        services.flag(self.proposal, "spam", acting_user=self.member)
        self.login(self.moderator)
        response = self.client.get(reverse("participation:moderation"))
        self.assertContains(response, "2 items wait")
        self.assertContains(response, "2 flags")
        self.assertContains(response, "rude words")
        self.assertContains(response, self.practice.title)
        hide_url = reverse("participation:moderate", args=["comment", self.comment.pk, "hide"])
        self.assertContains(response, hide_url)
        response = self.client.post(hide_url, {"reason": "insults",
                                               "next": reverse("participation:moderation")})
        self.assertRedirects(response, reverse("participation:moderation"), fetch_redirect_response=False)
        self.comment.refresh_from_db()
        self.assertTrue(self.comment.hidden)
        keep = reverse("participation:moderate", args=["proposal", self.proposal.pk, "restore"])
        self.client.post(keep, {"reason": "not spam"})
        self.assertFalse(Flag.objects.open().exists())
        response = self.client.get(reverse("participation:moderation"))
        self.assertContains(response, "Nothing waits")
        self.assertContains(response, "insults")

    def test_only_moderators_hide_or_restore_through_pages(self):
        url = reverse("participation:moderate", args=["comment", self.comment.pk, "hide"])
        for user in (self.member, self.editor, self.outsider):
            self.login(user)
            self.assertEqual(self.client.post(url, {"reason": "x"}).status_code, 403)
        self.login(self.moderator)
        response = self.client.post(url, {"reason": ""})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Moderation.objects.exists())
        self.client.post(url, {"reason": "insults"})
        self.assertEqual(Moderation.objects.count(), 1)

    def test_hidden_proposal_disappears_for_the_public(self):
        services.hide(self.proposal, "spam", acting_user=self.moderator)
        url = self.proposal.get_absolute_url()
        for user in (None, self.member, self.editor):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 404, user)
            self.assertNotContains(self.client.get(reverse("participation:proposals")), "spam")
        self.login(self.outsider)  # its author sees it, marked
        self.assertContains(self.client.get(url), "hidden by a moderator")
        self.login(self.moderator)
        self.assertContains(self.client.get(url), "spam")


class ProposalPageTests(ParticipationTestCase):
    def test_member_submits_a_proposal(self):
        self.login(self.member)
        response = self.client.post(reverse("participation:proposal_new"), {
            "title": "ตลาดนัดชุมชน", "problem": "ไม่มีที่ขาย", "proposal": "จัดพื้นที่",
            "themes": [self.theme.pk], "lgu": self.lgu.code})
        proposal = Proposal.objects.get()
        self.assertRedirects(response, proposal.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual((proposal.lgu, proposal.author), (self.lgu, self.member))
        page = self.client.get(proposal.get_absolute_url())
        self.assertContains(page, "ไม่มีที่ขาย")
        self.assertContains(page, reverse("participation:comment", args=["proposal", proposal.pk]))
        # Its author may not support it (test_threads covers support by others).
        self.assertNotContains(page, reverse("participation:endorse", args=["proposal", proposal.pk]))
        self.assertContains(page, "You cannot support your own proposal.")

    def test_bad_lgu_code_and_missing_fields_are_named(self):
        self.login(self.member)
        response = self.client.post(reverse("participation:proposal_new"),
                                    {"title": "", "problem": "p", "proposal": "c", "lgu": "NOPE"})
        self.assertContains(response, "Nothing matches “NOPE”", status_code=400)
        self.assertFalse(Proposal.objects.exists())

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(reverse("participation:proposal_new"))
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(reverse("participation:proposals")), "Sign in to make a proposal")

    def test_promote_button_only_for_staff(self):
        proposal = services.submit_proposal(acting_user=self.member, title="t", problem="p", proposal="c")
        promote = reverse("participation:proposal_promote", args=[proposal.pk])
        for user in (self.member, self.moderator, self.editor):
            self.login(user)
            self.assertNotContains(self.client.get(proposal.get_absolute_url()), promote)
        self.login(self.member)
        response = self.client.post(promote)
        self.assertEqual(response.status_code, 403)
        self.login(self.staff)
        self.assertContains(self.client.get(proposal.get_absolute_url()), promote)

    def test_list_runs_a_constant_number_of_queries(self):
        def queries_for(n):
            for i in range(n):
                proposal = services.submit_proposal(acting_user=self.staff, title=f"p{i}",
                                                    problem="p", proposal="c", themes=[self.theme],
                                                    lgu=self.lgu)
                services.post_comment(proposal, "c", acting_user=self.staff)
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("participation:proposals")).status_code, 200)
            return len(queries)

        self.login(self.member)
        self.assertEqual(queries_for(1), queries_for(3))

    def test_filters_and_bad_parameters(self):
        services.submit_proposal(acting_user=self.member, title="ตลาดนัด", problem="p", proposal="c")
        services.submit_proposal(acting_user=self.member, title="ขยะ", problem="p", proposal="c")
        response = self.client.get(reverse("participation:proposals") + "?q=ตลาด")
        self.assertContains(response, "ตลาดนัด")
        self.assertNotContains(response, "ขยะ")
        response = self.client.get(reverse("participation:proposals") + "?status=nonsense&page=x")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "status")


class ModerationQueueQueryTests(ParticipationTestCase):
    def test_queue_runs_a_constant_number_of_queries(self):
        def queries_for(n):
            for i in range(n):
                comment = services.post_comment(self.practice, f"c{i}", acting_user=self.member)
                proposal = services.submit_proposal(acting_user=self.member, title=f"p{i}",
                                                    problem="p", proposal="c")
                services.flag(comment, "r", acting_user=self.outsider)
                services.flag(proposal, "r", acting_user=self.outsider)
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("participation:moderation")).status_code, 200)
            return len(queries)

        self.login(self.moderator)
        self.assertEqual(queries_for(1), queries_for(3))
