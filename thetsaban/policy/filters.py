"""The one FilterSet of recommendations: it serves the web list, the API, coverage and the report."""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.dates import FiscalYearFilter, ThaiDateFilter, format_date
from thetsaban.directory.models import Organisation
from thetsaban.filtering import ModelChoiceFilter
from thetsaban.policy.choices import CLOSED_STATUSES, Level, RecommendationStatus
from thetsaban.policy.models import Recommendation, RecommendationActor
from thetsaban.practices.models import Theme


def overdue_q(today=None) -> Q:
    """Past its planned end or its target date and neither implemented nor rejected."""
    today = today or timezone.localdate()
    return (Q(planned_end__lt=today) | Q(target_date__lt=today)) & ~Q(status__in=CLOSED_STATUSES)


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0, yes/no); anything else is an error rather than silently ignored."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class RecommendationFilterForm(forms.Form):
    """Checks that span two fields (a date range that ends before it starts)."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class RecommendationFilterSet(django_filters.FilterSet):
    """Level, theme, status, agency, overdue, period and a text query over recommendations."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    theme = ModelChoiceFilter(
        field_name="themes", to_field_name="code", queryset=Theme.objects.all(), label=_("Theme"))
    status = django_filters.ChoiceFilter(choices=RecommendationStatus.choices, label=_("Status"))
    agency = ModelChoiceFilter(
        field_name="actors__organisation", method="filter_agency",
        queryset=Organisation.objects.all(),
        label=_("Agency or partner"))
    lgu = django_filters.CharFilter(method="filter_lgu", label=_("Source LGU code"), max_length=20)
    overdue = StrictBooleanFilter(method="filter_overdue", label=_("Overdue"))
    date_from = ThaiDateFilter(field_name="created_at__date", lookup_expr="gte",
                                          label=_("Recorded from"))
    date_to = ThaiDateFilter(field_name="created_at__date", lookup_expr="lte",
                                        label=_("Recorded until"))
    fiscal_year = FiscalYearFilter(field_name="created_at__date", label=_("Recorded in fiscal year"))
    has_theme = StrictBooleanFilter(method="filter_has_theme", label=_("Has a theme"))
    is_example = StrictBooleanFilter(label=_("Example data"))

    class Meta:
        model = Recommendation
        fields = []
        form = RecommendationFilterForm

    def filter_q(self, queryset, name, value):
        text = thai.clean(value)
        if not text:
            return queryset
        query = Q()
        for field in ("title", "issue", "sub_issue", "problem", "effect", "recommendation",
                      "lgu_codes"):
            query |= Q(**{f"{field}__icontains": text})
        return queryset.filter(query)

    def filter_agency(self, queryset, name, value):
        # A subquery rather than a join: an organisation with two roles must not double a row.
        ids = RecommendationActor.objects.filter(organisation=value).values("recommendation_id")
        return queryset.filter(pk__in=ids)

    def filter_lgu(self, queryset, name, value):
        code = thai.clean(value).upper()
        if not code:
            return queryset
        linked = Recommendation.lgus.through.objects.filter(lgu__code=code).values("recommendation_id")
        pattern = rf"(^|, ){re.escape(code)}(,|$)"
        return queryset.filter(Q(lgu_codes__iregex=pattern) | Q(pk__in=linked))

    def filter_has_theme(self, queryset, name, value):
        themed = Recommendation.themes.through.objects.values("recommendation_id")
        return queryset.filter(pk__in=themed) if value else queryset.exclude(pk__in=themed)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def describe(self) -> list[tuple[str, str]]:
        """The active filters as (label, value) pairs, for the report's heading."""
        self.is_valid()
        data = getattr(self.form, "cleaned_data", {}) or {}
        described = []
        for name, value in data.items():
            if value in (None, "", [], ()):
                continue
            field = self.form.fields[name]
            if isinstance(field, forms.ChoiceField) and not hasattr(value, "pk"):
                value = dict(field.choices).get(value, value)
            elif isinstance(field, forms.NullBooleanField):
                value = _("yes") if value else _("no")
            elif isinstance(field, forms.DateField):
                value = format_date(value)
            described.append((str(self.filters[name].label), str(value)))
        return described
