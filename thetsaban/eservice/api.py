"""The e-service in the platform API (/api/v1/): the catalogue each LGU offers, read by everyone.

Requests themselves are exchanged over the Open311 GeoReport v2 endpoint (/open311/v2/), the
standard every Open311 client and city system speaks; this API adds the catalogue with its SLA
and responsible office, which Open311 has no place for.
"""

from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from thetsaban.api import ModelSerializer, RestrictedViewSetMixin
from thetsaban.eservice.models import Attribute, Service


class AttributeSerializer(ModelSerializer):
    class Meta:
        model = Attribute
        fields = ["code", "datatype", "description", "datatype_description", "required", "order", "values"]
        read_only_fields = fields


class ServiceSerializer(ModelSerializer):
    lgu = serializers.CharField(source="lgu.code", read_only=True, allow_null=True,
                                help_text="The LGU's code; empty for the league-wide catalogue.")
    jurisdiction_id = serializers.CharField(source="lgu.jurisdiction.jurisdiction_id", read_only=True,
                                            allow_null=True, default=None)
    office = serializers.CharField(source="office.name", read_only=True, allow_null=True, default=None)
    attributes = AttributeSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = ["id", "lgu", "jurisdiction_id", "code", "name_th", "name_en", "group", "keywords",
                  "description", "office", "ack_hours", "fix_hours", "attributes"]
        read_only_fields = fields


class ServiceFilterSet(filters.FilterSet):
    lgu = filters.CharFilter(field_name="lgu__code", help_text="Only this LGU's services (its code).")
    league = filters.BooleanFilter(field_name="lgu", lookup_expr="isnull",
                                   help_text="true: only the league-wide catalogue.")

    class Meta:
        model = Service
        fields = ["lgu", "league", "group", "code"]


class ServiceViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """E-service catalogue: league-wide services and each LGU's, with SLA hours and attributes."""

    queryset = Service.objects.select_related("lgu__jurisdiction", "office").prefetch_related("attributes")
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilterSet
    ordering_fields = ["code", "id"]
    ordering = ["id"]


def register(router):
    router.register("eservice-services", ServiceViewSet, basename="eservice-service")
