"""Reads of a project's coaching parts shared by the project pages and the API: which coaches
`user` may see on a project. Both read the projects themselves through restrict()."""

from django.db.models import Exists, OuterRef

from thetsaban.coaching.models import Assignment, Coach
from thetsaban.transfers.models import LogbookEntry


def visible_assignments(user):
    """Assignments of the coaches `user` may see (approved, listed with consent)."""
    return (Assignment.objects.restrict(user, "view").select_related("coach__person")
            .filter(coach__in=Coach.objects.restrict(user, "view").values("pk")))


def logbook_with_visible_coaches(user):
    """Logbook entries, each knowing whether its coach may be named to `user`.

    The entries are the logbook of projects found through restrict(): a Prefetch on the project
    page, and the API's ProjectPartViewSet narrows them to the projects the user may see."""
    return LogbookEntry.objects.select_related("coach__person", "milestone").annotate(
        coach_visible=Exists(Coach.objects.restrict(user, "view").filter(pk=OuterRef("coach_id"))))
