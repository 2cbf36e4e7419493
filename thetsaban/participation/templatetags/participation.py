"""`{% load participation %}{% participation_panel object %}`: comments, support and follow on any
record people may take part on (a practice, a transfer project, a recommendation, a proposal)."""

from django import template
from django.contrib.auth.models import AnonymousUser

from thetsaban.participation import services
from thetsaban.participation.forms import CommentForm, ReasonForm
from thetsaban.participation.models import Comment, Endorsement, Follow, is_moderator
from thetsaban.participation.targets import rows_for, target_for, type_of

register = template.Library()


def panel_context(obj, user, next_url: str) -> dict:
    """What the panel shows `user` on `obj`, in a constant number of queries."""
    entry = target_for(obj) if obj is not None else None
    if entry is None:
        return {"entry": None}
    open_to_user = entry.visible(user).filter(pk=obj.pk).exists()
    signed_in = bool(user and user.is_authenticated)
    # All comments, hidden ones included: they keep their place as "hidden by a moderator".
    comments = list(rows_for(Comment, obj).select_related("author").order_by("created_at", "pk"))
    if is_moderator(user):
        services.mark_restore_refusals(user, [c for c in comments if c.hidden])
    context = {
        "entry": entry,
        "object": obj,
        "target_type": type_of(obj),
        "open": open_to_user,
        "user": user,
        "signed_in": signed_in,
        "is_moderator": is_moderator(user),
        "comments": comments,
        "visible_count": sum(1 for c in comments if not c.hidden),
        "next": next_url,
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "comment_max": services.COMMENT_MAX,
    }
    if entry.endorsable:
        context["endorsement_count"] = rows_for(Endorsement, obj).count()
        context["endorsed"] = signed_in and rows_for(Endorsement, obj).filter(user=user).exists()
    context["following"] = signed_in and rows_for(Follow, obj).filter(user=user).exists()
    return context


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
