"""The calls' administration goes through the calls' services: its changes are audited, and the
four-eyes publication and withdrawal of results cannot be bypassed there."""

from django.contrib.admin import helpers
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry, User
from thetsaban.calls import services
from thetsaban.calls.models import Call, Criterion, Juror
from thetsaban.calls.tests.base import CallsTestCase
from thetsaban.testing import admin_form_data


class CallAdminTests(CallsTestCase):
    def setUp(self):
        # Both staff members may use the administration (staff opened the call).
        User.objects.filter(pk=self.staff2.pk).update(is_superuser=True)
        self.change_url = reverse("admin:calls_call_change", args=[self.call.pk])
        self.list_url = reverse("admin:calls_call_changelist")

    def post_call(self, user, **changes):
        self.login(user)
        data = admin_form_data(self.client.get(self.change_url))
        data.update(changes)
        return self.client.post(self.change_url, data, follow=True)

    def action(self, user, action, **extra):
        self.login(user)
        return self.client.post(self.list_url, {"action": action, helpers.ACTION_CHECKBOX_NAME: [self.call.pk],
                                                **extra}, follow=True)

    def ready_to_publish(self):
        self.score(self.entry, self.juror, 9, 8)
        self.close()

    def test_a_change_in_the_admin_is_audited_with_what_it_was(self):
        response = self.post_call(self.staff, title="รางวัลแนวปฏิบัติที่ดี 2569 (แก้ไข)")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Call.objects.get(pk=self.call.pk).title, "รางวัลแนวปฏิบัติที่ดี 2569 (แก้ไข)")
        entry = AuditEntry.objects.filter(content_type__model="call", object_id=str(self.call.pk)).latest("pk")
        self.assertEqual((entry.actor, entry.action, entry.note), (self.staff, "update", "via administration"))
        self.assertEqual(entry.before["title"], "รางวัลแนวปฏิบัติที่ดี 2569")

    def test_the_status_cannot_be_set_in_the_form(self):
        self.ready_to_publish()
        self.post_call(self.staff, status="published")
        self.assertFalse(Call.objects.get(pk=self.call.pk).is_published)

    def test_publishing_in_the_admin_keeps_four_eyes(self):
        self.ready_to_publish()
        response = self.action(self.staff, "publish_results")
        self.assertContains(response, "own work")
        self.assertFalse(Call.objects.get(pk=self.call.pk).is_published)
        response = self.action(self.staff2, "publish_results")
        self.assertContains(response, "the results are published")
        call = Call.objects.get(pk=self.call.pk)
        self.assertEqual((call.is_published, call.published_by), (True, self.staff2))
        self.assertTrue(AuditEntry.objects.filter(object_id=str(call.pk), content_type__model="call",
                                                  action="publish", actor=self.staff2).exists())

    def test_withdrawing_in_the_admin_asks_for_a_reason_and_keeps_four_eyes(self):
        self.ready_to_publish()
        services.publish_results(self.call, acting_user=self.staff2)
        response = self.action(self.staff, "unpublish_results")
        self.assertContains(response, "Reason for withdrawing the results")
        self.assertTrue(Call.objects.get(pk=self.call.pk).is_published)
        response = self.action(self.staff2, "unpublish_results", reason="ทบทวนคะแนน")
        self.assertContains(response, "own work")
        self.assertTrue(Call.objects.get(pk=self.call.pk).is_published)
        response = self.action(self.staff, "unpublish_results", reason="ทบทวนคะแนน")
        self.assertContains(response, "the results are withdrawn")
        call = Call.objects.get(pk=self.call.pk)
        self.assertEqual((call.is_published, call.results_withdrawal_reason), (False, "ทบทวนคะแนน"))

    def test_criteria_of_published_results_cannot_change_in_the_admin(self):
        self.ready_to_publish()
        services.publish_results(self.call, acting_user=self.staff2)
        response = self.post_call(self.staff, **{"criteria-0-weight": "10"})
        self.assertContains(response, "Not saved")
        self.assertEqual(Criterion.objects.get(pk=self.results.pk).weight, 60)

    def test_a_published_calls_text_still_changes_in_the_admin(self):
        self.ready_to_publish()
        services.publish_results(self.call, acting_user=self.staff2)
        response = self.post_call(self.staff, description="ผลการคัดเลือกประจำปี")
        self.assertNotContains(response, "Not saved")
        self.assertEqual(Call.objects.get(pk=self.call.pk).description, "ผลการคัดเลือกประจำปี")

    def test_a_juror_added_in_the_admin_is_appointed_and_audited(self):
        self.login(self.staff)
        data = admin_form_data(self.client.get(self.change_url))
        total = int(data["jurors-TOTAL_FORMS"])
        data.update({"jurors-TOTAL_FORMS": str(total + 1), f"jurors-{total}-user": str(self.member.pk)})
        self.client.post(self.change_url, data)
        juror = Juror.objects.get(call=self.call, user=self.member)
        self.assertEqual(juror.added_by, self.staff)
        self.assertTrue(AuditEntry.objects.filter(content_type__model="juror", object_id=str(juror.pk),
                                                  action="create", actor=self.staff).exists())

    def test_a_juror_who_scored_cannot_be_removed_in_the_admin(self):
        self.score(self.entry, self.juror, 9, 8)
        seat = Juror.objects.get(call=self.call, user=self.juror)
        self.login(self.staff)
        data = admin_form_data(self.client.get(self.change_url))
        index = next(k for k, v in data.items() if k.startswith("jurors-") and k.endswith("-id") and v == str(seat.pk))
        data[index.replace("-id", "-DELETE")] = "on"
        response = self.client.post(self.change_url, data, follow=True)
        self.assertContains(response, "has already scored entries")
        self.assertTrue(Juror.objects.filter(pk=seat.pk).exists())

    def test_entries_are_read_only_in_the_admin(self):
        self.login(self.staff)
        url = reverse("admin:calls_entry_change", args=[self.entry.pk])
        data = {"rank": "1", "recognised": "on"}
        self.client.post(url, data)
        self.entry.refresh_from_db()
        self.assertEqual((self.entry.rank, self.entry.recognised), (None, False))
        self.assertEqual(self.client.get(reverse("admin:calls_entry_add")).status_code, 403)
