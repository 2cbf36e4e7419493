import io
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry
from thetsaban.learning import services
from thetsaban.learning.choices import RegistrationStatus
from thetsaban.learning.models import Registration
from thetsaban.learning.tests.base import LearningTestCase, make_event


class RegistrationTests(LearningTestCase):
    def register_on_page(self, user, event=None):
        self.login(user)
        return self.client.post(reverse("learning:register", args=[(event or self.event).pk]), follow=True)

    def test_a_member_registers_and_the_event_shows_the_place_taken(self):
        response = self.register_on_page(self.member)
        self.assertContains(response, "You are registered.")
        self.assertContains(response, "1 of 2 taken, 1 left")
        registration = Registration.objects.get(event=self.event, user=self.member)
        self.assertEqual(registration.status, RegistrationStatus.REGISTERED)
        entry = AuditEntry.objects.for_object(registration).get()
        self.assertEqual(entry.actor, self.member)

    def test_when_full_the_next_goes_on_the_waiting_list_and_moves_up_when_someone_cancels(self):
        self.register_on_page(self.member)
        self.register_on_page(self.second_member)
        response = self.register_on_page(self.third_member)
        self.assertContains(response, "The event is full: you are on the waiting list.")
        self.assertContains(response, "1 on the waiting list")
        waiting = Registration.objects.get(user=self.third_member)
        self.assertEqual(waiting.status, RegistrationStatus.WAITING)
        mine = Registration.objects.get(user=self.member)
        self.login(self.member)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("learning:cancel", args=[self.event.pk]),
                                        {"registration": mine.pk}, follow=True)
        self.assertContains(response, "The registration was cancelled.")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, RegistrationStatus.REGISTERED)
        self.assertEqual(mail.outbox[0].to, ["member3@example.org"])
        notes = set(AuditEntry.objects.filter(object_id__in=[mine.pk, waiting.pk]).values_list("note", flat=True))
        self.assertTrue({"cancelled", "promoted from the waiting list", "waiting list"} <= notes)

    def test_registering_twice_says_so_and_keeps_one_registration(self):
        self.register_on_page(self.member)
        response = self.register_on_page(self.member)
        self.assertContains(response, "You are already registered")
        self.assertEqual(Registration.objects.filter(user=self.member).count(), 1)

    def test_a_member_may_register_again_after_cancelling(self):
        registration = services.register(self.event, user=self.member, acting_user=self.member)
        services.cancel_registration(registration, acting_user=self.member)
        again = services.register(self.event, user=self.member, acting_user=self.member)
        self.assertEqual(again.pk, registration.pk)
        self.assertEqual(again.status, RegistrationStatus.REGISTERED)

    def test_registration_is_closed_once_the_event_has_started_and_for_drafts(self):
        started = make_event(self.south, days=-1)
        response = self.register_on_page(self.member, started)
        self.assertContains(response, "is closed")
        self.assertContains(response, "Registration is closed.")
        self.login(self.member)
        self.assertEqual(self.client.post(reverse("learning:register", args=[self.draft.pk])).status_code, 404)
        self.assertFalse(Registration.objects.exists())

    def test_an_anonymous_visitor_is_asked_to_sign_in(self):
        response = self.client.get(self.event.get_absolute_url())
        self.assertContains(response, "Sign in to register")
        response = self.client.post(reverse("learning:register", args=[self.event.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertFalse(Registration.objects.exists())

    def test_nobody_cancels_someone_elses_registration_but_the_centre_staff(self):
        registration = services.register(self.event, user=self.member, acting_user=self.member)
        for user in (self.second_member, self.north_staff):
            self.login(user)
            response = self.client.post(reverse("learning:cancel", args=[self.event.pk]), {"registration": registration.pk})
            self.assertEqual(response.status_code, 404, user)
        registration.refresh_from_db()
        self.assertEqual(registration.status, RegistrationStatus.REGISTERED)
        self.login(self.south_staff)
        self.client.post(reverse("learning:cancel", args=[self.event.pk]), {"registration": registration.pk})
        registration.refresh_from_db()
        self.assertEqual(registration.status, RegistrationStatus.CANCELLED)

    def test_a_cancellation_naming_no_registration_is_a_404_not_an_error(self):
        self.login(self.member)
        for value in ("abc", "", "99999999999999999999999"):
            response = self.client.post(reverse("learning:cancel", args=[self.event.pk]), {"registration": value})
            self.assertEqual(response.status_code, 404, value)

    def test_times_are_shown_in_the_buddhist_era_on_thai_pages(self):
        self.client.cookies.load({"django_language": "th"})
        response = self.client.get(self.event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="th")
        year = timezone.localtime(self.event.starts_at).year + 543
        self.assertContains(response, str(year))
        self.assertNotContains(response, f" {year - 543} ")

    def test_the_waiting_list_moves_in_order(self):
        self.event.capacity = 1
        self.event.save()
        first = services.register(self.event, user=self.member, acting_user=self.member)
        second = services.register(self.event, user=self.second_member, acting_user=self.second_member)
        third = services.register(self.event, user=self.third_member, acting_user=self.third_member)
        Registration.objects.filter(pk=third.pk).update(registered_at=timezone.now() + timedelta(seconds=5))
        promoted = services.cancel_registration(first, acting_user=self.member)
        self.assertEqual(promoted, second)


class ReminderTests(LearningTestCase):
    def test_registered_participants_are_reminded_once_the_day_before(self):
        from django.core.management import call_command

        soon = make_event(self.south, days=0.5, title="อบรมพรุ่งนี้")
        services.register(soon, user=self.third_member, acting_user=self.third_member)
        services.register(self.event, user=self.second_member, acting_user=self.second_member)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("send_event_reminders", stdout=io.StringIO())
        self.assertEqual([m.to for m in mail.outbox], [["member3@example.org"]])
        self.assertIn("อบรมพรุ่งนี้", mail.outbox[0].subject)
        self.assertEqual(AuditEntry.objects.filter(note="reminder").count(), 1)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.send_reminders(), 0)
        self.assertEqual(len(mail.outbox), 1)
