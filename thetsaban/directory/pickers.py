"""Pickers of persons and organisations: by name (Thai or English), code and abbreviation
(with or without dots: ส.ท.ท. = สทท). Only the persons the user may see are offered."""

from django.db.models import Q
from django.db.models.signals import post_save

from thetsaban import thai
from thetsaban.directory.models import (
    Organisation,
    OrganisationNameWord,
    Person,
    PersonNameWord,
    name_hit,
    text_matches,
)
from thetsaban.namewords import name_words
from thetsaban.pickers import Picker


class PersonPicker(Picker):
    """Persons by the beginnings of their Thai and English name words."""

    name = "persons"
    model = Person
    order_field = "sort_name"
    word_model = PersonNameWord

    def words(self, person):
        return name_words(person.name_th, person.name_en)

    def exact(self, text):
        return Q(name_th=text) | Q(name_en__iexact=text)

    def prefix(self, text):
        return Q(name_th__startswith=text) | Q(name_en__istartswith=text)

    def word(self, word):
        return text_matches("search_text", word)

    def label(self, person):
        return " ".join(p for p in (person.honorific, person.name) if p)

    def detail(self, person):
        return person.name_en if person.name_en and person.name_en != person.name else ""


class OrganisationPicker(Picker):
    """Organisations by code, names, abbreviation and other names."""

    name = "organisations"
    model = Organisation
    order_field = "sort_name"
    word_model = OrganisationNameWord

    def words(self, organisation):
        return name_words(organisation.name_th, organisation.name_en, organisation.abbreviation,
                          organisation.other_names, organisation.code or "")

    def exact(self, text):
        folded = thai.fold(text)
        dotless = folded.replace(".", "")
        condition = Q(name_th=text) | Q(name_en__iexact=text) | Q(abbreviation__iexact=text)
        if folded and folded.isascii():
            condition |= Q(code=folded)
        if dotless and dotless != folded:
            condition |= Q(abbreviation__iexact=dotless)
        return condition

    def prefix(self, text):
        return (Q(name_th__startswith=text) | Q(name_en__istartswith=text)
                | Q(abbreviation__istartswith=text) | name_hit(text))

    def word(self, word):
        return text_matches("search_text", word) | Q(code__iexact=word)

    def label(self, organisation):
        if organisation.abbreviation and organisation.abbreviation != organisation.name:
            return f"{organisation.name} ({organisation.abbreviation})"
        return organisation.name

    def detail(self, organisation):
        return organisation.get_kind_display()


PERSONS = PersonPicker()
ORGANISATIONS = OrganisationPicker()


def _refresh_person_words(sender, instance, **kwargs):
    PERSONS.refresh_words([instance.pk])


def _refresh_organisation_words(sender, instance, **kwargs):
    ORGANISATIONS.refresh_words([instance.pk])


post_save.connect(_refresh_person_words, sender=Person, dispatch_uid="directory_person_name_words")
post_save.connect(_refresh_organisation_words, sender=Organisation,
                  dispatch_uid="directory_organisation_name_words")
