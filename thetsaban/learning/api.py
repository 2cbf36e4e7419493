"""The learning network in the platform API (/api/v1/): events (read, with registration and
cancellation as POST actions), one's registrations, courses with their modules (read, with
enrolment as a POST action) and enrolments (one's own, a coach's completed courses, and those of
the courses one's centre keeps)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from thetsaban.api import ModelSerializer, RestrictedViewSetMixin
from thetsaban.learning import services
from thetsaban.learning.filters import (
    CourseFilterSet,
    EnrolmentFilterSet,
    EventFilterSet,
    RegistrationFilterSet,
)
from thetsaban.learning.models import Course, Enrolment, Event, Material, Module, Registration
from thetsaban.practices.models import Practice


class EventSerializer(ModelSerializer):
    centre = serializers.CharField(source="centre.region.code", read_only=True,
                                   help_text="The region code of the organising centre.")
    centre_name = serializers.CharField(source="centre.name", read_only=True)
    host_lgu = serializers.CharField(source="host_lgu.code", read_only=True, allow_null=True, default=None)
    registered = serializers.IntegerField(source="registered_count", read_only=True)
    waiting = serializers.IntegerField(source="waiting_count", read_only=True)
    # A plain string: empty for an event held in a place (an empty "uri" is not a URI).
    online_url = serializers.CharField(read_only=True, help_text="The online session's link; empty if none.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "centre", "centre_name", "kind", "status", "title", "description", "starts_at",
                  "ends_at", "place_name", "host_lgu", "latitude", "longitude", "online_url", "capacity",
                  "registered", "waiting", "is_example", "url"]
        read_only_fields = fields

    def get_url(self, event) -> str:
        return self.context["request"].build_absolute_uri(event.get_absolute_url())


class RegistrationSerializer(ModelSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    user = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "event", "user", "status", "registered_at", "cancelled_at", "attended",
                  "certificate_code"]
        read_only_fields = fields


class EventViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Events of the regional learning centres: published ones for everyone, drafts for their staff."""

    queryset = Event.objects.select_related("centre__region", "host_lgu")
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["starts_at", "id"]
    ordering = ["starts_at", "id"]

    def base_queryset(self):
        return self.queryset.with_counts()

    @extend_schema(request=None, responses={201: RegistrationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def register(self, request, pk=None):
        """Register the signed-in member: a place while there is one, otherwise the waiting list."""
        registration = services.register(self.get_object(), user=request.user, acting_user=request.user)
        return Response(RegistrationSerializer(registration, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RegistrationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def cancel(self, request, pk=None):
        """Cancel the signed-in member's registration; the first on the waiting list moves up."""
        event = self.get_object()
        registration = Registration.objects.restrict(request.user, "change").filter(
            event=event, user=request.user).exclude(status="cancelled").first()
        if registration is None:
            return Response({"detail": "You are not registered for this event."}, status=status.HTTP_400_BAD_REQUEST)
        services.cancel_registration(registration, acting_user=request.user)
        registration.refresh_from_db()
        return Response(RegistrationSerializer(registration, context={"request": request}).data)


class RegistrationViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Registrations: one's own, and those of the events of the centres one runs."""

    queryset = Registration.objects.select_related("user", "event")
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilterSet
    ordering_fields = ["registered_at", "id"]
    ordering = ["id"]


class EnrolmentSerializer(ModelSerializer):
    course = serializers.PrimaryKeyRelatedField(read_only=True)
    user = serializers.CharField(source="user.get_username", read_only=True)
    modules_done = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Enrolment
        fields = ["id", "course", "user", "status", "enrolled_at", "modules_done", "completed_at", "withdrawn_at"]
        read_only_fields = fields


class EnrolmentViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Course enrolments: one's own, coaches' completed courses, and the learners of the courses
    of the centres one runs."""

    queryset = Enrolment.objects.select_related("user").prefetch_related("modules_done")
    serializer_class = EnrolmentSerializer
    filterset_class = EnrolmentFilterSet
    ordering_fields = ["enrolled_at", "id"]
    ordering = ["id"]


class MaterialSerializer(ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="The material's link; empty for a file.")
    file = serializers.SerializerMethodField()

    class Meta:
        model = Material
        fields = ["id", "title", "url", "file"]
        read_only_fields = fields

    def get_file(self, material) -> str | None:
        if not material.file:
            return None
        from django.urls import reverse

        return self.context["request"].build_absolute_uri(reverse("learning:material", args=[material.pk]))


class ModuleSerializer(ModelSerializer):
    materials = MaterialSerializer(many=True, read_only=True)
    practices = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                   help_text="Published practices used as case studies.")

    class Meta:
        model = Module
        fields = ["id", "position", "title", "summary", "outcomes", "practices", "materials"]
        read_only_fields = fields


class CourseSerializer(ModelSerializer):
    provider = serializers.PrimaryKeyRelatedField(read_only=True)
    centre = serializers.CharField(source="centre.region.code", read_only=True, allow_null=True, default=None)
    themes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    modules = ModuleSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = ["id", "title", "summary", "outcomes", "provider", "centre", "themes", "is_published",
                  "is_example", "modules"]
        read_only_fields = fields


class CourseViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Courses of the learning network, with modules, case-study practices and materials."""

    queryset = Course.objects.select_related("centre__region")
    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet
    ordering_fields = ["title", "id"]
    ordering = ["id"]

    def base_queryset(self):
        practices = Practice.objects.restrict(self.request.user, "view").published()
        return self.queryset.prefetch_related(
            "themes", Prefetch("modules", queryset=Module.objects.prefetch_related(
                "materials", Prefetch("practices", queryset=practices))))

    @extend_schema(request=None, responses={201: EnrolmentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def enrol(self, request, pk=None):
        """Enrol the signed-in member in a published course."""
        enrolment = services.enrol(self.get_object(), user=request.user, acting_user=request.user)
        return Response(EnrolmentSerializer(enrolment, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


def register(router):
    router.register("learning-events", EventViewSet, basename="learning-event")
    router.register("learning-registrations", RegistrationViewSet, basename="learning-registration")
    router.register("learning-courses", CourseViewSet, basename="learning-course")
    router.register("learning-enrolments", EnrolmentViewSet, basename="learning-enrolment")
