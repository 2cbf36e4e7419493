from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from thetsaban.accounts.models import AuditEntry
from thetsaban.participation import services
from thetsaban.participation.choices import ModerationAction, ProposalStatus
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Moderation
from thetsaban.participation.notify import record_changed
from thetsaban.participation.ratelimit import RateLimited
from thetsaban.participation.tests.base import SCRIPT, ParticipationTestCase


class CommentServiceTests(ParticipationTestCase):
    def test_member_comments_on_each_allowed_record(self):
        for target in (self.practice, self.project, self.recommendation):
            comment = services.post_comment(target, "ดีมาก", acting_user=self.member, ip="10.0.0.1")
            self.assertEqual(comment.target, target)
            self.assertTrue(AuditEntry.objects.for_object(comment).filter(actor=self.member).exists())

    def test_anonymous_cannot_comment(self):
        with self.assertRaises(PermissionDenied):
            services.post_comment(self.practice, "hello", acting_user=AnonymousUser())
        self.assertFalse(Comment.objects.exists())

    def test_drafts_are_not_open_for_comments(self):
        # The editor of the draft's LGU can see it, but it is not published yet.
        with self.assertRaises(PermissionDenied):
            services.post_comment(self.draft_practice, "hello", acting_user=self.editor)
        with self.assertRaises(PermissionDenied):
            services.post_comment(self.draft_recommendation, "hello", acting_user=self.member)

    def test_other_records_cannot_be_commented(self):
        with self.assertRaises(ValidationError):
            services.post_comment(self.lgu, "hello", acting_user=self.member)

    def test_control_characters_are_removed_and_markup_kept_as_text(self):
        comment = services.post_comment(self.practice, f"a\x00b\x07c\u200b {SCRIPT}",
                                        acting_user=self.member)
        self.assertEqual(comment.text, f"abc {SCRIPT}")

    def test_empty_and_too_long_comments_are_refused_with_a_clear_message(self):
        with self.assertRaises(ValidationError) as raised:
            services.post_comment(self.practice, " \x00 ", acting_user=self.member)
        self.assertIn("text", raised.exception.message_dict)
        with self.assertRaises(ValidationError) as raised:
            services.post_comment(self.practice, "ก" * 5001, acting_user=self.member)
        self.assertIn("5,000", raised.exception.message_dict["text"][0])
        self.assertIn("5,001", raised.exception.message_dict["text"][0])
        services.post_comment(self.practice, "ก" * 5000, acting_user=self.member)


class RateLimitTests(ParticipationTestCase):
    def test_five_posts_a_minute_per_user(self):
        for n in range(5):
            services.post_comment(self.practice, f"comment {n}", acting_user=self.member, ip=f"10.0.0.{n}")
        with self.assertRaises(RateLimited) as raised:
            services.post_comment(self.practice, "one more", acting_user=self.member, ip="10.0.1.1")
        self.assertIn("5", str(raised.exception.message))
        self.assertEqual(Comment.objects.count(), 5)
        # Another member is not affected.
        services.post_comment(self.practice, "mine", acting_user=self.editor, ip="10.0.2.1")

    @override_settings(PARTICIPATION_POSTS_PER_MINUTE_PER_USER=100, PARTICIPATION_POSTS_PER_DAY_PER_USER=3)
    def test_posts_a_day_per_user_is_a_setting(self):
        for n in range(3):
            services.post_comment(self.practice, f"comment {n}", acting_user=self.member)
        with self.assertRaises(RateLimited) as raised:
            services.post_comment(self.practice, "more", acting_user=self.member)
        self.assertIn("a day", str(raised.exception.message))

    @override_settings(PARTICIPATION_POSTS_PER_MINUTE_PER_ADDRESS=3)
    def test_posts_per_address_across_users(self):
        users = [self.member, self.editor, self.outsider]
        for user in users:
            services.post_comment(self.practice, "hello", acting_user=user, ip="192.0.2.7")
        with self.assertRaises(RateLimited) as raised:
            services.post_comment(self.practice, "hello", acting_user=self.moderator, ip="192.0.2.7")
        self.assertIn("network address", str(raised.exception.message))
        services.post_comment(self.practice, "hello", acting_user=self.moderator, ip="192.0.2.8")

    def test_refused_text_does_not_use_up_the_allowance(self):
        for _n in range(10):
            with self.assertRaises(ValidationError):
                services.post_comment(self.practice, "", acting_user=self.member)
        services.post_comment(self.practice, "fine", acting_user=self.member)

    def test_proposals_count_toward_the_same_limit(self):
        for n in range(5):
            services.post_comment(self.practice, f"c{n}", acting_user=self.member)
        with self.assertRaises(RateLimited):
            services.submit_proposal(acting_user=self.member, title="t", problem="p", proposal="c")


class EndorsementServiceTests(ParticipationTestCase):
    def test_member_endorses_once_then_withdraws(self):
        services.endorse(self.recommendation, acting_user=self.member)
        with self.assertRaises(ValidationError) as raised:
            services.endorse(self.recommendation, acting_user=self.member)
        self.assertEqual(raised.exception.messages, ["You already support this."])
        self.assertEqual(services.endorsement_count(self.recommendation), 1)
        services.withdraw_endorsement(self.recommendation, acting_user=self.member)
        self.assertEqual(services.endorsement_count(self.recommendation), 0)
        self.assertEqual(AuditEntry.objects.filter(content_type__model="endorsement").count(), 2)
        services.endorse(self.recommendation, acting_user=self.member)

    def test_database_refuses_a_second_endorsement(self):
        from django.db import IntegrityError, transaction

        services.endorse(self.practice, acting_user=self.member)
        first = Endorsement.objects.get()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Endorsement.objects.create(content_type=first.content_type, object_id=first.object_id,
                                       user=self.member)

    def test_only_recommendations_and_practices_are_endorsed(self):
        with self.assertRaises(ValidationError):
            services.endorse(self.project, acting_user=self.member)

    def test_withdrawing_without_support_is_a_clear_error(self):
        with self.assertRaises(ValidationError):
            services.withdraw_endorsement(self.practice, acting_user=self.member)

    def test_anonymous_cannot_endorse(self):
        with self.assertRaises(PermissionDenied):
            services.endorse(self.practice, acting_user=AnonymousUser())


class ModerationServiceTests(ParticipationTestCase):
    def setUp(self):
        super().setUp()
        self.comment = services.post_comment(self.practice, "rude words", acting_user=self.editor)

    def test_flag_once_while_open(self):
        services.flag(self.comment, "rude", acting_user=self.member)
        with self.assertRaises(ValidationError):
            services.flag(self.comment, "still rude", acting_user=self.member)
        services.flag(self.comment, "rude too", acting_user=self.outsider)
        self.assertEqual(Flag.objects.open().count(), 2)

    def test_flag_needs_a_reason_and_a_signed_in_user(self):
        with self.assertRaises(ValidationError):
            services.flag(self.comment, "  ", acting_user=self.member)
        with self.assertRaises(PermissionDenied):
            services.flag(self.comment, "rude", acting_user=AnonymousUser())

    def test_only_moderators_hide(self):
        for user in (self.editor, self.outsider, self.member, AnonymousUser()):
            with self.assertRaises(PermissionDenied):
                services.hide(self.comment, "rude", acting_user=user)
        self.comment.refresh_from_db()
        self.assertFalse(self.comment.hidden)

    def test_hide_needs_a_reason_and_resolves_open_flags(self):
        services.flag(self.comment, "rude", acting_user=self.member)
        with self.assertRaises(ValidationError):
            services.hide(self.comment, "", acting_user=self.moderator)
        services.hide(self.comment, "insults", acting_user=self.moderator)
        self.comment.refresh_from_db()
        self.assertTrue(self.comment.hidden)
        self.assertFalse(Flag.objects.open().exists())
        moderation = Moderation.objects.get()
        self.assertEqual((moderation.action, moderation.reason, moderation.moderator),
                         (ModerationAction.HIDE, "insults", self.moderator))
        entry = AuditEntry.objects.for_object(self.comment).filter(actor=self.moderator).get()
        self.assertIn("insults", entry.note)
        self.assertEqual((entry.before["hidden"], entry.after["hidden"]), (False, True))
        # The public no longer sees it.
        self.assertEqual(Comment.objects.restrict(self.member).count(), 0)

    def test_restore_shows_again_and_staff_are_moderators(self):
        services.hide(self.comment, "insults", acting_user=self.moderator)
        with self.assertRaises(ValidationError):
            services.hide(self.comment, "again", acting_user=self.staff)
        services.restore(self.comment, "it was a quote", acting_user=self.staff)
        self.comment.refresh_from_db()
        self.assertFalse(self.comment.hidden)
        self.assertEqual(list(Moderation.objects.values_list("action", flat=True)),
                         [ModerationAction.RESTORE, ModerationAction.HIDE])

    def test_keeping_flagged_content_visible_resolves_its_flags(self):
        services.flag(self.comment, "rude", acting_user=self.member)
        services.restore(self.comment, "not rude", acting_user=self.moderator)
        self.assertFalse(Flag.objects.open().exists())
        with self.assertRaises(ValidationError):  # nothing left to decide
            services.restore(self.comment, "again", acting_user=self.moderator)

    def test_hidden_content_cannot_be_flagged(self):
        services.hide(self.comment, "insults", acting_user=self.moderator)
        with self.assertRaises(PermissionDenied):  # others no longer see it
            services.flag(self.comment, "rude", acting_user=self.member)
        with self.assertRaises(ValidationError):  # its author does, hidden
            services.flag(self.comment, "rude", acting_user=self.editor)

    def test_author_is_emailed_when_hidden(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.hide(self.comment, "insults", acting_user=self.moderator)
        self.assertEqual([m.to for m in mail.outbox], [["editor@example.org"]])
        self.assertIn("insults", mail.outbox[0].body)


class FollowAndNotifyTests(ParticipationTestCase):
    def test_followers_are_emailed_about_a_new_comment_but_not_the_actor(self):
        for user in (self.member, self.outsider, self.editor):
            services.follow(self.practice, acting_user=user)
        services.follow(self.practice, acting_user=self.member)  # twice changes nothing
        self.assertEqual(Follow.objects.count(), 3)
        with self.captureOnCommitCallbacks(execute=True):
            services.post_comment(self.practice, f"new {SCRIPT}", acting_user=self.editor)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox),
                         ["member@example.org", "outsider@example.org"])
        self.assertIn(SCRIPT, mail.outbox[0].body)  # plain text mail: shown, not run
        self.assertIn(self.practice.get_absolute_url(), mail.outbox[0].body)

    def test_unfollow_stops_the_mail(self):
        services.follow(self.recommendation, acting_user=self.member)
        services.unfollow(self.recommendation, acting_user=self.member)
        with self.captureOnCommitCallbacks(execute=True):
            services.post_comment(self.recommendation, "hi", acting_user=self.editor)
        self.assertEqual(mail.outbox, [])

    def test_nothing_is_sent_when_the_transaction_rolls_back(self):
        services.follow(self.recommendation, acting_user=self.member)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            record_changed(self.recommendation, "Status changed", actor=self.staff)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(mail.outbox, [])

    def test_followers_who_can_no_longer_see_the_record_are_not_told(self):
        services.follow(self.recommendation, acting_user=self.member)
        self.recommendation.status = "draft"
        self.recommendation.save()
        with self.captureOnCommitCallbacks(execute=True):
            sent = record_changed(self.recommendation, "Back to draft", actor=self.staff)
        self.assertEqual((sent, mail.outbox), (0, []))


class ProposalServiceTests(ParticipationTestCase):
    def test_member_submits_a_proposal_and_follows_it(self):
        proposal = services.submit_proposal(
            acting_user=self.member, title=" ตลาด\x00 ", problem="ปัญหา", proposal="ข้อเสนอ",
            themes=[self.theme], lgu=self.lgu)
        self.assertEqual((proposal.title, proposal.status), ("ตลาด", ProposalStatus.OPEN))
        self.assertEqual(list(proposal.themes.all()), [self.theme])
        self.assertTrue(Follow.objects.filter(user=self.member, object_id=proposal.pk).exists())
        with self.captureOnCommitCallbacks(execute=True):
            services.post_comment(proposal, "เห็นด้วย", acting_user=self.editor)
        self.assertEqual([m.to for m in mail.outbox], [["member@example.org"]])

    def test_missing_fields_are_named(self):
        with self.assertRaises(ValidationError) as raised:
            services.submit_proposal(acting_user=self.member, title="", problem="",
                                     proposal="x" * 10_001)
        self.assertEqual(set(raised.exception.message_dict), {"title", "problem", "proposal"})

    def test_only_staff_promote(self):
        proposal = services.submit_proposal(acting_user=self.member, title="t", problem="p",
                                            proposal="c")
        for user in (self.member, self.moderator, self.editor):
            with self.assertRaises(PermissionDenied):
                services.promote_proposal(proposal, acting_user=user)

    def test_staff_promote_a_proposal_into_a_recommendation(self):
        try:
            from thetsaban.policy import services as policy_services
        except ImportError:
            policy_services = None
        if not hasattr(policy_services, "promote_proposal"):
            self.skipTest("thetsaban.policy.services.promote_proposal is not written yet "
                          "(the policy helper owns it)")
        proposal = services.submit_proposal(acting_user=self.member, title="ตลาด",
                                            problem="ปัญหา", proposal="ข้อเสนอ")
        with self.captureOnCommitCallbacks(execute=True):
            recommendation = services.promote_proposal(proposal, acting_user=self.staff)
        proposal.refresh_from_db()
        self.assertEqual(proposal.promoted_to, recommendation)
        self.assertEqual(proposal.status, ProposalStatus.PROMOTED)
        self.assertIn(proposal, recommendation.proposals.all())
        self.assertEqual([m.to for m in mail.outbox], [["member@example.org"]])
        with self.assertRaises(ValidationError):
            services.promote_proposal(proposal, acting_user=self.staff)
