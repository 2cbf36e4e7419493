"""Panels other apps' pages include: where a practice was adopted, what an LGU adopted."""

from django import template

from thetsaban.transfers.models import TransferProject

register = template.Library()


def _projects(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return (TransferProject.objects.restrict(user, "view")
            .select_related("target_lgu", "target_lgu__province", "source_practice", "source_practice__lgu")
            .order_by("-created_at", "-pk"))


@register.inclusion_tag("transfers/includes/adoptions_for_practice.html", takes_context=True)
def adoptions_for_practice(context, practice):
    """The transfer projects that adopted `practice`: project, adopting LGU and status."""
    return {"projects": list(_projects(context).filter(source_practice=practice)), "practice": practice}


@register.inclusion_tag("transfers/includes/adoptions_for_lgu.html", takes_context=True)
def adoptions_for_lgu(context, lgu):
    """The transfer projects of `lgu`: what it adopted, and from whom."""
    return {"projects": list(_projects(context).filter(target_lgu=lgu)), "lgu": lgu}
