"""My page: each member sees their own comments, proposals, follows, supports, rights and
notices, and nobody else's; notices are marked read by their recipient only."""

from django.core import mail
from django.urls import reverse

from thetsaban.accounts.models import Profile, RoleRequest
from thetsaban.participation import services
from thetsaban.participation.models import Notification
from thetsaban.participation.notify import record_changed
from thetsaban.participation.tests.base import ParticipationTestCase

ME = reverse("participation:me")
NOTICES = reverse("participation:notifications")
READ = reverse("participation:notifications_read")


class MyPageTests(ParticipationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        services.post_comment(cls.practice, "ความเห็นของสมาชิก", acting_user=cls.member)
        services.post_comment(cls.practice, "ความเห็นของคนอื่น", acting_user=cls.outsider)
        services.follow(cls.recommendation, acting_user=cls.member)
        services.follow(cls.project, acting_user=cls.outsider)
        services.endorse(cls.practice, acting_user=cls.member)
        services.submit_proposal(acting_user=cls.member, title="ข้อเสนอของสมาชิก", problem="ป",
                                 proposal="ข")
        services.submit_proposal(acting_user=cls.outsider, title="ข้อเสนอของคนอื่น", problem="ป",
                                 proposal="ข")
        RoleRequest.objects.create(user=cls.member, role="reviewer", reason="อาจารย์มหาวิทยาลัย")
        RoleRequest.objects.create(user=cls.outsider, role="moderator", reason="ผู้ดูแลกลุ่ม")

    def test_anonymous_visitors_are_asked_to_sign_in(self):
        for url in (ME, NOTICES):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(self.client.post(READ).status_code, 302)

    def test_the_header_links_my_page_when_signed_in(self):
        self.assertNotContains(self.client.get(reverse("home")), f'href="{ME}"')
        self.login(self.member)
        self.assertContains(self.client.get(reverse("home")), f'href="{ME}"')

    def test_my_page_lists_my_own_things_only(self):
        self.login(self.member)
        page = self.client.get(ME)
        for own in ("ความเห็นของสมาชิก", "ข้อเสนอของสมาชิก", self.recommendation.title,
                    "Reviewer", "You have not applied to be a coach."):
            self.assertContains(page, own)
        self.assertContains(page, self.practice.title_th, count=2)  # commented on, supported
        for other in ("ความเห็นของคนอื่น", "ข้อเสนอของคนอื่น", self.project.title, "Moderator"):
            self.assertNotContains(page, other)

    def test_an_editor_sees_their_lgu_rights(self):
        self.login(self.editor)
        self.assertContains(self.client.get(ME), f"Editor of {self.lgu}")
        self.login(self.outsider)
        self.assertNotContains(self.client.get(ME), f"Editor of {self.lgu}<")

    def test_a_followed_change_is_a_notice_on_my_page_and_marked_read(self):
        with self.captureOnCommitCallbacks(execute=True):
            record_changed(self.recommendation, "Status changed to adopted", actor=self.staff)
        self.assertEqual([m.to for m in mail.outbox], [["member@example.org"]])
        notice = Notification.objects.get()
        self.assertEqual((notice.recipient, notice.read_at), (self.member, None))

        # Another member sees nothing of it and cannot mark it read.
        self.login(self.outsider)
        self.assertNotContains(self.client.get(ME), "Status changed to adopted")
        self.client.post(READ, {"notification": notice.pk})
        notice.refresh_from_db()
        self.assertIsNone(notice.read_at)

        self.login(self.member)
        page = self.client.get(ME)
        self.assertContains(page, "Status changed to adopted")
        self.assertContains(page, "1 new")
        self.client.post(READ, {"notification": notice.pk})
        notice.refresh_from_db()
        self.assertIsNotNone(notice.read_at)
        self.assertNotContains(self.client.get(ME), "1 new")
        self.assertContains(self.client.get(NOTICES), "Status changed to adopted")

    def test_mark_all_read_touches_my_notices_only(self):
        services.follow(self.recommendation, acting_user=self.outsider)
        record_changed(self.recommendation, "Changed", actor=self.staff)
        self.assertEqual(Notification.objects.unread().count(), 2)
        self.login(self.member)
        self.client.post(READ, {"next": "notifications"})
        self.assertEqual(list(Notification.objects.unread().values_list("recipient", flat=True)),
                         [self.outsider.pk])

    def test_members_who_turned_e_mail_off_get_the_notice_only(self):
        Profile.objects.create(user=self.member, email_notifications=False)
        with self.captureOnCommitCallbacks(execute=True):
            sent = record_changed(self.recommendation, "Changed", actor=self.staff)
        self.assertEqual((sent, mail.outbox), (0, []))
        self.assertEqual(Notification.objects.get().recipient, self.member)

    def test_the_actor_is_not_told_of_their_own_change(self):
        services.follow(self.recommendation, acting_user=self.staff)
        record_changed(self.recommendation, "Changed", actor=self.staff)
        self.assertEqual(list(Notification.objects.values_list("recipient", flat=True)),
                         [self.member.pk])

    def test_my_page_asks_the_same_number_of_queries_whatever_the_data(self):
        self.login(self.member)
        self.client.get(ME)
        before = self._queries()
        for n in range(5):
            services.post_comment(self.practice, f"อีก {n}", acting_user=self.member)
            record_changed(self.recommendation, f"Changed {n}", actor=self.staff)
        self.assertEqual(self._queries(), before)

    def _queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.client.get(ME)
        return len(captured)
