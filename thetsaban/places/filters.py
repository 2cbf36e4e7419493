"""One FilterSet per model: the same filters serve the web lists and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.filtering import ModelChoiceFilter
from thetsaban.places.choices import LGU_TYPE_ALIASES, LguType
from thetsaban.places.models import Lgu, Province, Region

MAX_QUERY_CHARS = 200
# Thai type abbreviations with a dot ("ทน.") and the full word each stands for, longest first.
TYPE_ABBREVIATIONS = sorted(
    ((abbreviation, max((a for a in aliases if not a.isascii() and "." not in a), key=len))
     for aliases in LGU_TYPE_ALIASES.values()
     for abbreviation in aliases if abbreviation.endswith(".")),
    key=lambda pair: -len(pair[0]))


def _regions(request):
    user = getattr(request, "user", None)
    return Region.objects.restrict(user, "view")


def _provinces(request):
    user = getattr(request, "user", None)
    return Province.objects.restrict(user, "view")


def expand_type_abbreviation(word: str) -> str:
    """"ทน.สงขลา" -> "เทศบาลนครสงขลา": the deck's way of writing an LGU's name, as stored."""
    for abbreviation, full in TYPE_ABBREVIATIONS:
        if word.startswith(abbreviation) and len(word) > len(abbreviation):
            return full + word[len(abbreviation):]
    return word


def name_query(queryset, value: str, *fields: str, expand=False):
    """Rows whose names contain the (cleaned) text; every word must match somewhere."""
    words = thai.clean(value)[:MAX_QUERY_CHARS].split()
    if expand:
        words = [expand_type_abbreviation(word) for word in words]
    for word in words:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


class RegionFilterSet(django_filters.FilterSet):
    """Regions by name."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_q")

    class Meta:
        model = Region
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return name_query(queryset, value, "name_th", "name_en", "code")


class ProvinceFilterSet(django_filters.FilterSet):
    """Provinces by region and name."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    region = ModelChoiceFilter(
        label=_("Region"), queryset=_regions, to_field_name="code", empty_label=_("All regions"))

    class Meta:
        model = Province
        fields = ["q", "region"]

    def filter_q(self, queryset, name, value):
        return name_query(queryset, value, "name_th", "name_en", "code")


class LguFilterSet(django_filters.FilterSet):
    """LGUs by region, province, type and name."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_q")
    region = ModelChoiceFilter(
        label=_("Region"), field_name="province__region", queryset=_regions,
        to_field_name="code", empty_label=_("All regions"))
    province = ModelChoiceFilter(
        label=_("Province"), queryset=_provinces, to_field_name="code",
        empty_label=_("All provinces"))
    type = django_filters.ChoiceFilter(
        label=_("Type"), field_name="lgu_type", choices=LguType.choices, empty_label=_("All types"))

    class Meta:
        model = Lgu
        fields = ["q", "region", "province", "type"]

    def filter_q(self, queryset, name, value):
        return name_query(queryset, value, "name_th", "name_en", "short_name", "code", expand=True)
