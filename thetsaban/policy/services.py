"""Writes for policy recommendations: drafting, agencies and partners, the timeline, promotion.

`acting_user=None` means a trusted system process (a management command, the demo loader);
views and the API always pass the request's user. Every write leaves an audit record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from thetsaban import hooks, thai
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
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
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.policy.choices import APPROVAL_STATUSES, ActorRole, Level, RecommendationStatus
from thetsaban.policy.models import Recommendation, RecommendationActor, RecommendationUpdate

TITLE_LENGTH = 120
# A new recommendation starts as one of these; later changes go through the timeline.
INITIAL_STATUSES = (RecommendationStatus.DRAFT, RecommendationStatus.PROPOSED)


def may_create(user) -> bool:
    """League staff and LGU editors draft recommendations (the author becomes the owner)."""
    return is_system(user) or is_staff(user) or bool(editable_lgu_ids(user))


def may_change(user, recommendation: Recommendation) -> bool:
    """Staff, or the recommendation's owner, change it and add to its timeline."""
    if is_system(user) or is_staff(user):
        return True
    return bool(user and user.is_authenticated and user.is_active
                and recommendation.owner_id == user.pk)


def may_promote_issue(user, issue) -> bool:
    """Staff, or whoever may change the issue log of the issue's project, promote an issue."""
    if is_system(user) or is_staff(user):
        return True
    return type(issue)._default_manager.restrict(user, "change").filter(pk=issue.pk).exists()


def author_ids(recommendation: Recommendation) -> set[int]:
    """Who a recommendation is the work of: its owner and whoever owned it before (handing it
    over does not make its acceptance someone else's decision), its creator and the members
    whose proposals were promoted into it."""
    ids = audit_actor_ids(recommendation, actions=(AuditAction.CREATE,))
    if recommendation.owner_id:
        ids.add(recommendation.owner_id)
    if recommendation.pk:
        for snapshots in AuditEntry.objects.for_object(recommendation).values_list("before", "after"):
            ids |= {snap["owner_id"] for snap in snapshots if snap and snap.get("owner_id")}
    proposals = getattr(recommendation, "proposals", None)  # the participation app's reverse link
    if proposals is not None:
        ids |= set(proposals.exclude(author=None).values_list("author_id", flat=True))
    return ids


def approval_refusal(user, recommendation: Recommendation) -> str:
    """Why `user` may not move this recommendation to an accepted status (their own), or ""."""
    return own_work_reason(user, author_ids(recommendation))


def make_title(*texts: str) -> str:
    """A short title from the first line of the first non-empty text."""
    for text in texts:
        text = thai.clean(text)
        if text:
            return Truncator(text.splitlines()[0]).chars(TITLE_LENGTH)
    return ""


def _notify(recommendation: Recommendation, summary: str, acting_user) -> None:
    """Tell the followers (the participation app, when installed) what changed."""
    hooks.record_changed.send(sender=Recommendation, record=recommendation, summary=summary,
                              acting_user=acting_user)


def _save_actors(recommendation, actors, *, acting_user) -> None:
    """Make the agencies and partners exactly `actors`: (organisation, role, note) triples."""
    wanted = {}
    for organisation, role, note in actors:
        if role not in ActorRole.values:
            raise ValidationError({"actors": _("Unknown role: %(role)s.") % {"role": role}})
        key = (organisation.pk, role)
        if key in wanted:
            raise ValidationError({"actors": _("%(organisation)s is listed twice as %(role)s.") % {
                "organisation": organisation, "role": ActorRole(role).label}})
        wanted[key] = (organisation, role, thai.clean(note or ""))
    existing = {(a.organisation_id, a.role): a for a in recommendation.actors.all()}
    for key, actor in existing.items():
        if key not in wanted:
            delete_audited(actor, acting_user=acting_user)
    for key, (organisation, role, note) in wanted.items():
        actor = existing.get(key)
        if actor is None:
            save_audited(RecommendationActor(recommendation=recommendation, organisation=organisation,
                                             role=role, note=note), acting_user=acting_user)
        elif actor.note != note:
            actor.note = note
            save_audited(actor, acting_user=acting_user)


@transaction.atomic
def save_recommendation(recommendation: Recommendation, *, acting_user, themes=None, lgus=None,
                        issues=None, practices=None, projects=None, actors=None,
                        note: str = "", creation_checked: bool = False) -> Recommendation:
    """Create or change a recommendation with its evidence links, agencies and partners.

    The status and progress of an existing recommendation change only through add_update(),
    so that every change of status is a dated entry on its timeline. `creation_checked` is for
    callers in this module that have already checked who may create (promotions).
    """
    creating = recommendation.pk is None
    if creating:
        if not (creation_checked or may_create(acting_user)):
            raise PermissionDenied(_("Only league staff and LGU editors can add recommendations."))
        if recommendation.status not in INITIAL_STATUSES and not is_system(acting_user):
            raise ValidationError({"status": _("A new recommendation starts as a draft or as "
                                               "proposed; later steps go on its timeline.")})
        if recommendation.owner_id is None and acting_user is not None and acting_user.is_authenticated:
            recommendation.owner = acting_user
        if not (is_system(acting_user) or is_staff(acting_user)):
            recommendation.owner = acting_user  # only staff give a recommendation to someone else
    else:
        stored = Recommendation.objects.filter(pk=recommendation.pk).values(
            "owner_id", "status", "progress").first()
        if stored is None:
            raise ValidationError(_("This recommendation no longer exists."))
        if not may_change(acting_user, Recommendation(pk=recommendation.pk, owner_id=stored["owner_id"])):
            raise PermissionDenied(_("Only league staff and the owner can change this recommendation."))
        if not (is_system(acting_user) or is_staff(acting_user)):
            recommendation.owner_id = stored["owner_id"]
        recommendation.status = stored["status"]
        recommendation.progress = stored["progress"]
    if not recommendation.title:
        recommendation.title = make_title(recommendation.recommendation, recommendation.problem)
    m2m = {}
    for name, values in (("themes", themes), ("lgus", lgus), ("issues", issues),
                         ("practices", practices), ("projects", projects)):
        if values is not None:
            m2m[name] = list(values)
    save_audited(recommendation, acting_user=acting_user, m2m=m2m, note=note)
    if actors is not None:
        _save_actors(recommendation, actors, acting_user=acting_user)
    if not creating:
        _notify(recommendation, _("The recommendation was edited."), acting_user)
    return recommendation


def check_update(recommendation: Recommendation, *, acting_user, status: str = "") -> str:
    """Refuse a timeline entry `acting_user` may not add (PermissionDenied, or OwnWorkRefused for
    marking one's own recommendation accepted); return the note for the approval's audit entry."""
    if not may_change(acting_user, recommendation):
        raise PermissionDenied(_("Only league staff and the owner can update this recommendation."))
    if status and status not in RecommendationStatus.values:
        raise ValidationError({"status": _("Unknown status: %(status)s.") % {"status": status}})
    if status in APPROVAL_STATUSES and status != recommendation.status:
        return check_four_eyes(acting_user, author_ids(recommendation))
    return ""


@transaction.atomic
def add_update(recommendation: Recommendation, *, acting_user, text: str, date=None,
               status: str = "", progress: int | None = None, attachment=None) -> RecommendationUpdate:
    """Add a dated entry to the timeline, changing the status and progress it reports."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    approval_note = check_update(recommendation, acting_user=acting_user, status=status)
    update = RecommendationUpdate(
        recommendation=recommendation, date=date or timezone.localdate(), text=text,
        status=status or "", progress=progress,
        author=acting_user if acting_user is not None and acting_user.is_authenticated else None)
    if attachment:
        update.attachment = attachment
    save_audited(update, acting_user=acting_user)
    changes = []
    if status and status != recommendation.status:
        changes.append(_("Status: %(old)s → %(new)s") % {
            "old": recommendation.get_status_display(),
            "new": RecommendationStatus(status).label})
        recommendation.status = status
        if status == RecommendationStatus.IMPLEMENTED and recommendation.actual_end is None:
            recommendation.actual_end = update.date
    if progress is not None and progress != recommendation.progress:
        changes.append(_("Progress: %(old)s%% → %(new)s%%") % {
            "old": recommendation.progress, "new": progress})
        recommendation.progress = progress
    if changes:
        save_audited(recommendation, acting_user=acting_user,
                     note="; ".join(changes + ([approval_note] if approval_note else [])))
    _notify(recommendation, "\n".join(changes + [update.text]), acting_user)
    return update


@transaction.atomic
def promote_issue(issue, acting_user, *, level: str | None = None) -> Recommendation:
    """Turn an issue-log item of a transfer project into a recommendation, linked both ways.

    An issue already promoted returns its recommendation rather than a duplicate.
    """
    if not may_promote_issue(acting_user, issue):
        raise PermissionDenied(_("You cannot promote issues of this project."))
    existing = issue.recommendations.order_by("pk").first()
    if existing is not None:
        return existing
    project = issue.project
    recommendation = Recommendation(
        level=level or issue.level,
        title=make_title(issue.recommendation, issue.problem),
        problem=issue.problem, effect=issue.effect,
        recommendation=issue.recommendation or issue.problem,
        lgu_codes=issue.lgu_code,
        status=RecommendationStatus.PROPOSED,
        source=_("Issue log of the transfer project “%(project)s”") % {"project": project.title},
    )
    save_recommendation(
        recommendation, acting_user=acting_user,
        themes=[project.theme_id] if project.theme_id else [], lgus=[project.target_lgu_id],
        issues=[issue.pk], projects=[project.pk],
        note=_("promoted from the issue log"), creation_checked=True)
    return recommendation


@transaction.atomic
def promote_proposal(proposal, acting_user, *, level: str = Level.LEAGUE) -> Recommendation:
    """Promote a member's bottom-up proposal into a recommendation on the league's agenda (staff)."""
    # Upward (participation sits above policy): a reasoned exception in .importlinter.
    from thetsaban.participation.choices import ProposalStatus

    if not (is_system(acting_user) or is_staff(acting_user)):
        raise PermissionDenied(_("Only league staff can promote a proposal."))
    if proposal.promoted_to_id:
        return proposal.promoted_to
    note = check_four_eyes(acting_user, [proposal.author_id], _("promoted to a recommendation"))
    recommendation = Recommendation(
        level=level, title=make_title(proposal.title, proposal.proposal),
        problem=proposal.problem, recommendation=proposal.proposal,
        lgu_codes=(proposal.lgu.short_name if proposal.lgu_id else ""),
        status=RecommendationStatus.PROPOSED,
        source=_("Proposal by a member (no. %(number)s)") % {"number": proposal.pk},
    )
    save_recommendation(
        recommendation, acting_user=acting_user,
        themes=list(proposal.themes.values_list("pk", flat=True)),
        lgus=[proposal.lgu_id] if proposal.lgu_id else [],
        note=_("promoted from a member's proposal"), creation_checked=True)
    before = snapshot(proposal)
    proposal.promoted_to = recommendation
    proposal.status = ProposalStatus.PROMOTED
    proposal.save(update_fields=["promoted_to", "status"])
    record(proposal, AuditAction.UPDATE, acting_user=acting_user, before=before, note=note)
    return recommendation
