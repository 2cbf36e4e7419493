"""Writes for participation: comments, endorsements, proposals, flags, moderation and follows.

Every function takes `acting_user` (the request's user, possibly anonymous), checks what that
user may do, runs in one transaction and leaves an audit record. Text is cleaned with
thai.clean() and length-capped here, so the pages, the API and the admin share one rule.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from thetsaban import thai
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import LeagueSettings
from thetsaban.accounts.services import (
    check_four_eyes,
    delete_audited,
    own_work_reason,
    record,
    save_audited,
    snapshot,
)
from thetsaban.participation import notify, ratelimit
from thetsaban.participation.choices import ModerationAction, ProposalStatus
from thetsaban.participation.models import (
    Comment,
    Endorsement,
    Flag,
    Follow,
    Moderation,
    Notification,
    Proposal,
    is_moderator,
)
from thetsaban.participation.targets import MODERATED_CONTENT, content_type_of, rows_for, target_for
from thetsaban.permissions import is_staff

COMMENT_MAX = Comment._meta.get_field("text").max_length
TITLE_MAX = Proposal._meta.get_field("title").max_length
PROPOSAL_TEXT_MAX = 10_000
REASON_MAX = Flag._meta.get_field("reason").max_length
EXCERPT = 500


def _require_member(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to take part."))


def clean_text(value, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """Cleaned text (control characters removed) within `limit`, or a ValidationError naming `field`."""
    text = thai.clean(value)
    if required and not text:
        raise ValidationError({field: _("%(label)s cannot be empty.") % {"label": label}})
    if len(text) > limit:
        raise ValidationError({field: _(
            "%(label)s can be at most %(limit)s characters; this one has %(length)s."
        ) % {"label": label, "limit": number_format(limit, force_grouping=True),
             "length": number_format(len(text), force_grouping=True)}})
    return text


def _check_target(target, user, *, endorsing: bool = False):
    entry = target_for(target)
    if entry is None:
        raise ValidationError(_("People cannot take part on this kind of record."))
    if endorsing and not entry.endorsable:
        raise ValidationError(_("This kind of record cannot be supported."))
    if not entry.visible(user).filter(pk=target.pk).exists():
        raise PermissionDenied(_("This record is not open to you for comments or support."))
    return entry


def _check_content(target):
    if target._meta.label not in MODERATED_CONTENT.values():
        raise ValidationError(_("Only comments and proposals can be flagged or moderated."))


def _check_parent(parent, target) -> None:
    """A reply goes under a shown comment on the same record, not deeper than Comment.MAX_DEPTH."""
    if parent.content_type_id != content_type_of(target).pk or parent.object_id != target.pk:
        raise ValidationError({"parent": _("The comment you reply to is on another record.")})
    if parent.hidden or parent.withdrawn:
        raise ValidationError({"parent": _("A hidden or withdrawn comment cannot be replied to.")})
    if parent.depth >= Comment.MAX_DEPTH:
        raise ValidationError({"parent": _(
            "Replies nest %(levels)s levels deep at most; reply to an earlier comment of this "
            "thread.") % {"levels": Comment.MAX_DEPTH}})


@transaction.atomic
def post_comment(target, text, *, acting_user, ip=None, parent=None) -> Comment:
    """Post a member's comment on a practice, transfer project, recommendation or proposal, or
    their reply (`parent`) to another comment on it."""
    _require_member(acting_user)
    _check_target(target, acting_user)
    if parent is not None:
        parent = Comment.objects.select_for_update().get(pk=parent.pk)
        _check_parent(parent, target)
    text = clean_text(text, field="text", label=_("A comment"), limit=COMMENT_MAX)
    # Counted after validation, so a rejected text does not use up the member's allowance.
    ratelimit.check_and_count(acting_user, ip)
    comment = Comment.objects.create(content_type=content_type_of(target), object_id=target.pk,
                                     author=acting_user, text=text, parent=parent,
                                     depth=parent.depth + 1 if parent else 0)
    record(comment, AuditAction.CREATE, acting_user=acting_user)
    if parent is None:
        summary = _("%(user)s commented on %(record)s.")
    else:
        summary = _("%(user)s replied to a comment on %(record)s.")
    notify.record_changed(target, summary % {"user": acting_user.get_username(), "record": target},
                          actor=acting_user, detail=text[:EXCERPT])
    return comment


def comment_edit_refusal(user, comment, *, league=None, has_replies=None) -> str:
    """Why `user` may not edit this comment now, or "" (its author may, within the league's
    minutes after posting, while nobody has replied and no moderator hid it)."""
    if not (user and user.is_authenticated and comment.author_id == user.pk):
        return _("Only its author can change a comment.")
    if comment.withdrawn:
        return _("This comment is withdrawn.")
    if comment.hidden:
        return _("A moderator hid this comment.")
    if comment.replies.exists() if has_replies is None else has_replies:
        return _("Somebody has replied to this comment, so it can no longer be edited; you can "
                 "still withdraw it.")
    minutes = (league or LeagueSettings.load()).comment_edit_minutes
    if timezone.now() > comment.created_at + timedelta(minutes=minutes):
        return _("A comment can be edited for %(minutes)s minutes after it is posted; you can "
                 "still withdraw it.") % {"minutes": minutes}
    return ""


def comment_withdraw_refusal(user, comment) -> str:
    """Why `user` may not withdraw this comment, or "" (its author may, unless a moderator hid it)."""
    if not (user and user.is_authenticated and comment.author_id == user.pk):
        return _("Only its author can withdraw a comment.")
    if comment.withdrawn:
        return _("This comment is already withdrawn.")
    if comment.hidden:
        return _("A moderator hid this comment.")
    return ""


def _refuse(reason: str, user, item) -> None:
    """Raise the refusal: a PermissionDenied for someone else's content, else a ValidationError."""
    if not reason:
        return
    if not (user and user.is_authenticated and item.author_id == user.pk):
        raise PermissionDenied(reason)
    raise ValidationError(reason, code="state")


@transaction.atomic
def edit_comment(comment, text, *, acting_user) -> Comment:
    """Correct one's own comment within the league's rules; the audit trail keeps each version."""
    _require_member(acting_user)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _refuse(comment_edit_refusal(acting_user, comment), acting_user, comment)
    text = clean_text(text, field="text", label=_("A comment"), limit=COMMENT_MAX)
    if text == comment.text:
        return comment
    before = snapshot(comment)
    comment.text = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    record(comment, AuditAction.UPDATE, acting_user=acting_user, before=before,
           note=_("edited by its author"))
    return comment


@transaction.atomic
def withdraw_comment(comment, *, acting_user) -> Comment:
    """Withdraw one's own comment: it shows as withdrawn and keeps its place and its replies."""
    _require_member(acting_user)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _refuse(comment_withdraw_refusal(acting_user, comment), acting_user, comment)
    before = snapshot(comment)
    comment.withdrawn_at = timezone.now()
    comment.save(update_fields=["withdrawn_at"])
    record(comment, AuditAction.UPDATE, acting_user=acting_user, before=before,
           note=_("withdrawn by its author"))
    return comment


def support_refusal(user, target) -> str:
    """Why `user` may not support this record now, or "": a proposal takes support while it is
    open, and not from its author."""
    if isinstance(target, Proposal):
        if target.status != ProposalStatus.OPEN:
            return _("Only an open proposal can be supported.")
        if user is not None and user.is_authenticated and target.author_id == user.pk:
            return _("You cannot support your own proposal.")
    return ""


def endorsement_count(target) -> int:
    """How many members support a record."""
    return rows_for(Endorsement, target).count()


@transaction.atomic
def endorse(target, *, acting_user) -> Endorsement:
    """Record a member's support for a recommendation or a practice (once per person)."""
    _require_member(acting_user)
    _check_target(target, acting_user, endorsing=True)
    if isinstance(target, Proposal):
        target = Proposal.objects.select_for_update().get(pk=target.pk)
        refusal = support_refusal(acting_user, target)
        if refusal:
            raise ValidationError(refusal, code="state")
    message = _("You already support this.")
    if rows_for(Endorsement, target).filter(user=acting_user).exists():
        raise ValidationError(message, code="unique")
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                content_type=content_type_of(target), object_id=target.pk, user=acting_user)
    except IntegrityError:  # a double click racing the check above
        raise ValidationError(message, code="unique") from None
    record(endorsement, AuditAction.CREATE, acting_user=acting_user)
    if isinstance(target, Proposal):
        _check_threshold(target, acting_user=acting_user)
    return endorsement


def support_threshold() -> int:
    """How many supporters bring a proposal to league staff (the league settings)."""
    return LeagueSettings.load().proposal_support_threshold


def _check_threshold(proposal, *, acting_user) -> bool:
    """Put a proposal that now has enough supporters in the staff queue and tell staff; once."""
    if proposal.threshold_reached_at is not None or proposal.status != ProposalStatus.OPEN:
        return False
    count = endorsement_count(proposal)
    if count < support_threshold():
        return False
    before = snapshot(proposal)
    proposal.threshold_reached_at = timezone.now()
    proposal.save(update_fields=["threshold_reached_at"])
    record(proposal, AuditAction.UPDATE, acting_user=acting_user, before=before, note=_(
        "reached %(count)s supporters; waits for league staff") % {"count": count})
    _tell_staff(proposal, count)
    notify.record_changed(proposal, _(
        "The proposal %(record)s has %(count)s supporters and now waits for league staff to "
        "decide on it.") % {"record": proposal, "count": count}, actor=acting_user)
    return True


def staff_recipients():
    """Active staff and moderators with an e-mail address: they hear of proposals to decide."""
    return (get_user_model().objects.filter(Q(is_staff=True) | Q(is_moderator=True), is_active=True)
            .exclude(email="").order_by("pk"))


def _tell_staff(proposal, count) -> int:
    addresses = list(staff_recipients().values_list("email", flat=True))
    if not addresses:
        return 0
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    subject = _("A proposal has %(count)s supporters: %(title)s") % {
        "count": count, "title": proposal.title[:120]}
    body = "\n\n".join([
        _("The members' proposal “%(title)s” has reached %(count)s supporters and waits "
          "for league staff to promote it into a recommendation or close it.") % {
            "title": proposal.title, "count": count},
        site + proposal.get_absolute_url(),
        _("Proposals waiting for staff: %(url)s") % {"url": site + reverse("participation:proposal_queue")},
    ])
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses,
                                            fail_silently=True))
    return len(addresses)


def proposals_waiting(user):
    """Open, shown proposals that reached the support threshold, longest waiting first."""
    return (Proposal.objects.restrict(user, "view").with_counts()
            .filter(status=ProposalStatus.OPEN, hidden=False)
            .filter(Q(threshold_reached_at__isnull=False) | Q(support_count__gte=support_threshold()))
            .order_by(F("threshold_reached_at").asc(nulls_last=True), "created_at", "pk"))


@transaction.atomic
def withdraw_endorsement(target, *, acting_user) -> None:
    """Take back a member's support."""
    _require_member(acting_user)
    endorsement = rows_for(Endorsement, target).filter(user=acting_user).first()
    if endorsement is None:
        raise ValidationError(_("You have not supported this."), code="missing")
    delete_audited(endorsement, acting_user=acting_user)


@transaction.atomic
def submit_proposal(*, acting_user, title, problem, proposal, themes=(), lgu=None,
                    ip=None) -> Proposal:
    """File a member's bottom-up proposal for the league's agenda; its author follows it."""
    _require_member(acting_user)
    errors = {}
    values = {}
    for field, label, value, limit in (
        ("title", _("The title"), title, TITLE_MAX),
        ("problem", _("The problem"), problem, PROPOSAL_TEXT_MAX),
        ("proposal", _("What should change"), proposal, PROPOSAL_TEXT_MAX),
    ):
        try:
            values[field] = clean_text(value, field=field, label=label, limit=limit)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    ratelimit.check_and_count(acting_user, ip)
    item = Proposal(author=acting_user, lgu=lgu, **values)
    save_audited(item, acting_user=acting_user, m2m={"themes": [t.pk for t in themes]})
    _follow(item, acting_user)
    return item


def proposal_edit_refusal(user, proposal) -> str:
    """Why `user` may not change this proposal, or "" (its author may while it is open, shown
    and nobody supports it yet: supporters backed the text as it stands)."""
    if not (user and user.is_authenticated and proposal.author_id == user.pk):
        return _("Only its author can change a proposal.")
    if proposal.status != ProposalStatus.OPEN:
        return _("Only an open proposal can be changed.")
    if proposal.hidden:
        return _("A moderator hid this proposal.")
    if endorsement_count(proposal):
        return _("Members already support this proposal as it stands, so it can no longer be "
                 "changed; you can still withdraw it.")
    return ""


def proposal_withdraw_refusal(user, proposal) -> str:
    """Why `user` may not withdraw this proposal, or "" (its author may while it is open)."""
    if not (user and user.is_authenticated and proposal.author_id == user.pk):
        return _("Only its author can withdraw a proposal.")
    if proposal.status != ProposalStatus.OPEN:
        return _("Only an open proposal can be withdrawn.")
    if proposal.hidden:
        return _("A moderator hid this proposal.")
    return ""


@transaction.atomic
def edit_proposal(item, *, acting_user, title, problem, proposal, themes=(), lgu=None) -> Proposal:
    """Change one's own proposal while the rules allow; the audit trail keeps each version."""
    _require_member(acting_user)
    item = Proposal.objects.select_for_update().get(pk=item.pk)
    _refuse(proposal_edit_refusal(acting_user, item), acting_user, item)
    errors = {}
    for field, label, value, limit in (
        ("title", _("The title"), title, TITLE_MAX),
        ("problem", _("The problem"), problem, PROPOSAL_TEXT_MAX),
        ("proposal", _("What should change"), proposal, PROPOSAL_TEXT_MAX),
    ):
        try:
            setattr(item, field, clean_text(value, field=field, label=label, limit=limit))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    item.lgu = lgu
    item.edited_at = timezone.now()
    save_audited(item, acting_user=acting_user, m2m={"themes": [t.pk for t in themes]},
                 note=_("edited by its author"))
    notify.record_changed(item, _("%(user)s changed the proposal %(record)s.") % {
        "user": acting_user.get_username(), "record": item}, actor=acting_user)
    return item


@transaction.atomic
def withdraw_proposal(item, *, acting_user) -> Proposal:
    """Withdraw one's own open proposal: it stays readable, marked withdrawn, and takes no support."""
    _require_member(acting_user)
    item = Proposal.objects.select_for_update().get(pk=item.pk)
    _refuse(proposal_withdraw_refusal(acting_user, item), acting_user, item)
    before = snapshot(item)
    item.status = ProposalStatus.WITHDRAWN
    item.save(update_fields=["status"])
    record(item, AuditAction.UPDATE, acting_user=acting_user, before=before,
           note=_("withdrawn by its author"))
    notify.record_changed(item, _("Its author withdrew the proposal %(record)s.") % {
        "record": item}, actor=acting_user)
    return item


@transaction.atomic
def close_proposal(item, reason, *, acting_user) -> Proposal:
    """Staff close an open proposal without promoting it, saying why (its followers are told)."""
    if not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff can close a proposal."))
    reason = clean_text(reason, field="reason", label=_("The reason"), limit=REASON_MAX)
    item = Proposal.objects.select_for_update().get(pk=item.pk)
    if item.status != ProposalStatus.OPEN:
        raise ValidationError(_("Only an open proposal can be closed."), code="state")
    before = snapshot(item)
    item.status = ProposalStatus.CLOSED
    item.save(update_fields=["status"])
    record(item, AuditAction.UPDATE, acting_user=acting_user, before=before,
           note=_("closed by league staff: %(reason)s") % {"reason": reason})
    notify.record_changed(item, _("League staff closed the proposal %(record)s.") % {
        "record": item}, actor=acting_user, detail=reason)
    return item


@transaction.atomic
def flag(target, reason, *, acting_user) -> Flag:
    """Report a comment or a proposal to the moderators (once per person while it is open)."""
    _require_member(acting_user)
    _check_content(target)
    target = type(target)._default_manager.restrict(acting_user, "view").filter(pk=target.pk).first()
    if target is None:
        raise PermissionDenied(_("You cannot see this."))
    if target.hidden:
        raise ValidationError(_("A moderator has already hidden this."))
    if isinstance(target, Comment) and target.withdrawn:
        raise ValidationError(_("Its author has withdrawn this comment."))
    reason = clean_text(reason, field="reason", label=_("The reason"), limit=REASON_MAX)
    message = _("You have already flagged this; a moderator will look at it.")
    open_flags = rows_for(Flag, target).filter(reporter=acting_user, resolved_at__isnull=True)
    if open_flags.exists():
        raise ValidationError(message, code="unique")
    try:
        with transaction.atomic():
            item = Flag.objects.create(content_type=content_type_of(target), object_id=target.pk,
                                       reporter=acting_user, reason=reason)
    except IntegrityError:
        raise ValidationError(message, code="unique") from None
    record(item, AuditAction.CREATE, acting_user=acting_user)
    return item


def _tell_author(target, action, reason) -> None:
    author = target.author
    if not author.email:
        return
    kind = _("comment") if isinstance(target, Comment) else _("proposal")
    if action == ModerationAction.HIDE:
        subject = _("A moderator hid your %(kind)s") % {"kind": kind}
    else:
        subject = _("A moderator restored your %(kind)s") % {"kind": kind}
    body = "\n\n".join([str(target)[:EXCERPT], _("Reason: %(reason)s") % {"reason": reason}])
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL,
                                            [author.email], fail_silently=True))


def _moderate(target, action, reason, acting_user) -> Moderation:
    if not is_moderator(acting_user):
        raise PermissionDenied(_("Only moderators can hide or restore content."))
    _check_content(target)
    reason = clean_text(reason, field="reason", label=_("The reason"), limit=REASON_MAX)
    target = type(target)._default_manager.select_for_update().get(pk=target.pk)
    open_flags = rows_for(Flag, target).filter(resolved_at__isnull=True)
    hide = action == ModerationAction.HIDE
    # Restoring (or keeping visible against flags) approves the content: not one's own.
    self_note = "" if hide else check_four_eyes(acting_user, [target.author_id])
    if hide and target.hidden:
        raise ValidationError(_("This is already hidden."), code="state")
    if not hide and not target.hidden and not open_flags.exists():
        raise ValidationError(_("This is not hidden and nobody has flagged it."), code="state")
    before = snapshot(target)
    target.hidden = hide
    target.save(update_fields=["hidden"])
    resolved = open_flags.update(resolved_at=timezone.now())
    moderation = Moderation.objects.create(content_type=content_type_of(target), object_id=target.pk,
                                           moderator=acting_user, action=action, reason=reason)
    note = _("%(action)s by a moderator: %(reason)s (%(flags)s open flags resolved)") % {
        "action": moderation.get_action_display(), "reason": reason, "flags": resolved}
    if self_note:
        note = f"{note}; {self_note}"
    record(target, AuditAction.UPDATE, acting_user=acting_user, before=before, note=note)
    record(moderation, AuditAction.CREATE, acting_user=acting_user)
    if target.hidden != (before["hidden"]):
        _tell_author(target, action, reason)
    return moderation


@transaction.atomic
def hide(target, reason, *, acting_user) -> Moderation:
    """Hide a comment or a proposal from the public, with the moderator's reason; resolves its flags."""
    return _moderate(target, ModerationAction.HIDE, reason, acting_user)


@transaction.atomic
def restore(target, reason, *, acting_user) -> Moderation:
    """Show hidden content again (or keep flagged content visible), with the reason; resolves its flags."""
    return _moderate(target, ModerationAction.RESTORE, reason, acting_user)


def _follow(target, user) -> Follow:
    follow = rows_for(Follow, target).filter(user=user).first()
    if follow is not None:
        return follow
    try:
        with transaction.atomic():
            follow = Follow.objects.create(content_type=content_type_of(target),
                                           object_id=target.pk, user=user)
    except IntegrityError:  # followed a moment ago in another request
        return rows_for(Follow, target).get(user=user)
    record(follow, AuditAction.CREATE, acting_user=user)
    return follow


@transaction.atomic
def follow(target, *, acting_user) -> Follow:
    """Have a member told by e-mail of changes to a record (following twice changes nothing)."""
    _require_member(acting_user)
    _check_target(target, acting_user)
    return _follow(target, acting_user)


@transaction.atomic
def unfollow(target, *, acting_user) -> None:
    """Stop e-mail about a record."""
    _require_member(acting_user)
    item = rows_for(Follow, target).filter(user=acting_user).first()
    if item is not None:
        delete_audited(item, acting_user=acting_user)


def may_promote(user, proposal) -> bool:
    """Whether `user` may promote this proposal now (staff, while it is open and shown)."""
    return is_staff(user) and proposal.status == ProposalStatus.OPEN and not proposal.hidden


def own_content_reason(user, item) -> str:
    """Why `user` may not promote or restore this proposal or comment (their own), or ""."""
    return own_work_reason(user, [item.author_id])


def mark_restore_refusals(user, items) -> None:
    """Set `restore_refusal` on each comment or proposal: why `user` may not restore it, or ""."""
    items = [item for item in items if item is not None]
    own = [item for item in items if user.is_authenticated and item.author_id == user.pk]
    reason = own_work_reason(user, [user.pk]) if own else ""
    for item in items:
        item.restore_refusal = reason if item in own else ""


@transaction.atomic
def promote_proposal(proposal, *, acting_user):
    """Promote an open proposal into a policy recommendation, keeping the link both ways."""
    if not is_staff(acting_user):
        raise PermissionDenied(_("Only league staff can promote a proposal."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not may_promote(acting_user, proposal):
        raise ValidationError(_("Only an open, visible proposal can be promoted."), code="state")
    # The policy app owns recommendations; imported here so that neither app imports the other at load.
    try:
        from thetsaban.policy import services as policy_services
    except ImportError:
        policy_services = None
    promote = getattr(policy_services, "promote_proposal", None)
    if promote is None:
        raise ValidationError(_("Promoting proposals is not available yet."), code="unavailable")
    before = snapshot(proposal)
    recommendation = promote(proposal, acting_user=acting_user)
    proposal.refresh_from_db()
    if proposal.promoted_to_id != recommendation.pk or proposal.status != ProposalStatus.PROMOTED:
        proposal.promoted_to = recommendation
        proposal.status = ProposalStatus.PROMOTED
        proposal.save(update_fields=["promoted_to", "status"])
        record(proposal, AuditAction.UPDATE, acting_user=acting_user, before=before,
               note=_("promoted into a recommendation"))
    notify.record_changed(proposal, _("This proposal is now on the league's agenda as the "
                                      "recommendation %(recommendation)s.") % {
        "recommendation": recommendation}, actor=acting_user)
    return recommendation


def mark_read(notifications, *, acting_user) -> int:
    """Mark those of `notifications` (a queryset) that are the member's own as read. Not
    audited: it is the state of one's own inbox, not a change to a shared record."""
    return (Notification.objects.restrict(acting_user, "change")
            .filter(pk__in=notifications.values("pk")).unread().update(read_at=timezone.now()))
