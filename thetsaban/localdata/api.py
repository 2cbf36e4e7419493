"""The registries in the platform API (/api/v1/): read by everyone; written by the LGU's editors
and data stewards through the same service as the pages (audited, counted into the indicators).

The observations and datasets are exchanged over the CKAN Action API (/api/3/action/), which
harvesters and the national portal already speak."""

from django.db.models import Q
from django_filters import rest_framework as filters
from rest_framework import serializers

from thetsaban.api import (
    ModelSerializer,
    ReadWriteViewSet,
    RestrictedPrimaryKeyRelatedField,
    RestrictedSlugRelatedField,
)
from thetsaban.directory.models import Person
from thetsaban.localdata import services
from thetsaban.localdata.choices import RegistryStatus
from thetsaban.localdata.models import (
    CommunityForest,
    CommunityGroup,
    Subdistrict,
    WasteFacility,
    WaterSource,
)
from thetsaban.places.models import Lgu

COMMON = ["id", "name_th", "name_en", "registration_number", "lgu", "subdistrict", "province", "status", "founded",
          "latitude", "longitude", "notes", "is_example", "modified", "url"]


class RegistryRecordSerializer(ModelSerializer):
    # Offered and accepted among the rows the user may see, per request (the services then check
    # that the user may keep records for that LGU or subdistrict).
    lgu = RestrictedSlugRelatedField(slug_field="code", queryset=Lgu.objects.all(), required=False, allow_null=True,
                                     help_text="The code of the LGU that keeps the record.")
    subdistrict = RestrictedSlugRelatedField(slug_field="code", queryset=Subdistrict.objects.all(), required=False,
                                             allow_null=True, help_text="The subdistrict's six-digit code.")
    province = serializers.CharField(source="province.code", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        read_only_fields = ["is_example", "modified"]

    @property
    def user(self):
        return self.context["request"].user

    def validate(self, attrs):
        lgu = attrs.get("lgu", getattr(self.instance, "lgu", None))
        subdistrict = attrs.get("subdistrict", getattr(self.instance, "subdistrict", None))
        if lgu is None and subdistrict is None:
            raise serializers.ValidationError({"lgu": "Give the LGU or the subdistrict."})
        return attrs

    def create(self, validated_data):
        return services.save_registry_record(self.Meta.model(**validated_data), acting_user=self.user)

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_registry_record(instance, acting_user=self.user)


class CommunityGroupSerializer(RegistryRecordSerializer):
    contact = RestrictedPrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True,
                                               write_only=True, help_text="A directory person's id.")
    contact_person = serializers.SerializerMethodField(
        help_text="The contact person (id and name), only when they agreed to be shown and the directory "
                  "shows them to you.")

    class Meta(RegistryRecordSerializer.Meta):
        model = CommunityGroup
        fields = [*COMMON, "group_type", "members", "contact", "contact_consent", "contact_person"]

    def get_contact_person(self, group) -> dict | None:
        person = group.public_contact(self.user)
        return {"id": person.pk, "name": person.name} if person else None


class CommunityForestSerializer(RegistryRecordSerializer):
    class Meta(RegistryRecordSerializer.Meta):
        model = CommunityForest
        fields = [*COMMON, "area_rai", "households"]


class WaterSourceSerializer(RegistryRecordSerializer):
    class Meta(RegistryRecordSerializer.Meta):
        model = WaterSource
        fields = [*COMMON, "source_type", "capacity_m3", "households_served"]


class WasteFacilitySerializer(RegistryRecordSerializer):
    class Meta(RegistryRecordSerializer.Meta):
        model = WasteFacility
        fields = [*COMMON, "facility_type", "capacity_tonnes"]


def filterset_for(model):
    """Filters by LGU, province, status, example data and (where the registry has types) type."""

    class RegistryFilterSet(filters.FilterSet):
        lgu = filters.CharFilter(field_name="lgu__code", help_text="Only this LGU's records (its code).")
        province = filters.CharFilter(field_name="province__code", help_text="Only this province (its code).")
        status = filters.ChoiceFilter(choices=RegistryStatus.choices)
        q = filters.CharFilter(method="search", help_text="Part of the Thai or English name.")

        class Meta:
            fields = ["lgu", "province", "status", "is_example", *([model.TYPE_FIELD] if model.TYPE_FIELD else [])]

        def search(self, queryset, name, value):
            return queryset.filter(Q(name_th__icontains=value) | Q(name_en__icontains=value))

    RegistryFilterSet.Meta.model = model
    RegistryFilterSet.__name__ = f"{model.__name__}FilterSet"
    return RegistryFilterSet


class RegistryViewSet(ReadWriteViewSet):
    """Reads through restrict(); writes through services.save_registry_record / delete_registry_record."""

    ordering_fields = ["id", "name_th", "modified"]
    ordering = ["id"]

    def perform_destroy(self, instance):
        services.delete_registry_record(instance, acting_user=self.request.user)


def _viewset(model, serializer, doc):
    return type(f"{model.__name__}ViewSet", (RegistryViewSet,), {
        "__doc__": doc, "queryset": model.objects.select_related("lgu", "subdistrict", "province"),
        "serializer_class": serializer, "filterset_class": filterset_for(model)})


CommunityGroupViewSet = _viewset(CommunityGroup, CommunityGroupSerializer,
                                 "Community groups (social capital): savings groups, elderly clubs, volunteers, ...")
CommunityForestViewSet = _viewset(CommunityForest, CommunityForestSerializer, "Community forests with their area.")
WaterSourceViewSet = _viewset(WaterSource, WaterSourceSerializer, "Water sources with their capacity.")
WasteFacilityViewSet = _viewset(WasteFacility, WasteFacilitySerializer, "Waste facilities with their capacity.")


def register(router):
    router.register("community-groups", CommunityGroupViewSet, basename="community-group")
    router.register("community-forests", CommunityForestViewSet, basename="community-forest")
    router.register("water-sources", WaterSourceViewSet, basename="water-source")
    router.register("waste-facilities", WasteFacilityViewSet, basename="waste-facility")
