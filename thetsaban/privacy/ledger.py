"""The erasure ledger: every erasure is also written to a file outside the database and the
uploads (settings.PRIVACY_ERASURE_LEDGER), so that restoring a backup made before an erasure
does not bring the person back: after `manage.py restore` the ledger is replayed.

A line holds the erasure's id, when it was done, the request's number, the erased account's
number and SHA-256 digests of the person's e-mail addresses (their rows are found again by
address without the ledger holding the addresses themselves).
"""

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from thetsaban.accounts.models import User
from thetsaban.privacy.erasure import erase_subject, has_rows
from thetsaban.privacy.models import Erasure, SubjectRequest
from thetsaban.privacy.register import Subject, entries


class LedgerError(Exception):
    pass


def digest(email: str) -> str:
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()


def path() -> Path:
    return Path(settings.PRIVACY_ERASURE_LEDGER)


def append(subject: Subject, *, request: SubjectRequest | None, rows: dict) -> Erasure:
    """Write one erasure to the ledger file (flushed to disk) and to the database."""
    now = timezone.now()
    line = {"id": uuid.uuid4().hex, "at": now.isoformat(), "request": getattr(request, "pk", None),
            "user_id": subject.user_id, "email_sha256": sorted(digest(e) for e in subject.emails)}
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps(line) + "\n")
        ledger.flush()
        os.fsync(ledger.fileno())
    return Erasure.objects.create(ledger_id=line["id"], request=request, subject_user_id=subject.user_id,
                                  erased_at=now, rows=rows)


def lines() -> list[dict]:
    """The ledger's erasures, oldest first (none when there is no ledger yet)."""
    if not path().exists():
        return []
    result = []
    for number, text in enumerate(path().read_text(encoding="utf-8").splitlines(), 1):
        if text.strip():
            try:
                result.append(json.loads(text))
            except ValueError as error:
                raise LedgerError(f"{path()}, line {number}: not a ledger entry ({error})") from error
    return result


def _addresses_matching(digests: set[str]) -> set[str]:
    """The e-mail addresses in the register's address fields whose digest is in `digests`."""
    found = set()
    for entry in entries():
        if not entry.subject_email:
            continue
        addresses = (entry.model._default_manager.exclude(**{entry.subject_email: ""})
                     .values_list(entry.subject_email, flat=True).distinct().iterator())
        found |= {a.casefold() for a in addresses if a and digest(a) in digests}
    return found


def replay() -> list[str]:
    """Apply again every erasure of the ledger the database still holds data of (after a
    restore); returns the ids of the erasures re-applied."""
    replayed = []
    for line in lines():
        with transaction.atomic():
            user = User.objects.filter(pk=line["user_id"]).first() if line.get("user_id") else None
            subject = Subject.of(user) if user else Subject(user_id=line.get("user_id"))
            subject.emails |= _addresses_matching(set(line.get("email_sha256", ())))
            erasure = Erasure.objects.filter(ledger_id=line["id"]).first()
            if not has_rows(subject):
                if erasure is None:
                    _mirror(line, rows={}, replayed=False)
                continue
            rows = erase_subject(subject, acting_user=None, reason=f"erasure {line['id']} re-applied after a restore")
            if erasure is None:
                _mirror(line, rows=rows, replayed=True)
            else:
                erasure.replayed_at = timezone.now()
                erasure.save(update_fields=["replayed_at"])
            replayed.append(line["id"])
    return replayed


def _mirror(line, *, rows, replayed):
    Erasure.objects.create(
        ledger_id=line["id"], request=SubjectRequest.objects.filter(pk=line.get("request")).first(),
        subject_user_id=line.get("user_id"), erased_at=parse_datetime(line["at"]), rows=rows,
        replayed_at=timezone.now() if replayed else None)


def after_restore(sender=None, database_url=None, **kwargs):
    """Receiver of hooks.database_restored: replay the ledger on the restored database (this
    site's own in this process, another one in a process pointed at it)."""
    if database_url is None:
        return replay()
    if not lines():
        return []
    env = {**os.environ, "DATABASE_URL": database_url, "DATABASE_REPLICA_URLS": "",
           "PRIVACY_ERASURE_LEDGER": str(path())}
    result = subprocess.run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "replay_erasures"],
                            env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LedgerError(f"replaying the erasure ledger failed: {result.stderr.strip()[-2000:]}")
    return result.stdout.split()
