"""What the coach pool puts into the search index (read by the search app through hooks)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import is_public, join


def coach_document(coach) -> dict | None:
    # Only approved coaches whose person is publicly listed, and only their public facts.
    if not is_public(coach):
        return None
    person = coach.person
    return {
        "title": person.name_th,
        "title_en": person.name_en,
        "body": join(*(t.name_th + " " + t.name_en for t in coach.themes.all()),
                     coach.home_province.name_th, coach.home_province.name_en,
                     coach.affiliation.name_th if coach.affiliation_id else ""),
        "url": coach.get_absolute_url(),
    }


def _coaches_of(person):
    from thetsaban.coaching.models import Coach  # the models are not loaded when INDEXES is read

    return Coach.objects.filter(person=person)


INDEXES = [
    SearchIndex("coach", 5, _("Coach"), "coaching.Coach", coach_document,
                select_related=("person", "home_province", "affiliation"), prefetch_related=("themes",),
                dependents={"directory.Person": _coaches_of}),
]
