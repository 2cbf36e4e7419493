"""A PDPA request: staff blank a person's personal data from the audit trail, keeping who, when
and which fields changed; nobody else can; the redaction is itself recorded."""

import json
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
from thetsaban.accounts.services import REDACTED, REDACTED_CHANGED, record, redact_user
from thetsaban.directory import services
from thetsaban.directory.choices import ContactKind, OrganisationKind
from thetsaban.directory.models import Person
from thetsaban.testing import ThetsabanTestCase

NAME = "สมศรี ใจดี (ข้อมูลตัวอย่าง)"
NEW_NAME = "สมศรี ใจงาม (ข้อมูลตัวอย่าง)"
EMAIL = "somsri.example@example.org"
REASON = "PDPA request 2026/014"


def trail_text() -> str:
    """Every value of the whole audit trail, as one searchable text."""
    return json.dumps([[e.object_repr, e.before, e.after, e.note] for e in AuditEntry.objects.all()],
                      ensure_ascii=False)


class RedactionTests(ThetsabanTestCase):
    def setUp(self):
        self.person = services.create_person(acting_user=self.staff, name_th=NAME, summary="ครูประจำชุมชน")
        services.create_contact_detail(acting_user=self.staff, person=self.person,
                                       kind=ContactKind.EMAIL, value=EMAIL)
        services.update_person(self.person, acting_user=self.editor, name_th=NEW_NAME)
        self.organisation = services.create_organisation(
            acting_user=self.staff, name_th="ชมรมผู้สูงอายุ (ข้อมูลตัวอย่าง)", kind=OrganisationKind.AGENCY,
            description=f"ติดต่อ {EMAIL}")
        self.person_id = self.person.pk
        services.delete_record(self.person, acting_user=self.staff)
        self.person_entries = AuditEntry.objects.for_object(Person(pk=self.person_id))
        self.assertIn(NAME, trail_text())

    def test_staff_redact_a_deleted_person_everywhere_keeping_who_when_and_what_changed(self):
        before = list(self.person_entries.values_list("pk", "actor", "at", "action"))
        count = services.redact_person(self.person_id, acting_user=self.staff, reason=REASON)
        text = trail_text()
        for value in (NAME, NEW_NAME, EMAIL, "ครูประจำชุมชน"):
            self.assertNotIn(value, text)
        self.assertEqual(count, 5)  # the person's 3 entries, the contact detail's, the organisation's
        self.assertEqual(list(self.person_entries.exclude(action=AuditAction.REDACT)
                              .values_list("pk", "actor", "at", "action")), before)
        update = self.person_entries.get(action=AuditAction.UPDATE)
        self.assertEqual(update.actor, self.editor)
        self.assertIn(("name_th", REDACTED, REDACTED_CHANGED), update.changes)
        self.assertEqual({name for name, *_ in update.changes}, {"name_th", "sort_name", "search_text"})
        organisation = AuditEntry.objects.for_object(self.organisation).get()
        self.assertEqual(organisation.after["description"], REDACTED)
        self.assertEqual(organisation.after["name_th"], "ชมรมผู้สูงอายุ (ข้อมูลตัวอย่าง)")

    def test_the_redaction_is_recorded_with_who_and_why_without_the_values(self):
        services.redact_person(self.person_id, acting_user=self.staff, reason=REASON)
        entry = self.person_entries.get(action=AuditAction.REDACT)
        self.assertEqual((entry.actor, entry.note), (self.staff, REASON))
        self.assertNotIn(EMAIL, json.dumps(entry.after))
        self.login(self.staff)
        page = self.client.get(reverse("accounts:history", args=["directory", "person", self.person_id]))
        self.assertContains(page, REDACTED)
        self.assertContains(page, REASON)
        self.assertNotContains(page, NEW_NAME)

    def test_nobody_but_staff_may_redact_and_a_reason_is_required(self):
        for user in (None, self.member, self.editor, self.reviewer):
            with self.subTest(user=user), self.assertRaises(PermissionDenied):
                services.redact_person(self.person_id, acting_user=user, reason=REASON)
        with self.assertRaises(ValidationError):
            services.redact_person(self.person_id, acting_user=self.staff, reason="  ")
        self.assertIn(NEW_NAME, trail_text())
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.REDACT).exists())

    def test_the_management_command_redacts_a_user_account(self):
        self.member.email = EMAIL
        self.member.first_name = "สมชาย"
        self.member.save()
        record(self.member, AuditAction.UPDATE, acting_user=self.staff)
        call_command("redact_audit", user=self.member.pk, reason=REASON, by="staff", stdout=StringIO())
        self.assertNotIn("สมชาย", trail_text())
        self.assertNotIn(EMAIL, trail_text())
        with self.assertRaises(PermissionDenied):
            redact_user(self.member.pk, acting_user=self.editor, reason=REASON)


class RedactionAdminTests(ThetsabanTestCase):
    def test_staff_redact_a_person_from_the_admin_after_giving_the_reason(self):
        person = services.create_person(acting_user=self.staff, name_th=NAME)
        url = reverse("admin:directory_person_changelist")
        self.login(self.staff)
        ask = self.client.post(url, {"action": "redact_audit_trail", "_selected_action": [person.pk]})
        self.assertContains(ask, "Reason")
        done = self.client.post(url, {"action": "redact_audit_trail", "_selected_action": [person.pk],
                                      "reason": REASON})
        self.assertEqual(done.status_code, 302)
        self.assertEqual(AuditEntry.objects.for_object(person).get(action=AuditAction.CREATE).object_repr,
                         REDACTED)
        self.assertEqual(AuditEntry.objects.get(action=AuditAction.REDACT).note, REASON)
