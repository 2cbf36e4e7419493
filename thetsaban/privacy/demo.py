"""Example data for the PDPA staff tools: two requests waiting (one overdue) from example people
without an account, and a breach whose 72-hour notice is due. Nothing here is from the seed."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from thetsaban.hooks import EXAMPLE_MARK
from thetsaban.privacy import services
from thetsaban.privacy.choices import BreachRisk, IdentityMethod, RequestKind
from thetsaban.privacy.models import Breach, SubjectRequest

REQUESTS = [
    (RequestKind.ACCESS, "ผู้แจ้งปัญหา ก", "example-reporter-a@example.org", 20),
    (RequestKind.ERASURE, "ผู้แจ้งปัญหา ข", "example-reporter-b@example.org", 35),
]


@transaction.atomic
def load() -> int:
    """Add the example requests and breach that are missing; returns how many rows were added."""
    added = 0
    now = timezone.now()
    for kind, name, email, days_ago in REQUESTS:
        if SubjectRequest.objects.filter(subject_email=email).exists():
            continue
        services.record_request(
            kind=kind, subject_name=f"{EXAMPLE_MARK} {name}", subject_email=email,
            details=EXAMPLE_MARK, identity_method=IdentityMethod.EMAIL,
            identity_note=f"{EXAMPLE_MARK}: e-mail from the address on the request",
            received_at=now - timedelta(days=days_ago), acting_user=None)
        added += 1
    title = f"{EXAMPLE_MARK} ส่งรายชื่อผู้แจ้งปัญหาไปผิดหน่วยงาน"
    if not Breach.objects.filter(title=title).exists():
        services.save_breach(Breach(
            title=title, description=EXAMPLE_MARK, discovered_at=now - timedelta(hours=30),
            data_affected="ชื่อและเบอร์โทรศัพท์ของผู้แจ้งปัญหา (example data)", people_affected=12,
            risk=BreachRisk.RISK, measures=EXAMPLE_MARK), acting_user=None)
        added += 1
    return added
