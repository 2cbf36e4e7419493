"""One FilterSet for the requests: it serves the inbox, the public lists and the map."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thetsaban.dates import ThaiDateFilter
from thetsaban.eservice.choices import CLOSED_STATUSES, Status
from thetsaban.eservice.models import ServiceRequest


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    state = django_filters.ChoiceFilter(label=_("Open or closed"), method="filter_state",
                                        choices=[("open", _("Open")), ("closed", _("Closed"))])
    service = django_filters.CharFilter(label=_("Service"), field_name="service__code")
    date_from = ThaiDateFilter(label=_("From"), field_name="requested_at", lookup_expr="date__gte")
    date_to = ThaiDateFilter(label=_("To"), field_name="requested_at", lookup_expr="date__lte")
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue",
                                           widget=django_filters.widgets.BooleanWidget)
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), method="filter_mine",
                                        widget=django_filters.widgets.BooleanWidget)

    class Meta:
        model = ServiceRequest
        fields = ["status", "state", "service", "date_from", "date_to"]

    def filter_state(self, queryset, name, value):
        return queryset.open() if value == "open" else queryset.filter(status__in=CLOSED_STATUSES)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        now = timezone.now()
        return queryset.open().filter(
            Q(fix_due_at__lt=now) | Q(status="open", ack_due_at__lt=now))

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(assigned_to=user) if value and user and user.is_authenticated else queryset
