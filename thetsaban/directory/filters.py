"""One FilterSet per directory model, serving the directory pages and the API alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from thetsaban import thai
from thetsaban.directory.choices import ContactKind, OrganisationKind
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post
from thetsaban.filtering import ModelChoiceFilter
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Theme


def _user(request):
    return getattr(request, "user", None)


def themes(request):
    return Theme.objects.restrict(_user(request))


def lgus(request):
    return Lgu.objects.restrict(_user(request))


def organisations(request):
    return Organisation.objects.restrict(_user(request))


def persons(request):
    return Person.objects.restrict(_user(request))


def posts(request):
    return Post.objects.restrict(_user(request))


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(ModelChoiceFilter):
    """Chooses a row by its code (a theme's or an LGU's)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(ModelChoiceFilter):
    """Chooses a row by its id."""


class TextSearchMixin(django_filters.FilterSet):
    """`q`: free text matched on folded names, abbreviations (with or without dots) and more."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    def filter_q(self, queryset, name, value):
        if not thai.fold(value):
            return queryset
        return queryset.matching(value)


def topic_filter():
    return CodeChoiceFilter(label=_("Topic"), queryset=themes, method="filter_topic")


def lgu_filter(field_name):
    return CodeChoiceFilter(label=_("LGU"), queryset=lgus, field_name=field_name)


class OrganisationFilterSet(TextSearchMixin):
    """Organisations by text, kind, LGU, topic (their own or one of their posts') and parent."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)
    lgu = lgu_filter("lgu")
    topic = topic_filter()
    parent = ModelChoiceFilter(label=_("Parent organisation"), queryset=organisations)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "lgu", "topic", "parent"]

    def filter_topic(self, queryset, name, value):
        own = Organisation.objects.filter(topics=value).values("pk")
        via_posts = Post.objects.filter(topics=value).values("organisation_id")
        return queryset.filter(Q(pk__in=own) | Q(pk__in=via_posts))


class PostFilterSet(TextSearchMixin):
    """Roles: who does what. By text, topic, LGU, organisation, organisation kind and role."""

    topic = topic_filter()
    lgu = lgu_filter("organisation__lgu")
    organisation = ModelChoiceFilter(label=_("Organisation"), queryset=organisations)
    kind = django_filters.ChoiceFilter(label=_("Kind of organisation"),
                                       choices=OrganisationKind.choices,
                                       field_name="organisation__kind")
    role = django_filters.CharFilter(label=_("Role"), method="filter_role")

    class Meta:
        model = Post
        fields = ["q", "topic", "lgu", "organisation", "kind", "role"]

    def filter_topic(self, queryset, name, value):
        # A post without topics of its own is about its organisation's topics.
        return queryset.filter(
            Q(pk__in=Post.objects.filter(topics=value).values("pk"))
            | Q(organisation__in=Organisation.objects.filter(topics=value).values("pk"))
        )

    def filter_role(self, queryset, name, value):
        value = thai.clean(value)
        if not value:
            return queryset
        return queryset.filter(Q(label_th__icontains=value) | Q(label_en__icontains=value))


class PersonFilterSet(TextSearchMixin):
    """Persons by text, topic, organisation and LGU (through their memberships)."""

    topic = topic_filter()
    organisation = IdChoiceFilter(label=_("Organisation"), queryset=organisations,
                                  method="filter_organisation")
    lgu = CodeChoiceFilter(label=_("LGU"), queryset=lgus, method="filter_lgu")

    class Meta:
        model = Person
        fields = ["q", "topic", "organisation", "lgu"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(pk__in=Person.objects.filter(topics=value).values("pk"))

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.filter(organisation=value).values("person_id"))

    def filter_lgu(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.filter(organisation__lgu=value).values("person_id"))


class MembershipFilterSet(django_filters.FilterSet):
    """Memberships by person, organisation, post, and whether they are current."""

    person = ModelChoiceFilter(label=_("Person"), queryset=persons)
    organisation = ModelChoiceFilter(label=_("Organisation"), queryset=organisations)
    post = ModelChoiceFilter(label=_("Post"), queryset=posts)
    current = django_filters.BooleanFilter(label=_("Current"), method="filter_current")

    class Meta:
        model = Membership
        fields = ["person", "organisation", "post", "current"]

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class ContactDetailFilterSet(django_filters.FilterSet):
    """Contact details by owner and kind."""

    person = ModelChoiceFilter(label=_("Person"), queryset=persons)
    post = ModelChoiceFilter(label=_("Post"), queryset=posts)
    organisation = ModelChoiceFilter(label=_("Organisation"), queryset=organisations)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ContactKind.choices)

    class Meta:
        model = ContactDetail
        fields = ["person", "post", "organisation", "kind"]
