"""One FilterSet per model: the API's lists filter alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thetsaban.filtering import IntegerFilter
from thetsaban.newsroom.choices import PostStatus
from thetsaban.newsroom.models import JointUndertaking, NewsPost


class NewsPostFilterSet(django_filters.FilterSet):
    centre = django_filters.CharFilter(field_name="centre__region__code", label=_("Centre (region code)"),
                                       help_text="The region code of the centre, e.g. south.")
    league = django_filters.BooleanFilter(field_name="centre", lookup_expr="isnull", label=_("League news only"),
                                          help_text="true: news of the league itself (no centre).")
    theme = django_filters.CharFilter(field_name="themes__code", label=_("Theme (code)"), distinct=True)
    practice = IntegerFilter(field_name="practices", label=_("Practice (id)"), distinct=True)
    status = django_filters.ChoiceFilter(choices=PostStatus.choices, label=_("Status"))

    class Meta:
        model = NewsPost
        fields = ["centre", "league", "theme", "practice", "status"]


class UndertakingFilterSet(django_filters.FilterSet):
    lgu = django_filters.CharFilter(method="filter_lgu", label=_("LGU (code)"),
                                    help_text="Undertakings the LGU leads or is a member of.")

    class Meta:
        model = JointUndertaking
        fields = ["lgu"]

    def filter_lgu(self, queryset, name, value):
        return queryset.filter(Q(lead_lgu__code=value) | Q(members__code=value)).distinct()
