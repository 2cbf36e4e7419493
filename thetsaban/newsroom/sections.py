"""The newsroom's section of an LGU's page (hooks.LguPageSection)."""

from thetsaban.newsroom.models import JointUndertaking


def lgu_undertakings(lgu, user) -> dict:
    """The joint undertakings `lgu` leads or is a member of (nothing shown when there are none)."""
    undertakings = list(JointUndertaking.objects.restrict(user, "view").for_lgu(lgu)
                        .select_related("lead_lgu").order_by("title", "pk"))
    return {"undertakings": undertakings} if undertakings else {}
