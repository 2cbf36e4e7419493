"""The places API: regions, provinces and LGUs, read by everyone and written by league staff.

Every record is looked up by its code, the same code the web pages use:
`/api/v1/regions/north/`, `/api/v1/provinces/90/`, `/api/v1/lgus/DEMO-SK/`.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers, viewsets

from thetsaban.accounts.services import delete_audited, save_audited
from thetsaban.api import ModelSerializer, RestrictedSlugRelatedField, RestrictedViewSetMixin
from thetsaban.permissions import is_staff
from thetsaban.pickers import picker_path
from thetsaban.places.filters import LguFilterSet, ProvinceFilterSet, RegionFilterSet
from thetsaban.places.models import Country, LearningCentre, Lgu, Province, Region
from thetsaban.places.pickers import LGUS, PROVINCES
from thetsaban.restapi import RestrictedPermission


class StaffWritesPermission(permissions.BasePermission):
    """Places are reference data: everyone reads them, only league staff write them."""

    message = _("Only league staff may change places.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_staff(request.user)


class LearningCentreSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = LearningCentre
        fields = ["id", "name", "name_th", "name_en", "host", "description"]
        read_only_fields = fields


class RegionSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)
    country = RestrictedSlugRelatedField(slug_field="code", queryset=Country.objects.all(),
                                           help_text=_("ISO code of the country."))
    province_count = serializers.IntegerField(read_only=True)
    learning_centre = LearningCentreSerializer(read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "name_th", "name_en", "country", "province_count",
                  "learning_centre", "url"]


class ProvinceSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)
    country = RestrictedSlugRelatedField(slug_field="code", queryset=Country.objects.all(),
                                           help_text=_("ISO code of the country."))
    region = RestrictedSlugRelatedField(slug_field="code", queryset=Region.objects.all(),
                                          help_text=_("Code of the region."))
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Province
        fields = ["id", "code", "name", "name_th", "name_en", "country", "region", "url"]


class LguSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)
    province = RestrictedSlugRelatedField(slug_field="code", queryset=Province.objects.all(),
                                            help_text=_("Two-digit code of the province."))
    region = serializers.CharField(source="province.region.code", read_only=True,
                                   help_text=_("Code of the province's region."))
    lgu_type_display = serializers.CharField(source="get_lgu_type_display", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Lgu
        fields = ["id", "code", "name", "name_th", "name_en", "short_name", "lgu_type",
                  "lgu_type_display", "province", "region", "population", "website",
                  "latitude", "longitude", "url"]


class PlaceViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Reads for everyone; writes by staff, through save_audited so each leaves an audit entry."""

    permission_classes = [RestrictedPermission, StaffWritesPermission]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    ordering = ["sort_name"]

    def perform_create(self, serializer):
        instance = serializer.Meta.model(**serializer.validated_data)
        save_audited(instance, acting_user=self.request.user)
        serializer.instance = self.get_queryset().get(pk=instance.pk)

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        save_audited(instance, acting_user=self.request.user)
        serializer.instance = self.get_queryset().get(pk=instance.pk)

    def perform_destroy(self, instance):
        # A place other records still use is a 409 (restapi.exception_handler).
        delete_audited(instance, acting_user=self.request.user)


class RegionViewSet(PlaceViewSet):
    """The regions of the league's learning network, looked up by code (e.g. `north`)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["name", "code"]

    def base_queryset(self):
        # Meta.ordering is not applied to aggregating queries, so it is repeated (stable pages).
        return (Region.objects.select_related("country", "learning_centre")
                .annotate(province_count=Count("provinces")).order_by("sort_name"))


class ProvinceViewSet(PlaceViewSet):
    """The provinces, looked up by their official two-digit code (e.g. `90`)."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet
    ordering_fields = ["name", "code"]

    def base_queryset(self):
        return Province.objects.select_related("country", "region")


class LguViewSet(PlaceViewSet):
    """Local governments, looked up by their code in the national list (e.g. `DEMO-SK`)."""

    queryset = Lgu.objects.all()
    serializer_class = LguSerializer
    filterset_class = LguFilterSet
    ordering_fields = ["name", "code", "population", "lgu_type"]

    def base_queryset(self):
        return Lgu.objects.with_place()


def register(router):
    """Add this app's API routes."""
    router.register("regions", RegionViewSet, basename="region")
    router.register("provinces", ProvinceViewSet, basename="province")
    router.register("lgus", LguViewSet, basename="lgu")


# Served under /api/v1/ beside the router's routes (see thetsaban/hooks.py): the autocomplete boxes.
api_urlpatterns = [picker_path(LGUS), picker_path(PROVINCES)]
