"""Panels other apps' pages include to show recommendations (pages of other apps stay theirs):

    {% load policy_tags %}
    {% recommendations_panel project %}     on a transfer project, LGU or practice page
    {% promote_issue_button issue %}        beside each line of a project's issue log
"""

from django import template

from thetsaban.permissions import is_staff
from thetsaban.policy.models import Recommendation
from thetsaban.transfers.models import TransferProject

register = template.Library()

# Which relation of Recommendation points at each kind of record.
_RELATIONS = {
    ("transfers", "transferproject"): "projects",
    ("transfers", "issue"): "issues",
    ("places", "lgu"): "lgus",
    ("practices", "practice"): "practices",
}


@register.inclusion_tag("policy/includes/panel.html", takes_context=True)
def recommendations_panel(context, obj, limit=10):
    """The recommendations (visible to the reader) that cite `obj` as evidence."""
    request = context.get("request")
    user = getattr(request, "user", None)
    relation = _RELATIONS.get((obj._meta.app_label, obj._meta.model_name))
    recommendations = []
    if relation is not None and obj.pk:
        recommendations = list(Recommendation.objects.restrict(user, "view")
                               .filter(**{relation: obj}).in_level_order()[:limit])
    return {"recommendations": recommendations, "obj": obj, "request": request}


def _may_promote(context, issue) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    if is_staff(user):
        return True
    # One permission query per project, however many issues the page lists.
    cache = context.render_context.setdefault("policy_promote_cache", {})
    if issue.project_id not in cache:
        cache[issue.project_id] = TransferProject.objects.restrict(user, "log").filter(
            pk=issue.project_id).exists()
    return cache[issue.project_id]


@register.inclusion_tag("policy/includes/promote_issue.html", takes_context=True)
def promote_issue_button(context, issue):
    """A link to the recommendation an issue became, or a button to promote it.

    Prefetch `recommendations` on the issues to keep the page's query count constant.
    """
    promoted = [r for r in issue.recommendations.all()]
    return {"issue": issue, "promoted": promoted[:1], "may_promote": not promoted and
            _may_promote(context, issue), "csrf_token": context.get("csrf_token")}
