"""Writes of the privacy app: subject requests and their decisions, erasure, the breach log.

Every function takes `acting_user`, runs in one transaction and leaves an audit entry.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import DeletionStatus
from thetsaban.accounts.models import DeletionRequest, User
from thetsaban.accounts.services import (
    check_four_eyes,
    is_system,
    save_audited,
    settle_deletion_request,
)
from thetsaban.permissions import is_staff
from thetsaban.privacy import ledger
from thetsaban.privacy.choices import IdentityMethod, RequestKind, RequestStatus
from thetsaban.privacy.erasure import erase_subject
from thetsaban.privacy.models import ANSWER_WITHIN_DAYS, Breach, SubjectRequest
from thetsaban.privacy.register import Subject


def due_date(received_at):
    """The day by which a request must be answered: 30 days after it was received."""
    return timezone.localdate(received_at) + timedelta(days=ANSWER_WITHIN_DAYS)


@transaction.atomic
def file_request(user, *, kind: str, details: str = "", acting_user, account_deletion=None) -> SubjectRequest:
    """A signed-in member asks about their own personal data (their sign-in is the identity check).

    `account_deletion`: the member's request on the "Delete my account" page that this erasure
    request carries out (received when that request was made)."""
    if user is None or not user.is_authenticated or getattr(acting_user, "pk", None) != user.pk:
        raise PermissionDenied(_("You can make a request only about yourself while signed in."))
    if SubjectRequest.objects.open().filter(subject=user, kind=kind).exists():
        raise ValidationError({"kind": _("You already have an open request of this kind; staff will answer it.")})
    received_at = timezone.now()
    if account_deletion is not None:
        if kind != RequestKind.ERASURE or account_deletion.user_id != user.pk:
            raise PermissionDenied(_("An account deletion request is carried out by an erasure request "
                                     "of the same member."))
        received_at = account_deletion.created_at
    request = SubjectRequest(
        kind=kind, subject=user, details=details.strip(), recorded_by=user,
        identity_method=IdentityMethod.SIGNED_IN, received_at=received_at, due_on=due_date(received_at),
        account_deletion=account_deletion)
    return save_audited(request, acting_user=acting_user)


def on_account_deletion_requested(sender=None, *, deletion_request, acting_user, **kwargs):
    """Receiver of hooks.account_deletion_requested: a member's request on the "Delete my account"
    page becomes their erasure request (the one path by which staff erase a member)."""
    if SubjectRequest.objects.open().filter(subject_id=deletion_request.user_id, kind=RequestKind.ERASURE).exists():
        raise ValidationError(_("You have already asked for your personal data to be erased; staff will "
                                "answer that request, which deletes your account."))
    return file_request(deletion_request.user, kind=RequestKind.ERASURE, details=deletion_request.reason,
                        acting_user=acting_user, account_deletion=deletion_request)


# How a linked account deletion request ends when its erasure request ends.
_DELETION_STATUS = {RequestStatus.COMPLETED: DeletionStatus.DONE, RequestStatus.REFUSED: DeletionStatus.REFUSED,
                    RequestStatus.WITHDRAWN: DeletionStatus.WITHDRAWN}


def _settle_account_deletion(request: SubjectRequest, *, acting_user):
    """Close the account deletion request an erasure request carried out, the same way."""
    if request.account_deletion_id is None:
        return
    deletion = DeletionRequest.objects.get(pk=request.account_deletion_id)
    if deletion.status != DeletionStatus.PENDING:
        return
    note = request.refusal_reason if request.status == RequestStatus.REFUSED else request.outcome
    settle_deletion_request(deletion, status=_DELETION_STATUS[request.status],
                            note=f"{request.reference}: {note}" if note else request.reference,
                            acting_user=acting_user)


@transaction.atomic
def record_request(*, kind: str, subject=None, subject_name: str = "", subject_email: str = "",
                   details: str = "", identity_method: str, identity_note: str,
                   received_at=None, acting_user) -> SubjectRequest:
    """Staff record a request someone made by letter, e-mail or in person, with how they
    checked the person's identity."""
    if not (is_system(acting_user) or is_staff(acting_user)):
        raise PermissionDenied(_("Only league staff may record a request for someone else."))
    errors = {}
    if subject is None and not subject_email.strip():
        errors["subject"] = _("Name the member's account or give the person's e-mail address.")
    elif subject is None and account_with_address(subject_email):
        errors["subject_email"] = _("E-mail: this address belongs to the account “%(username)s”; name "
                                    "the account instead.") % {"username": account_with_address(subject_email)}
    if identity_method == IdentityMethod.SIGNED_IN:
        errors["identity_method"] = _("Say how you checked the identity of someone who is not signed in.")
    if not identity_note.strip():
        errors["identity_note"] = _("Describe the identity check: what you saw or received.")
    if errors:
        raise ValidationError(errors)
    received_at = received_at or timezone.now()
    request = SubjectRequest(
        kind=kind, subject=subject, subject_name=subject_name.strip(), subject_email=subject_email.strip(),
        details=details.strip(), recorded_by=acting_user, identity_method=identity_method,
        identity_note=identity_note.strip(), received_at=received_at, due_on=due_date(received_at))
    return save_audited(request, acting_user=acting_user)


def account_with_address(email: str) -> str:
    """The username of the account that uses `email`, or "" (nobody does)."""
    email = email.strip()
    if not email:
        return ""
    user = (User.objects.filter(email__iexact=email).first()
            or User.objects.filter(emailaddress__email__iexact=email).first())
    return user.get_username() if user else ""


@transaction.atomic
def withdraw_request(request: SubjectRequest, *, acting_user) -> SubjectRequest:
    """The member takes back a request staff have not answered yet."""
    if not SubjectRequest.objects.restrict(acting_user, "withdraw").filter(pk=request.pk).exists():
        raise PermissionDenied(_("Only an open request of yours can be withdrawn."))
    request.status = RequestStatus.WITHDRAWN
    saved = save_audited(request, acting_user=acting_user)
    _settle_account_deletion(saved, acting_user=acting_user)
    return saved


def _open_for_decision(request: SubjectRequest, acting_user) -> tuple[SubjectRequest, str]:
    if not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff decide PDPA requests."))
    request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request has already been answered or withdrawn."))
    # Four eyes: whoever recorded the request and checked the identity does not also decide it,
    # and nobody decides their own.
    authors = {request.subject_id}
    if request.recorded_by_id != request.subject_id:
        authors.add(request.recorded_by_id)
    return request, check_four_eyes(acting_user, authors - {None})


def _decided(request, status, acting_user):
    request.status = status
    request.decided_by = acting_user
    request.decided_at = timezone.now()


@transaction.atomic
def refuse_request(request: SubjectRequest, *, reason: str, acting_user) -> SubjectRequest:
    """Staff refuse a request, saying why (the law's ground, such as a legal obligation to keep)."""
    request, note = _open_for_decision(request, acting_user)
    if not reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason for the refusal.")})
    _decided(request, RequestStatus.REFUSED, acting_user)
    request.refusal_reason = reason.strip()
    saved = save_audited(request, acting_user=acting_user, note=note)
    _settle_account_deletion(saved, acting_user=acting_user)
    return saved


@transaction.atomic
def complete_request(request: SubjectRequest, *, outcome: str, acting_user) -> SubjectRequest:
    """Staff answer a request: a copy is then open to the subject (access, portability); a
    correction or objection says what was done; an erasure erases the subject."""
    request, note = _open_for_decision(request, acting_user)
    outcome = outcome.strip()
    if request.kind in (RequestKind.CORRECTION, RequestKind.OBJECTION) and not outcome:
        raise ValidationError({"outcome": _("Say what was corrected or which processing stopped.")})
    if request.kind == RequestKind.ERASURE:
        subject = Subject.of(request.subject, request.subject_email)
        counts = erase_subject(subject, acting_user=acting_user, reason=request.reference)
        ledger.append(subject, request=request, rows=counts)
        request.refresh_from_db()
        if not outcome:
            outcome = _("Erased: %(rows)s") % {"rows": ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"}
    _decided(request, RequestStatus.COMPLETED, acting_user)
    request.outcome = outcome
    saved = save_audited(request, acting_user=acting_user, note=note)
    _settle_account_deletion(saved, acting_user=acting_user)
    return saved


@transaction.atomic
def save_breach(breach: Breach, *, acting_user) -> Breach:
    """Record or update a personal data breach in the log (staff only)."""
    if not (is_system(acting_user) or is_staff(acting_user)):
        raise PermissionDenied(_("Only league staff keep the breach log."))
    if breach.pk is None and not is_system(acting_user):
        breach.recorded_by = acting_user
    return save_audited(breach, acting_user=acting_user)



@transaction.atomic
def record_breach_notification(breach: Breach, *, whom: str, at=None, acting_user) -> Breach:
    """Record that the PDPC (`whom="pdpc"`) or the people affected (`whom="subjects"`) were
    notified of a breach, at `at` (now when not given): once, never before the breach was found."""
    if not (is_system(acting_user) or is_staff(acting_user)):
        raise PermissionDenied(_("Only league staff keep the breach log."))
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    field = {"pdpc": "pdpc_notified_at", "subjects": "subjects_notified_at"}.get(whom)
    if field is None:
        raise ValidationError({"whom": _("Say who was notified: the PDPC or the people affected.")})
    at = at or timezone.now()
    if getattr(breach, field) is not None:
        raise ValidationError({field: _("%(breach)s: the notification is already recorded.") % {"breach": breach}})
    if at < breach.discovered_at:
        raise ValidationError({field: _("%(breach)s: a notification cannot be before the breach was "
                                        "discovered.") % {"breach": breach}})
    if whom == "pdpc" and not breach.must_notify:
        raise ValidationError({field: _("%(breach)s: a breach without risk is documented, not notified to "
                                        "the PDPC.") % {"breach": breach}})
    setattr(breach, field, at)
    return save_audited(breach, acting_user=acting_user)
