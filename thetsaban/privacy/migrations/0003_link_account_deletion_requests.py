"""Account deletion requests made before the PDPA requests existed become erasure requests.

Every account deletion request (accounts.DeletionRequest) without an erasure request gets one,
linked to it, with its dates and state: a waiting request is an open erasure request in the staff
queue (its decision erases the member), a handled or refused one is completed or refused, as it
was, on the day it was. Each is audited as written by this migration; going back removes the
requests this migration wrote (and audits their removal), nothing else.
"""

import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations
from django.utils import timezone

ANSWER_WITHIN_DAYS = 30
AUDIT_NOTE = "account deletion request moved to the PDPA requests (migration privacy 0003)"
REVERSED_NOTE = "migration privacy 0003 reversed"
# Stored texts, read by staff and the member: Thai first, as on the pages.
IDENTITY_NOTE = ("ขอจากหน้าลบบัญชีขณะเข้าสู่ระบบ (asked on the account deletion page while signed in; "
                 "account deletion request %(pk)s)")
DONE_OUTCOME = ("เจ้าหน้าที่ลบหรือทำให้บัญชีไม่ระบุตัวตนแล้ว ก่อนมีระบบคำขอ PDPA (the account was deleted or "
                "anonymised by staff before the PDPA requests existed)")
NO_REASON = ("ปฏิเสธก่อนมีระบบคำขอ PDPA โดยไม่ได้บันทึกเหตุผล (refused before the PDPA requests existed; "
             "no reason was recorded)")
STATUS = {"pending": "open", "done": "completed", "refused": "refused", "withdrawn": "withdrawn"}


def _snapshot(obj) -> dict:
    data = {field.attname: field.value_from_object(obj) for field in obj._meta.concrete_fields}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="privacy", model="subjectrequest")
    return content_type


def link_deletion_requests(apps, schema_editor):
    DeletionRequest = apps.get_model("accounts", "DeletionRequest")
    SubjectRequest = apps.get_model("privacy", "SubjectRequest")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    content_type = None
    for deletion in DeletionRequest.objects.filter(privacy_request__isnull=True).order_by("pk"):
        # One filed by the new path (received when the deletion was asked for) and unlinked when
        # this migration's schema step was reversed: linked again, not made twice.
        existing = SubjectRequest.objects.filter(
            kind="erasure", account_deletion__isnull=True, subject_id=deletion.user_id,
            received_at=deletion.created_at).first()
        if existing is not None:
            existing.account_deletion = deletion
            existing.save(update_fields=["account_deletion"])
            continue
        status = STATUS.get(deletion.status, "open")
        note = deletion.staff_note.strip()
        request = SubjectRequest(
            kind="erasure", subject_id=deletion.user_id, subject_name=deletion.username,
            details=deletion.reason, recorded_by_id=deletion.user_id, identity_method="signed_in",
            identity_note=IDENTITY_NOTE % {"pk": deletion.pk}, received_at=deletion.created_at,
            due_on=timezone.localdate(deletion.created_at) + timedelta(days=ANSWER_WITHIN_DAYS),
            status=status, account_deletion=deletion)
        if status in ("completed", "refused"):
            request.decided_by_id = deletion.handled_by_id
            request.decided_at = deletion.handled_at
        if status == "completed":
            request.outcome = note or DONE_OUTCOME
        elif status == "refused":
            request.refusal_reason = note or NO_REASON
        request.save()
        content_type = content_type or _content_type(apps)
        AuditEntry.objects.create(
            action="create", content_type=content_type, object_id=str(request.pk),
            object_repr=f"PDPA-{request.pk}", after=_snapshot(request), note=AUDIT_NOTE)


def unlink_deletion_requests(apps, schema_editor):
    SubjectRequest = apps.get_model("privacy", "SubjectRequest")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    content_type = _content_type(apps)
    written = AuditEntry.objects.filter(content_type=content_type, action="create", note=AUDIT_NOTE)
    ids = [int(pk) for pk in written.values_list("object_id", flat=True)]
    for request in SubjectRequest.objects.filter(pk__in=ids).order_by("pk"):
        AuditEntry.objects.create(
            action="delete", content_type=content_type, object_id=str(request.pk),
            object_repr=f"PDPA-{request.pk}", before=_snapshot(request), note=REVERSED_NOTE)
        request.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_deletion_request_withdrawn_and_erased"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("privacy", "0002_subject_request_account_deletion"),
    ]

    operations = [
        migrations.RunPython(link_deletion_requests, unlink_deletion_requests, elidable=False),
    ]
