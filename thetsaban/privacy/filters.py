"""The FilterSets of the privacy app (the API's request list)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from thetsaban.privacy.choices import RequestKind, RequestStatus
from thetsaban.privacy.models import SubjectRequest


class SubjectRequestFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Request"), choices=RequestKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RequestStatus.choices)

    class Meta:
        model = SubjectRequest
        fields = ["kind", "status"]
