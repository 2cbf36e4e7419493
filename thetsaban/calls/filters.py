"""The API's filters of entries and scores."""

import django_filters
from django.utils.translation import gettext_lazy as _

from thetsaban.calls.models import CallStatus, Entry, Score
from thetsaban.filtering import IntegerFilter


class CallFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CallStatus.choices, label=_("Status"))


class EntryFilterSet(django_filters.FilterSet):
    call = IntegerFilter(field_name="call_id", label=_("Call (id)"))

    class Meta:
        model = Entry
        fields = []


class ScoreFilterSet(django_filters.FilterSet):
    call = IntegerFilter(field_name="entry__call_id", label=_("Call (id)"))
    entry = IntegerFilter(field_name="entry_id", label=_("Entry (id)"))

    class Meta:
        model = Score
        fields = []
