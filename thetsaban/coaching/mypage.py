"""The coach pool's section of a member's own page (hooks.MyPageSection): their coach application."""

from thetsaban.coaching.models import Coach


def section(user) -> dict:
    """The member's own coach record (application or profile), if they have one."""
    return {"coach": Coach.objects.restrict(user, "change").filter(user=user).select_related("person").first()}
