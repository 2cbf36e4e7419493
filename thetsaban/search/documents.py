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


def _public(record) -> bool:
    """Whether an anonymous visitor may see `record` (the model's own restrict() rule)."""
    from django.contrib.auth.models import AnonymousUser

    return type(record)._default_manager.restrict(AnonymousUser(), "view").filter(pk=record.pk).exists()


def coach_document(coach) -> dict | None:
    # Only approved coaches whose person is publicly listed, and only their public facts.
    if not _public(coach):
        return None
    person = coach.person
    return {
        "title": person.name_th,
        "title_en": person.name_en,
        "body": _join(*(t.name_th + " " + t.name_en for t in coach.themes.all()),
                      coach.home_province.name_th, coach.home_province.name_en,
                      coach.affiliation.name_th if coach.affiliation_id else ""),
        "url": coach.get_absolute_url(),
    }


def transfer_document(project) -> dict | None:
    if not _public(project):
        return None
    lgu = project.target_lgu
    return {
        "title": project.title,
        "body": _join(project.motivation_text, project.source_note,
                      project.source_practice.title_th if project.source_practice_id else "",
                      lgu.name_th, lgu.name_en, lgu.province.name_th,
                      project.theme.name_th if project.theme_id else ""),
        "url": project.get_absolute_url(),
    }


def recommendation_document(recommendation) -> dict | None:
    if not _public(recommendation):
        return None
    return {
        "title": recommendation.title,
        "body": _join(recommendation.issue, recommendation.sub_issue, recommendation.problem,
                      recommendation.effect, recommendation.recommendation, recommendation.target_what,
                      *(t.name_th for t in recommendation.themes.all())),
        "url": recommendation.get_absolute_url(),
    }


def proposal_document(proposal) -> dict | None:
    if not _public(proposal):
        return None
    return {
        "title": proposal.title,
        "body": _join(proposal.problem, proposal.proposal, proposal.lgu.name_th if proposal.lgu_id else "",
                      *(t.name_th for t in proposal.themes.all())),
        "url": proposal.get_absolute_url(),
    }


def registry() -> dict:
    """Indexed models: kind -> (model, builder)."""
    from thetsaban.coaching.models import Coach
    from thetsaban.directory.models import Organisation, Person
    from thetsaban.participation.models import Proposal
    from thetsaban.places.models import Lgu
    from thetsaban.policy.models import Recommendation
    from thetsaban.practices.models import Practice
    from thetsaban.transfers.models import TransferProject

    return {
        DocumentKind.PRACTICE: (Practice, practice_document),
        DocumentKind.LGU: (Lgu, lgu_document),
        DocumentKind.ORGANISATION: (Organisation, organisation_document),
        DocumentKind.PERSON: (Person, person_document),
        DocumentKind.COACH: (Coach, coach_document),
        DocumentKind.TRANSFER: (TransferProject, transfer_document),
        DocumentKind.RECOMMENDATION: (Recommendation, recommendation_document),
        DocumentKind.PROPOSAL: (Proposal, proposal_document),
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
    from thetsaban.coaching.models import Coach
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
                          DocumentKind.ORGANISATION: lgu.organisations.all(),
                          DocumentKind.TRANSFER: lgu.transfers.all()},
        Organisation: lambda organisation: {
            DocumentKind.PERSON: Person.objects.filter(memberships__organisation=organisation).distinct()},
        Person: lambda person: {DocumentKind.COACH: Coach.objects.filter(person=person)},
        Post: lambda post: {DocumentKind.PERSON: Person.objects.filter(memberships__post=post).distinct()},
        Membership: lambda membership: {DocumentKind.PERSON: Person.objects.filter(pk=membership.person_id)},
    }
