"""What the directory puts into the search index (read by the search app through hooks)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.directory.choices import Visibility
from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import join


def organisation_document(organisation) -> dict | None:
    return {
        "title": organisation.name_th,
        "title_en": organisation.name_en,
        "body": join(organisation.abbreviation, organisation.other_names,
                     organisation.description, organisation.get_kind_display(),
                     organisation.lgu.name_th if organisation.lgu_id else ""),
        "url": organisation.get_absolute_url(),
    }


def person_document(person) -> dict | None:
    # Only people who consented to a public listing are searchable, and only by public facts.
    if not (person.listing_consent and person.visibility == Visibility.PUBLIC):
        return None
    roles = [
        join(m.post.label_th if m.post_id else m.role, m.organisation.name_th,
             m.organisation.abbreviation)
        for m in person.memberships.select_related("post", "organisation")
    ]
    return {
        "title": person.name_th,
        "title_en": person.name_en,
        "body": join(person.summary, *roles, *(t.name_th for t in person.topics.all())),
        "url": person.get_absolute_url(),
    }


def _persons(**lookup):
    from thetsaban.directory.models import Person  # the models are not loaded when INDEXES is read

    return Person.objects.filter(**lookup).distinct()


INDEXES = [
    SearchIndex("organisation", 2, _("Organisation"), "directory.Organisation", organisation_document,
                select_related=("lgu",),
                dependents={"places.Lgu": lambda lgu: lgu.organisations.all()}),
    SearchIndex("person", 3, _("Person"), "directory.Person", person_document,
                prefetch_related=("topics", "memberships__post", "memberships__organisation"),
                dependents={
                    "practices.Theme": lambda theme: theme.persons.all(),
                    "directory.Organisation": lambda organisation: _persons(memberships__organisation=organisation),
                    "directory.Post": lambda post: _persons(memberships__post=post),
                    "directory.Membership": lambda membership: _persons(pk=membership.person_id),
                }),
]
