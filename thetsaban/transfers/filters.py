"""One FilterSet per model of transfer projects: each serves the web list, the API and exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thetsaban import thai
from thetsaban.dates import ThaiDateFilter
from thetsaban.filtering import AnyBooleanWidget, IntegerFilter, ModelChoiceFilter
from thetsaban.pickers import PickerFilter
from thetsaban.places.models import Region
from thetsaban.places.pickers import LGUS
from thetsaban.practices.models import Theme
from thetsaban.transfers.choices import (
    ActivityProgress,
    IssueLevel,
    LogframeLevel,
    Motivation,
    ProjectStatus,
)
from thetsaban.transfers.models import (
    ActivityStatus,
    FinalEvaluation,
    Indicator,
    IndicatorReading,
    Issue,
    LogbookEntry,
    LogframeItem,
    Milestone,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)

MOTIVATION_UNKNOWN = "unknown"


class TransferProjectFilterSet(django_filters.FilterSet):
    """Filters of project lists: status, theme, region, LGU, motivation and a text query."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=_("Status"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("Active"),
                                          widget=AnyBooleanWidget)
    theme = ModelChoiceFilter(field_name="theme", to_field_name="code",
                                             queryset=Theme.objects.all(), label=_("Theme"))
    region = ModelChoiceFilter(field_name="target_lgu__province__region",
                                              to_field_name="code", queryset=Region.objects.all(),
                                              label=_("Region"))
    lgu = PickerFilter(LGUS, field_name="target_lgu", label=_("LGU"))
    motivation = django_filters.ChoiceFilter(
        method="filter_motivation", label=_("Why"),
        choices=[*Motivation.choices, (MOTIVATION_UNKNOWN, _("Not recorded"))])
    source_practice = IntegerFilter(field_name="source_practice", label=_("Source practice"))
    is_example = django_filters.BooleanFilter(label=_("Example data"))

    class Meta:
        model = TransferProject
        fields = []

    def filter_q(self, queryset, name, value):
        text = thai.clean(value)
        if not text:
            return queryset
        return queryset.filter(Q(title__icontains=text) | Q(target_lgu__name_th__icontains=text)
                               | Q(target_lgu__name_en__icontains=text) | Q(source_note__icontains=text))

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.active() if value else queryset.exclude(pk__in=queryset.active().values("pk"))

    def filter_motivation(self, queryset, name, value):
        if value == MOTIVATION_UNKNOWN:
            return queryset.filter(motivation="")
        return queryset.filter(motivation=value)


class ProjectPartFilterSet(django_filters.FilterSet):
    """The project a part belongs to."""

    project = IntegerFilter(field_name="project", label=_("Project"))


class LogframeItemFilterSet(ProjectPartFilterSet):
    level = django_filters.ChoiceFilter(choices=LogframeLevel.choices, label=_("Level"))

    class Meta:
        model = LogframeItem
        fields = []


class IndicatorFilterSet(ProjectPartFilterSet):
    class Meta:
        model = Indicator
        fields = []


class TaskforceMemberFilterSet(ProjectPartFilterSet):
    class Meta:
        model = TaskforceMember
        fields = []


class MilestoneFilterSet(ProjectPartFilterSet):
    achieved = django_filters.BooleanFilter(field_name="achieved_on", lookup_expr="isnull",
                                            exclude=True, label=_("Achieved"))

    class Meta:
        model = Milestone
        fields = []


class LogbookEntryFilterSet(ProjectPartFilterSet):
    coach = IntegerFilter(field_name="coach", label=_("Coach"))
    date_from = ThaiDateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_until = ThaiDateFilter(field_name="date", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = LogbookEntry
        fields = []


class MonitoringReportFilterSet(ProjectPartFilterSet):
    class Meta:
        model = MonitoringReport
        fields = []


class IndicatorReadingFilterSet(django_filters.FilterSet):
    report = IntegerFilter(field_name="report", label=_("Report"))

    class Meta:
        model = IndicatorReading
        fields = []


class ActivityStatusFilterSet(django_filters.FilterSet):
    report = IntegerFilter(field_name="report", label=_("Report"))
    progress = django_filters.ChoiceFilter(choices=ActivityProgress.choices, label=_("Progress"))

    class Meta:
        model = ActivityStatus
        fields = []


class StudyVisitFilterSet(ProjectPartFilterSet):
    class Meta:
        model = StudyVisit
        fields = []


class IssueFilterSet(ProjectPartFilterSet):
    level = django_filters.ChoiceFilter(choices=IssueLevel.choices, label=_("Level"))
    lgu_code = django_filters.CharFilter(method="filter_lgu_code", label=_("LGU code"), max_length=20)

    class Meta:
        model = Issue
        fields = []

    def filter_lgu_code(self, queryset, name, value):
        # A line may carry several codes, as the deck writes them: "SK,YL".
        code = value.strip().upper()
        if not code:
            return queryset
        return queryset.filter(Q(lgu_code__iexact=code) | Q(lgu_code__istartswith=code + ",")
                               | Q(lgu_code__iendswith="," + code) | Q(lgu_code__icontains="," + code + ","))


class FinalEvaluationFilterSet(ProjectPartFilterSet):
    class Meta:
        model = FinalEvaluation
        fields = []
