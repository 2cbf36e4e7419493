"""The one FilterSet of coaches: it serves the registry page, the API and the export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from thetsaban.coaching.choices import Availability, CoachStatus, TrainingKind
from thetsaban.coaching.models import Coach, Language, Training
from thetsaban.directory.models import text_matches
from thetsaban.filtering import IntegerFilter, ModelChoiceFilter
from thetsaban.places.models import Province, Region
from thetsaban.practices.models import Theme

SORTS = {
    "name": ("person__sort_name", "pk"),
    "-name": ("-person__sort_name", "-pk"),
    "newest": ("-applied_at", "-pk"),
    "oldest": ("applied_at", "pk"),
}


class CoachFilterSet(django_filters.FilterSet):
    """Theme, region, province, language, availability, status, a name query and the order."""

    q = django_filters.CharFilter(method="filter_q", label=_("Name"), max_length=200)
    theme = ModelChoiceFilter(
        field_name="themes", to_field_name="code", queryset=Theme.objects.all(), label=_("Theme"))
    region = ModelChoiceFilter(
        field_name="home_province__region", to_field_name="code", queryset=Region.objects.all(),
        label=_("Region"))
    province = ModelChoiceFilter(
        field_name="home_province", to_field_name="code", queryset=Province.objects.all(),
        label=_("Province"))
    language = ModelChoiceFilter(
        field_name="languages", to_field_name="code", queryset=Language.objects.all(),
        label=_("Language"))
    availability = django_filters.ChoiceFilter(choices=Availability.choices,
                                               label=_("Availability"))
    status = django_filters.ChoiceFilter(choices=CoachStatus.choices, label=_("Status"))
    is_example = django_filters.BooleanFilter(label=_("Example data"))
    sort = django_filters.ChoiceFilter(
        method="filter_sort", label=_("Sort by"), empty_label=None,
        choices=[("name", _("Name (Thai order)")), ("-name", _("Name, reversed")),
                 ("newest", _("Newest")), ("oldest", _("Oldest"))])

    class Meta:
        model = Coach
        fields = []

    def filter_q(self, queryset, name, value):
        text = (value or "").strip()
        return queryset.filter(text_matches("person__search_text", text)) if text else queryset

    def filter_sort(self, queryset, name, value):
        # Applied after every other filter in filter_queryset.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = getattr(self.form, "cleaned_data", {}) or {}
        return queryset.order_by(*SORTS.get(data.get("sort") or "name", SORTS["name"]))


class TrainingFilterSet(django_filters.FilterSet):
    """Trainings of one coach, of one kind."""

    coach = IntegerFilter(field_name="coach_id", label=_("Coach"), min_value=1)
    kind = django_filters.ChoiceFilter(choices=TrainingKind.choices, label=_("Kind"))

    class Meta:
        model = Training
        fields = []
