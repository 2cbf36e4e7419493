"""The learning network's section of a coach's page (hooks.CoachPageSection)."""

from thetsaban.learning.models import Enrolment


def coach_courses(coach, user) -> dict:
    """The courses the coach completed (nothing shown when there are none, or when the coach has
    no account to have enrolled with)."""
    if coach.user_id is None:
        return {}
    completed = list(
        Enrolment.objects.restrict(user, "view")
        .completed()
        .filter(user_id=coach.user_id)
        .select_related("course__provider", "course__centre")
        .order_by("-completed_at", "-pk")
    )
    return {"completed": completed} if completed else {}
