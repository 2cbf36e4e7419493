"""The one FilterSet of practices: it serves the web list, the map, the API and exports."""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.filtering import IntegerFilter, ModelChoiceFilter
from thetsaban.permissions import editable_lgu_ids, is_reviewer
from thetsaban.pickers import PickerFilter
from thetsaban.places.choices import LguType
from thetsaban.places.models import Province, Region
from thetsaban.places.pickers import LGUS
from thetsaban.practices.choices import Maturity, Recognition, ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme
from thetsaban.search import services as search

SORTS = {
    "newest": ("-published_at", "-pk"),
    "oldest": ("published_at", "pk"),
    "title": ("sort_title", "pk"),
    "started": ("-start_date", "-pk"),
}


class PracticeFilterSet(django_filters.FilterSet):
    """Facets, a text query and the sort order of practice lists."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    theme = ModelChoiceFilter(
        field_name="themes", to_field_name="code", queryset=Theme.objects.all(), label=_("Theme"))
    region = ModelChoiceFilter(
        field_name="lgu__province__region", to_field_name="code", queryset=Region.objects.all(),
        label=_("Region"))
    province = ModelChoiceFilter(
        field_name="lgu__province", to_field_name="code", queryset=Province.objects.all(),
        label=_("Province"))
    lgu = PickerFilter(LGUS, field_name="lgu", label=_("LGU"))
    lgu_type = django_filters.ChoiceFilter(field_name="lgu__lgu_type", choices=LguType.choices,
                                           label=_("LGU type"))
    maturity = django_filters.ChoiceFilter(choices=Maturity.choices, label=_("Maturity"))
    recognition = django_filters.ChoiceFilter(
        choices=[c for c in Recognition.choices if c[0]], label=_("Recognition"))
    year = IntegerFilter(field_name="start_year", label=_("Year started"),
                                       min_value=1900, max_value=2200)
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("Tier"))
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=_("Status"))
    is_example = django_filters.BooleanFilter(label=_("Example data"))
    sort = django_filters.ChoiceFilter(
        method="filter_sort", label=_("Sort by"), empty_label=None,
        choices=[("newest", _("Newest")), ("title", _("Title")), ("oldest", _("Oldest")),
                 ("started", _("Start date")), ("relevance", _("Best match"))])

    # Facets shown with counts beside the list: (filter name, value expression).
    FACETS = ("theme", "region", "province", "lgu_type", "maturity", "recognition", "year")

    class Meta:
        model = Practice
        fields = []

    # -- text query ---------------------------------------------------------------------------

    def filter_q(self, queryset, name, value):
        # Matched inside the same query as every other filter, so counts and facets are exact.
        text = (value or "").strip()
        indexed = search.matching(queryset, text)
        if indexed is None:
            # Only punctuation or spaces: nothing to search for, so nothing is filtered out.
            return queryset
        if not self._may_see_unpublished():
            return queryset.filter(indexed)
        # The index holds published practices only; unpublished ones (which only their
        # editors, reviewers and staff see) are matched on their titles.
        folded = thai.clean(text)
        unpublished = ~Q(status=ReviewStatus.PUBLISHED) & (
            Q(title_th__icontains=folded) | Q(title_en__icontains=folded))
        return queryset.filter(indexed | unpublished)

    def _may_see_unpublished(self) -> bool:
        user = getattr(self.request, "user", None)
        if self.request is None:
            return True
        return is_reviewer(user) or bool(editable_lgu_ids(user))

    def filter_sort(self, queryset, name, value):
        # Applied in filter_queryset after every other filter, see below.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return self.order(queryset)

    def order(self, queryset):
        """The chosen order; a text query sorts by relevance unless another order is chosen."""
        data = getattr(self.form, "cleaned_data", {}) or {}
        sort = data.get("sort") or ""
        text = (data.get("q") or "").strip()
        if sort in ("", "relevance") and thai.tokens(text):
            return search.order_by_rank(queryset, text)
        return queryset.order_by(*SORTS.get(sort, SORTS["newest"]))

    # -- facets -------------------------------------------------------------------------------

    def queryset_without(self, facet: str):
        """The base queryset filtered by every active filter except `facet` (for its counts)."""
        queryset = self.queryset
        data = getattr(self.form, "cleaned_data", {}) or {}
        for name, value in data.items():
            if name in (facet, "sort") or value in (None, "", [], ()):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def facet_counts(self) -> dict[str, list[dict]]:
        """For each facet, its values with the number of practices: one query per facet."""
        self.is_valid()
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        expressions = {
            "theme": "themes__code",
            "region": "lgu__province__region__code",
            "province": "lgu__province__code",
            "lgu_type": "lgu__lgu_type",
            "maturity": "maturity",
            "recognition": "recognition",
            "year": "start_year",
        }
        raw = {}
        for facet in self.FACETS:
            queryset = self.queryset_without(facet).order_by()
            # Only the many-to-many theme facet can count a practice twice.
            rows = (queryset.values(expressions[facet])
                    .annotate(n=Count("pk", distinct=facet == "theme")).order_by())
            raw[facet] = {row[expressions[facet]]: row["n"] for row in rows
                          if row[expressions[facet]] not in (None, "")}
        labels = {
            "theme": {t.code: (t.name, t.position) for t in Theme.objects.all()},
            "region": {r.code: (r.name, r.sort_name) for r in Region.objects.all()},
            "province": {p.code: (p.name, p.sort_name)
                         for p in Province.objects.filter(code__in=list(raw["province"]))},
            "lgu_type": {v: (str(label), i) for i, (v, label) in enumerate(LguType.choices)},
            "maturity": {v: (str(label), i) for i, (v, label) in enumerate(Maturity.choices)},
            "recognition": {v: (str(label), i) for i, (v, label) in enumerate(Recognition.choices)},
        }

        def selected_value(facet):
            value = data.get(facet)
            if value is None:
                return ""
            if hasattr(value, "code"):
                return value.code
            return str(int(value)) if facet == "year" else str(value)

        facets = {}
        for facet in self.FACETS:
            current = selected_value(facet)
            values = []
            for value, count in raw[facet].items():
                if facet == "year":
                    label, order = str(value), -int(value)
                else:
                    label, order = labels[facet].get(value, (str(value), str(value)))
                values.append({"value": str(value), "label": label, "count": count,
                               "selected": str(value) == current, "order": order})
            values.sort(key=lambda v: (v["order"], v["label"]))
            facets[facet] = {"label": self.filters[facet].label, "values": values,
                             "selected": current}
        return facets
