"""What each kind of public record puts into the search index."""

from django.utils import translation

from thetsaban.search.choices import DocumentKind


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def practice_document(practice) -> dict | None:
    if not practice.is_published:
        return None
    lgu = practice.lgu
    with translation.override("th"):
        themes = [t.name_th + " " + t.name_en for t in practice.themes.all()]
        steps = [_join(s.title, s.description, s.output) for s in practice.steps.all()]
        results = [_join(r.description, r.indicator) for r in practice.results.all()]
    return {
        "title": practice.title_th,
        "title_en": practice.title_en,
        "body": _join(
            practice.summary, practice.situation_before, practice.objectives, *steps, *results,
            practice.transferability, practice.lessons, practice.recognition_detail,
            lgu.name_th, lgu.name_en, lgu.short_name, lgu.province.name_th, lgu.province.name_en,
            *themes,
        ),
        "url": practice.get_absolute_url(),
    }


def lgu_document(lgu) -> dict | None:
    return {
        "title": lgu.name_th,
        "title_en": lgu.name_en,
        "body": _join(lgu.short_name, lgu.code, lgu.get_lgu_type_display(),
                      lgu.province.name_th, lgu.province.name_en),
        "url": lgu.get_absolute_url(),
    }


def organisation_document(organisation) -> dict | None:
    return {
        "title": organisation.name_th,
        "title_en": organisation.name_en,
        "body": _join(organisation.abbreviation, organisation.other_names,
                      organisation.description, organisation.get_kind_display(),
                      organisation.lgu.name_th if organisation.lgu_id else ""),
        "url": organisation.get_absolute_url(),
    }


def person_document(person) -> dict | None:
    from thetsaban.directory.choices import Visibility

    # Only people who consented to a public listing are searchable, and only by public facts.
    if not (person.listing_consent and person.visibility == Visibility.PUBLIC):
        return None
    roles = [
        _join(m.post.label_th if m.post_id else m.role, m.organisation.name_th,
              m.organisation.abbreviation)
        for m in person.memberships.select_related("post", "organisation")
    ]
    return {
        "title": person.name_th,
        "title_en": person.name_en,
        "body": _join(person.summary, *roles, *(t.name_th for t in person.topics.all())),
        "url": person.get_absolute_url(),
    }


def registry() -> dict:
    """Indexed models: kind -> (model, builder)."""
    from thetsaban.directory.models import Organisation, Person
    from thetsaban.places.models import Lgu
    from thetsaban.practices.models import Practice

    return {
        DocumentKind.PRACTICE: (Practice, practice_document),
        DocumentKind.LGU: (Lgu, lgu_document),
        DocumentKind.ORGANISATION: (Organisation, organisation_document),
        DocumentKind.PERSON: (Person, person_document),
    }


def kind_of(model) -> str | None:
    for kind, (indexed, _builder) in registry().items():
        if model is indexed:
            return kind
    return None


def dependents() -> dict:
    """Models whose rows are written into other records' documents.

    model -> function(instance) -> {kind: queryset of records to re-index}. Saving or
    deleting such a row (a rename, an edited step) re-indexes those records.
    """
    from thetsaban.directory.models import Membership, Organisation, Person, Post
    from thetsaban.places.models import Lgu, Province
    from thetsaban.practices.models import Practice, PracticeResult, PracticeStep, Theme

    return {
        PracticeStep: lambda step: {DocumentKind.PRACTICE: Practice.objects.filter(pk=step.practice_id)},
        PracticeResult: lambda result: {DocumentKind.PRACTICE: Practice.objects.filter(pk=result.practice_id)},
        Theme: lambda theme: {DocumentKind.PRACTICE: theme.practices.all(),
                              DocumentKind.PERSON: theme.persons.all()},
        Province: lambda province: {DocumentKind.LGU: province.lgus.all(),
                                    DocumentKind.PRACTICE: Practice.objects.filter(lgu__province=province)},
        Lgu: lambda lgu: {DocumentKind.PRACTICE: lgu.practices.all(),
                          DocumentKind.ORGANISATION: lgu.organisations.all()},
        Organisation: lambda organisation: {
            DocumentKind.PERSON: Person.objects.filter(memberships__organisation=organisation).distinct()},
        Post: lambda post: {DocumentKind.PERSON: Person.objects.filter(memberships__post=post).distinct()},
        Membership: lambda membership: {DocumentKind.PERSON: Person.objects.filter(pk=membership.person_id)},
    }
