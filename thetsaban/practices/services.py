"""Writes for practices: drafting, the review workflow (submit, publish, return) and its e-mail.

`acting_user=None` means a trusted system process (a management command, the demo loader);
views and the API always pass the request's user, which may be anonymous.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry, User
from thetsaban.accounts.services import (
    audit_actor_ids,
    check_four_eyes,
    delete_audited,
    is_system,
    own_work_reason,
    record,
    save_audited,
    snapshot,
)
from thetsaban.permissions import editable_lgu_ids, is_reviewer, is_staff
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import (
    Practice,
    PracticeAttachment,
    PracticePartner,
    PracticeResult,
    PracticeStep,
)
from thetsaban.search.services import index_object

# Statuses in which an LGU editor may still change a practice; staff may change any.
EDITABLE_STATUSES = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
SUBMITTABLE_STATUSES = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
# Audited writes that make someone an author of a practice (publishing and returning do not).
AUTHOR_ACTIONS = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.SUBMIT, AuditAction.IMPORT)
CHILD_MODELS = (PracticeStep, PracticeResult, PracticePartner, PracticeAttachment)


def may_edit(user, practice: Practice) -> bool:
    """Whether `user` may change this practice now (its LGU's editor while a draft, or staff)."""
    if is_system(user) or is_staff(user):
        return True
    if practice.lgu_id not in editable_lgu_ids(user):
        return False
    return practice.pk is None or practice.status in EDITABLE_STATUSES


def may_submit(user, practice: Practice) -> bool:
    """Whether `user` may send this practice to the reviewers now."""
    allowed = is_system(user) or is_staff(user) or practice.lgu_id in editable_lgu_ids(user)
    return allowed and practice.status in SUBMITTABLE_STATUSES


def may_review(user, practice: Practice) -> bool:
    """Whether `user` may publish or return this practice now."""
    return (is_system(user) or is_reviewer(user)) and practice.status == ReviewStatus.SUBMITTED


def author_ids(practice: Practice) -> set[int]:
    """Who wrote this practice: its creator and whoever created, changed or submitted it
    (the practice row is saved, and audited, with every change of its steps and results)."""
    authors = audit_actor_ids(practice, actions=AUTHOR_ACTIONS)
    if practice.created_by_id:
        authors.add(practice.created_by_id)
    return authors


def mark_publish_refusals(user, practices) -> None:
    """Set `publish_refusal` on each practice: why `user` may not publish it (their own work), or ""."""
    practices = list(practices)
    mine = set()
    if user.is_authenticated and practices:
        ids = [p.pk for p in practices]
        mine = {p.pk for p in practices if p.created_by_id == user.pk}
        mine |= {int(pk) for pk in AuditEntry.objects.for_model(Practice).filter(
            object_id__in=[str(pk) for pk in ids], actor=user, action__in=AUTHOR_ACTIONS,
        ).values_list("object_id", flat=True)}
    for practice in practices:
        practice.publish_refusal = own_work_reason(user, [user.pk]) if practice.pk in mine else ""


def _refresh_index(practice: Practice) -> None:
    # The practice row is indexed by a signal when it is saved, but its steps and results are
    # saved afterwards; index it again so that the entry includes them.
    if practice.is_published:
        index_object(practice)


@transaction.atomic
def save_practice(practice: Practice, *, acting_user, themes=None, contacts=None,
                  children=(), deleted=(), note: str = "") -> Practice:
    """Create or change a practice with its steps, results, partners and attachments."""
    if practice.pk is None:
        if not (is_system(acting_user) or is_staff(acting_user)
                or practice.lgu_id in editable_lgu_ids(acting_user)):
            raise PermissionDenied(_("You can only add practices of the LGUs you edit for."))
        if acting_user is not None and acting_user.is_authenticated:
            practice.created_by = acting_user
    else:
        stored = Practice.objects.filter(pk=practice.pk).values("lgu_id", "status").first()
        if stored is None:
            raise ValidationError(_("This practice no longer exists."))
        original = Practice(pk=practice.pk, lgu_id=stored["lgu_id"], status=stored["status"])
        if not may_edit(acting_user, original):
            if original.lgu_id in editable_lgu_ids(acting_user):
                raise ValidationError(
                    _("A practice that is %(status)s cannot be changed; only drafts and returned "
                      "practices can."),
                    params={"status": original.get_status_display()}, code="status",
                )
            raise PermissionDenied(_("You cannot change this practice."))
        if practice.lgu_id != original.lgu_id and not may_edit(acting_user, practice):
            raise PermissionDenied(_("You can only move a practice to an LGU you edit for."))
        # The workflow fields change only through submit/publish/return.
        practice.status = original.status
    m2m = {}
    if themes is not None:
        m2m["themes"] = list(themes)
    if contacts is not None:
        m2m["contacts"] = list(contacts)
    save_audited(practice, acting_user=acting_user, m2m=m2m, note=note)
    for child in deleted:
        if child.pk and child.practice_id == practice.pk:
            delete_audited(child, acting_user=acting_user)
    for child in children:
        if not isinstance(child, CHILD_MODELS):
            raise TypeError(f"Not a part of a practice: {child!r}")
        child.practice = practice
        save_audited(child, acting_user=acting_user)
    _refresh_index(practice)
    return practice


def _notify(recipients, subject: str, body: str) -> None:
    """Send one e-mail after the transaction commits (never for a rolled-back change)."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail(
        subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True,
    ))


def _editor_emails(practice: Practice) -> list[str]:
    editors = User.objects.filter(
        Q(lgu_memberships__lgu_id=practice.lgu_id) | Q(pk=practice.created_by_id), is_active=True,
    ).exclude(email="")
    return list(editors.values_list("email", flat=True).distinct())


def _reviewer_emails() -> list[str]:
    reviewers = User.objects.filter(Q(is_reviewer=True) | Q(is_staff=True), is_active=True)
    return list(reviewers.exclude(email="").values_list("email", flat=True))


def _transition(practice: Practice, *, acting_user, action: str, note: str, **changes) -> Practice:
    before = snapshot(practice)
    for name, value in changes.items():
        setattr(practice, name, value)
    practice.full_clean()
    practice.save()
    record(practice, action, acting_user=acting_user, before=before, note=note)
    return practice


def _locked(practice: Practice) -> Practice:
    # Re-read under a row lock so that two reviewers cannot act on the same practice at once.
    return Practice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def submit_practice(practice: Practice, *, acting_user, notify: bool = True) -> Practice:
    """Send a draft or returned practice to the reviewers."""
    practice = _locked(practice)
    allowed = (is_system(acting_user) or is_staff(acting_user)
               or practice.lgu_id in editable_lgu_ids(acting_user))
    if not allowed:
        raise PermissionDenied(_("Only an editor of the practice's LGU can submit it."))
    if practice.status not in SUBMITTABLE_STATUSES:
        raise ValidationError(
            _("Only a draft or a returned practice can be submitted; this one is %(status)s."),
            params={"status": practice.get_status_display()}, code="status",
        )
    if not practice.themes.exists():
        raise ValidationError({"themes": _("Choose at least one theme before submitting.")})
    _transition(practice, acting_user=acting_user, action=AuditAction.SUBMIT, note="",
                status=ReviewStatus.SUBMITTED, submitted_at=timezone.now())
    if notify:
        url = reverse("practices:review_queue")
        _notify(
            _reviewer_emails(),
            _("Practice submitted for review: %(title)s") % {"title": practice.title_th},
            _("%(lgu)s submitted the practice \"%(title)s\" for review.\n\nReview queue: %(url)s")
            % {"lgu": practice.lgu.name_th, "title": practice.title_th, "url": url},
        )
    return practice


@transaction.atomic
def publish_practice(practice: Practice, *, acting_user, tier: str, comment: str = "",
                     notify: bool = True) -> Practice:
    """A reviewer publishes a submitted practice at a tier; it becomes public."""
    practice = _locked(practice)
    if not (is_system(acting_user) or is_reviewer(acting_user)):
        raise PermissionDenied(_("Only a reviewer can publish a practice."))
    if practice.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted practice can be published; this one is %(status)s."),
            params={"status": practice.get_status_display()}, code="status",
        )
    if tier not in Tier.values:
        raise ValidationError({"tier": _("Choose the tier at which to publish.")})
    note = check_four_eyes(acting_user, author_ids(practice), comment)
    _transition(practice, acting_user=acting_user, action=AuditAction.PUBLISH, note=note,
                status=ReviewStatus.PUBLISHED, tier=tier, published_at=timezone.now(),
                review_comment=comment)
    if notify:
        _notify(
            _editor_emails(practice),
            _("Your practice is published: %(title)s") % {"title": practice.title_th},
            _("The practice \"%(title)s\" is published as: %(tier)s.\n\n%(comment)s\n\n%(url)s")
            % {"title": practice.title_th, "tier": practice.get_tier_display(),
               "comment": comment, "url": practice.get_absolute_url()},
        )
    return practice


@transaction.atomic
def return_practice(practice: Practice, *, acting_user, comment: str,
                    notify: bool = True) -> Practice:
    """A reviewer returns a submitted practice to its LGU with comments for changes."""
    practice = _locked(practice)
    if not (is_system(acting_user) or is_reviewer(acting_user)):
        raise PermissionDenied(_("Only a reviewer can return a practice."))
    if practice.status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted practice can be returned; this one is %(status)s."),
            params={"status": practice.get_status_display()}, code="status",
        )
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Write what the editor should change.")})
    _transition(practice, acting_user=acting_user, action=AuditAction.RETURN, note=comment,
                status=ReviewStatus.RETURNED, review_comment=comment)
    if notify:
        _notify(
            _editor_emails(practice),
            _("Your practice was returned with comments: %(title)s") % {"title": practice.title_th},
            _("The reviewer returned \"%(title)s\" with these comments:\n\n%(comment)s\n\n%(url)s")
            % {"title": practice.title_th, "comment": comment, "url": practice.get_absolute_url()},
        )
    return practice
