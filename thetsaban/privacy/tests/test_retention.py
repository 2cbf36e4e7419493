"""Retention rules: an e-service reporter's contacts are blanked once the set time after the
request was closed has passed, by a plain function and its management command."""

import io
import json
from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry
from thetsaban.eservice.models import ServiceRequest
from thetsaban.privacy.retention import RETENTION_NOTE, apply_retention
from thetsaban.privacy.tests.base import PrivacyTestCase


class RetentionTests(PrivacyTestCase):
    def closed(self, days_ago, **kwargs):
        request = self.report_with_contacts(**kwargs)
        ServiceRequest.objects.filter(pk=request.pk).update(
            status="closed", closed_at=timezone.now() - timedelta(days=days_ago))
        return request

    def test_contacts_of_requests_closed_two_years_ago_are_blanked_and_the_rest_kept(self):
        old = self.closed(800, contact_phone="089-999-0000")
        recent = self.closed(100, contact_email="recent@example.org", contact_name="Example-Recent")
        still_open = self.report_with_contacts(contact_email="open@example.org")
        out = io.StringIO()
        call_command("apply_retention", stdout=out)
        self.assertIn("eservice.ServiceRequest: 1", out.getvalue())
        old.refresh_from_db()
        self.assertEqual((old.reporter, old.contact_name, old.contact_email, old.contact_phone), (None, "", "", ""))
        self.assertEqual(old.description, "ไฟดับหน้าบ้าน")
        recent.refresh_from_db()
        still_open.refresh_from_db()
        self.assertEqual((recent.contact_email, still_open.contact_email), ("recent@example.org", "open@example.org"))
        entry = AuditEntry.objects.for_object(old).filter(note=RETENTION_NOTE % {"days": 730}, action="update").get()
        self.assertIsNone(entry.actor)
        # The blanked values are gone from the audit trail too; the kept ones stay.
        text = json.dumps([[e.before, e.after] for e in AuditEntry.objects.all()], ensure_ascii=False)
        self.assertNotIn("089-999-0000", text)
        self.assertIn("recent@example.org", text)
        self.assertIn("081-234-5678", text)
        # Running again finds nothing more.
        self.assertEqual(apply_retention(), {})

    @override_settings(PRIVACY_RETENTION_DAYS={"eservice.ServiceRequest": 30})
    def test_the_time_is_set_by_the_setting(self):
        recent = self.closed(100, contact_email="recent@example.org")
        self.assertEqual(apply_retention()["eservice.ServiceRequest"], 1)
        recent.refresh_from_db()
        self.assertEqual(recent.contact_email, "")
