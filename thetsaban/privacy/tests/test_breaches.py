"""The breach log: staff record a breach; the PDPC must be notified within 72 hours of its
discovery unless it is unlikely to result in a risk, which is documented with the reason."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry
from thetsaban.privacy.models import Breach
from thetsaban.testing import ThetsabanTestCase


def form(**changes):
    data = {"title": "ตัวอย่าง (example data) ส่งอีเมลผิดคน", "description": "A list was e-mailed to the wrong LGU.",
            "data_affected": "Names and phone numbers of reporters", "people_affected": "40", "risk": "risk",
            "measures": "Asked the recipient to delete it.", "no_notice_reason": "",
            "discovered_on": "", "discovered_time": "09:30"}
    data.update(changes)
    return data


class BreachLogTests(ThetsabanTestCase):
    def test_staff_record_a_breach_and_see_the_72_hour_deadline(self):
        self.login(self.staff)
        discovered = timezone.localdate() - timedelta(days=1)
        response = self.client.post(reverse("privacy:breach_new"), form(discovered_on=discovered.isoformat()),
                                    follow=True)
        breach = Breach.objects.get()
        self.assertEqual(breach.notify_by - breach.discovered_at, timedelta(hours=72))
        self.assertEqual(breach.recorded_by, self.staff)
        self.assertContains(response, "Notify the PDPC by")
        self.assertTrue(AuditEntry.objects.for_object(breach).filter(actor=self.staff).exists())
        self.assertContains(self.client.get(reverse("privacy:breaches")), "not yet")

    def test_an_unnotified_breach_past_72_hours_is_overdue_and_a_late_notice_is_marked(self):
        self.login(self.staff)
        old = (timezone.localdate() - timedelta(days=5)).isoformat()
        self.client.post(reverse("privacy:breach_new"), form(discovered_on=old))
        self.assertContains(self.client.get(reverse("privacy:breaches")), "overdue")
        breach = Breach.objects.get()
        self.client.post(reverse("privacy:breach", args=[breach.pk]),
                         form(discovered_on=old, pdpc_notified_on=timezone.localdate().isoformat(),
                              pdpc_notified_time="10:00"))
        breach.refresh_from_db()
        self.assertTrue(breach.notified_late)
        page = self.client.get(reverse("privacy:breaches"))
        self.assertContains(page, "late")
        self.assertNotContains(page, "overdue")

    def test_a_breach_without_risk_needs_the_reason_it_is_not_notified(self):
        self.login(self.staff)
        today = timezone.localdate().isoformat()
        response = self.client.post(reverse("privacy:breach_new"),
                                    form(discovered_on=today, discovered_time="00:00", risk="none"))
        self.assertContains(response, "Say why a breach without risk is not notified to the PDPC.")
        self.assertFalse(Breach.objects.exists())
        self.client.post(reverse("privacy:breach_new"), form(discovered_on=today, discovered_time="00:00", risk="none",
                                                             no_notice_reason="The file was encrypted."))
        self.assertContains(self.client.get(reverse("privacy:breaches")), "not required")

    def test_bad_dates_are_refused_with_the_field_named(self):
        self.login(self.staff)
        response = self.client.post(reverse("privacy:breach_new"), form(discovered_on="31/2/2569"))
        self.assertContains(response, "Discovered on")
        future = (timezone.localdate() + timedelta(days=3)).isoformat()
        response = self.client.post(reverse("privacy:breach_new"), form(discovered_on=future))
        self.assertContains(response, "Discovered on: the moment cannot be in the future.")
        self.assertFalse(Breach.objects.exists())

    def test_thai_pages_date_the_deadline_in_the_buddhist_era(self):
        self.login(self.staff)
        self.client.post(reverse("privacy:breach_new"), form(discovered_on="1/11/2569"))
        self.client.cookies["django_language"] = "th"
        page = self.client.get(reverse("privacy:breaches"))
        self.assertContains(page, "4 พฤศจิกายน 2569")

    def test_only_staff_see_or_keep_the_log(self):
        breach = Breach.objects.create(title="x", description="x", discovered_at=timezone.now(),
                                       data_affected="x", risk="risk")
        urls = (reverse("privacy:breaches"), reverse("privacy:breach_new"), reverse("privacy:breach", args=[breach.pk]))
        for user in (self.member, self.editor, self.outsider, self.reviewer):
            self.login(user)
            for url in urls:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            self.assertEqual(self.client.post(urls[1], form(discovered_on="1/11/2569")).status_code, 403)
        self.client.logout()
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302)
        self.assertEqual(Breach.objects.count(), 1)
