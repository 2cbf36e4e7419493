"""Writes of the newsroom: news posts (drafted, published, withdrawn) and joint undertakings with
their agreements.

Every function checks the permission, runs in one transaction and writes the audit record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import is_system, record, save_audited, snapshot
from thetsaban.learning.models import staffed_centre_ids
from thetsaban.newsroom.choices import PostStatus
from thetsaban.newsroom.models import Agreement, JointUndertaking, NewsPost
from thetsaban.permissions import editable_lgu_ids, is_staff


def _require(condition: bool, message: str):
    if not condition:
        raise PermissionDenied(message)


# --- News ------------------------------------------------------------------------------------

def may_write_for(user, centre) -> bool:
    """Whether `user` may write news for `centre` (None: the league's own news, staff only)."""
    if is_system(user) or is_staff(user):
        return True
    return centre is not None and centre.pk in staffed_centre_ids(user)


def may_write(user) -> bool:
    """Whether `user` writes news at all (league staff or a centre's staff)."""
    return is_staff(user) or bool(staffed_centre_ids(user))


@transaction.atomic
def save_post(post: NewsPost, *, acting_user, links: dict | None = None) -> NewsPost:
    """Create or change a news post; `links` maps themes, practices, transfers, events and
    recommendations to their new values. A centre's staff write for their centre only."""
    if post.pk:
        old = NewsPost.objects.get(pk=post.pk)
        _require(may_write_for(acting_user, old.centre), _("You may not change this post."))
    _require(may_write_for(acting_user, post.centre),
             _("Only league staff write the league's news; a centre's staff write for their own centre."))
    if not post.pk and not is_system(acting_user):
        post.author = acting_user
    if post.status == PostStatus.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    return save_audited(post, acting_user=acting_user, m2m=links)


@transaction.atomic
def publish_post(post: NewsPost, *, acting_user) -> NewsPost:
    """Publish a draft: it appears in the lists and the feeds."""
    _require(may_write_for(acting_user, post.centre), _("You may not publish this post."))
    if post.is_published:
        raise ValidationError(_("This post is already published."))
    before = snapshot(post)
    post.status = PostStatus.PUBLISHED
    post.published_at = timezone.now()
    post.save(update_fields=["status", "published_at", "updated_at"])
    record(post, AuditAction.UPDATE, acting_user=acting_user, before=before, note="published")
    return post


@transaction.atomic
def withdraw_post(post: NewsPost, *, acting_user) -> NewsPost:
    """Take a published post back to draft (it leaves the lists and the feeds)."""
    _require(may_write_for(acting_user, post.centre), _("You may not withdraw this post."))
    before = snapshot(post)
    post.status = PostStatus.DRAFT
    post.published_at = None
    post.save(update_fields=["status", "published_at", "updated_at"])
    record(post, AuditAction.UPDATE, acting_user=acting_user, before=before, note="withdrawn")
    return post


# --- Joint undertakings ----------------------------------------------------------------------

def may_keep(user, undertaking: JointUndertaking) -> bool:
    """Whether `user` keeps `undertaking`: league staff and the lead LGU's editors."""
    if is_system(user) or is_staff(user):
        return True
    return undertaking.lead_lgu_id in editable_lgu_ids(user)


@transaction.atomic
def save_undertaking(undertaking: JointUndertaking, *, acting_user, members=None,
                     practices=None, indicators=None) -> JointUndertaking:
    """Create or change a joint undertaking (league staff, or the editors of its lead LGU; an LGU
    cannot hand the lead to another one)."""
    if undertaking.pk:
        old = JointUndertaking.objects.get(pk=undertaking.pk)
        _require(may_keep(acting_user, old), _("Only the lead LGU's editors change this joint undertaking."))
    _require(may_keep(acting_user, undertaking),
             _("A joint undertaking is recorded by the editors of its lead LGU."))
    m2m = {}
    if members is not None:
        m2m["members"] = [lgu for lgu in members if lgu.pk != undertaking.lead_lgu_id]
    if practices is not None:
        m2m["practices"] = practices
    if indicators is not None:
        m2m["indicators"] = indicators
    return save_audited(undertaking, acting_user=acting_user, m2m=m2m)


@transaction.atomic
def add_agreement(agreement: Agreement, *, acting_user) -> Agreement:
    """Attach a signed agreement to a joint undertaking (the lead LGU's editors)."""
    _require(may_keep(acting_user, agreement.undertaking),
             _("Only the lead LGU's editors add agreements to this joint undertaking."))
    return save_audited(agreement, acting_user=acting_user)


@transaction.atomic
def delete_agreement(agreement: Agreement, *, acting_user) -> None:
    _require(may_keep(acting_user, agreement.undertaking),
             _("Only the lead LGU's editors remove agreements of this joint undertaking."))
    record(agreement, AuditAction.DELETE, acting_user=acting_user, before=snapshot(agreement))
    agreement.delete()
