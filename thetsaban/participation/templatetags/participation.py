"""`{% load participation %}{% participation_panel object %}`: comments, support and follow on any
record people may take part on (a practice, a transfer project, a recommendation, a proposal)."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from thetsaban.accounts.models import LeagueSettings
from thetsaban.participation import services
from thetsaban.participation.forms import CommentForm, ReasonForm
from thetsaban.participation.models import Comment, Endorsement, Follow, is_moderator
from thetsaban.participation.targets import rows_for, target_for, type_of
from thetsaban.permissions import is_staff

register = template.Library()


def panel_context(obj, user, next_url: str) -> dict:
    """What the panel shows `user` on `obj`, in a constant number of queries."""
    entry = target_for(obj) if obj is not None else None
    if entry is None:
        return {"entry": None}
    open_to_user = entry.visible(user).filter(pk=obj.pk).exists()
    signed_in = bool(user and user.is_authenticated)
    # All comments, hidden and withdrawn ones included: they keep their place in the thread.
    comments = list(rows_for(Comment, obj).select_related("author").order_by("created_at", "pk"))
    if is_moderator(user):
        services.mark_restore_refusals(user, [c for c in comments if c.hidden])
    thread = _thread(comments, user, open_to_user)
    context = {
        "entry": entry,
        "object": obj,
        "target_type": type_of(obj),
        "open": open_to_user,
        "user": user,
        "signed_in": signed_in,
        "is_moderator": is_moderator(user),
        "comments": comments,
        "thread": thread,
        "visible_count": sum(1 for c in comments if not c.hidden and not c.withdrawn),
        "next": next_url,
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "comment_max": services.COMMENT_MAX,
    }
    if entry.endorsable:
        context["endorsement_count"] = rows_for(Endorsement, obj).count()
        context["endorsed"] = signed_in and rows_for(Endorsement, obj).filter(user=user).exists()
        context["support_refusal"] = services.support_refusal(user, obj)
    context["following"] = signed_in and rows_for(Follow, obj).filter(user=user).exists()
    return context


def _thread(comments, user, open_to_user: bool) -> list:
    """The top-level comments, each with `thread_replies` (nested) and what `user` may do with it."""
    league = LeagueSettings.load()
    by_parent = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    signed_in = bool(user and user.is_authenticated)
    staff = is_staff(user)
    for comment in comments:
        comment.thread_replies = by_parent.get(comment.pk, [])
        mine = signed_in and comment.author_id == user.pk
        comment.can_edit = mine and not services.comment_edit_refusal(
            user, comment, league=league, has_replies=bool(comment.thread_replies))
        comment.can_withdraw = mine and not services.comment_withdraw_refusal(user, comment)
        comment.can_reply = (signed_in and open_to_user and not comment.hidden
                             and not comment.withdrawn and comment.depth < Comment.MAX_DEPTH)
        comment.history_url = (reverse("accounts:history", args=["participation", "comment", comment.pk])
                               if staff else "")
    return by_parent.get(None, [])


@register.inclusion_tag("participation/panel.html", takes_context=True)
def participation_panel(context, obj):
    """The participation panel of a record page."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    next_url = request.get_full_path() if request is not None else ""
    panel = panel_context(obj, user, next_url)
    panel["csrf_token"] = context.get("csrf_token")
    panel["request"] = request
    return panel
