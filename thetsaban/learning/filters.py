"""One FilterSet per model: the API's lists (and any page list) filter alike."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban.dates import ThaiDateFilter
from thetsaban.filtering import IntegerFilter
from thetsaban.learning.choices import EnrolmentStatus, EventKind, EventStatus, RegistrationStatus
from thetsaban.learning.models import Course, Enrolment, Event, Registration


class EventFilterSet(django_filters.FilterSet):
    centre = django_filters.CharFilter(field_name="centre__region__code", label=_("Centre (region code)"),
                                       help_text="The region code of the centre, e.g. south.")
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=EventStatus.choices, label=_("Status"))
    host_lgu = django_filters.CharFilter(field_name="host_lgu__code", label=_("Host LGU (code)"))
    date_from = ThaiDateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"))
    date_to = ThaiDateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("To"))
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label=_("Upcoming only"),
                                            help_text="true: events that have not ended; false: past ones.")

    class Meta:
        model = Event
        fields = ["centre", "kind", "status", "host_lgu", "date_from", "date_to", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(ends_at__gte=now) if value else queryset.filter(ends_at__lt=now)


class RegistrationFilterSet(django_filters.FilterSet):
    event = IntegerFilter(field_name="event_id", label=_("Event"))
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices, label=_("Status"))
    attended = django_filters.BooleanFilter(label=_("Attended"))

    class Meta:
        model = Registration
        fields = ["event", "status", "attended"]


class CourseFilterSet(django_filters.FilterSet):
    centre = django_filters.CharFilter(field_name="centre__region__code", label=_("Centre (region code)"))
    provider = IntegerFilter(field_name="provider_id", label=_("Provider (organisation id)"))
    theme = django_filters.CharFilter(field_name="themes__code", label=_("Theme (code)"), distinct=True)
    practice = IntegerFilter(field_name="modules__practices", label=_("Uses this practice"),
                                           distinct=True)

    class Meta:
        model = Course
        fields = ["centre", "provider", "theme", "practice"]


class EnrolmentFilterSet(django_filters.FilterSet):
    course = IntegerFilter(field_name="course_id", label=_("Course"))
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices, label=_("Status"))

    class Meta:
        model = Enrolment
        fields = ["course", "status"]
