"""The practices API: themes and practices, with the review workflow as POST actions."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from thetsaban.accounts.services import save_audited
from thetsaban.api import (
    ModelSerializer,
    RestrictedPrimaryKeyRelatedField,
    RestrictedSlugRelatedField,
    RestrictedViewSetMixin,
)
from thetsaban.directory.models import Person
from thetsaban.permissions import is_staff
from thetsaban.pickers import picker_path
from thetsaban.places.models import Lgu
from thetsaban.practices import services
from thetsaban.practices.choices import Tier
from thetsaban.practices.filters import PracticeFilterSet
from thetsaban.practices.models import (
    Practice,
    PracticeAttachment,
    PracticePartner,
    PracticeResult,
    PracticeStep,
    Theme,
)
from thetsaban.practices.pickers import PRACTICES
from thetsaban.restapi import StrictOrderingFilter


class ThemeSerializer(ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Theme
        fields = ["id", "code", "name", "name_th", "name_en", "description", "position"]


class ThemeViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """The themes: everyone reads them, league staff change them."""

    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer
    lookup_field = "code"
    filter_backends = [StrictOrderingFilter]
    ordering_fields = ["position", "code"]
    ordering = ["position", "code"]
    pagination_class = None
    # Themes are not deleted (rename them instead), so DELETE is not an operation at all.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _check_staff(self):
        if not is_staff(self.request.user):
            raise exceptions.PermissionDenied("Only league staff can change themes.")

    def perform_create(self, serializer):
        self._check_staff()
        serializer.instance = save_audited(Theme(**serializer.validated_data),
                                           acting_user=self.request.user)

    def perform_update(self, serializer):
        self._check_staff()
        theme = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(theme, name, value)
        serializer.instance = save_audited(theme, acting_user=self.request.user)


class StepSerializer(ModelSerializer):
    class Meta:
        model = PracticeStep
        fields = ["position", "title", "description", "output", "people", "budget", "lessons"]


class ResultSerializer(ModelSerializer):
    class Meta:
        model = PracticeResult
        fields = ["description", "indicator", "baseline", "value", "unit"]


class PartnerSerializer(ModelSerializer):
    organisation_name = serializers.SerializerMethodField()

    class Meta:
        model = PracticePartner
        fields = ["organisation", "organisation_name", "name", "support", "detail"]

    def get_organisation_name(self, partner) -> str:
        return partner.organisation.name if partner.organisation_id else partner.name


class AttachmentSerializer(ModelSerializer):
    class Meta:
        model = PracticeAttachment
        fields = ["kind", "title", "file", "size", "extension"]


class PracticeSerializer(ModelSerializer):
    """A practice for lists: its text, place and facets; children only on the detail."""

    lgu = RestrictedSlugRelatedField(slug_field="code", queryset=Lgu.objects.all())
    lgu_name = serializers.CharField(source="lgu.name", read_only=True)
    province = serializers.CharField(source="lgu.province.code", read_only=True)
    themes = RestrictedSlugRelatedField(slug_field="code", many=True,
                                          queryset=Theme.objects.all())
    contacts = RestrictedPrimaryKeyRelatedField(many=True, required=False,
                                                  queryset=Person.objects.all())
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id", "url", "lgu", "lgu_name", "province", "title_th", "title_en", "summary",
            "situation_before", "objectives", "resources", "budget_baht", "start_date",
            "end_date", "transferability", "lessons", "failures", "themes", "contacts",
            "maturity", "recognition", "recognition_detail", "status", "tier",
            "review_comment", "submitted_at", "published_at", "is_example", "source_note",
        ]
        read_only_fields = ["status", "tier", "review_comment", "submitted_at", "published_at",
                            "is_example", "source_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if "contacts" in self.fields:
            # Only people the user may see can be named as contacts.
            self.fields["contacts"].child_relation.queryset = Person.objects.restrict(user, "view")

    def validate(self, attrs):
        # The model's own rules (cleaning Thai text, recognition needs a name) run in the service.
        if not attrs.get("themes", True):
            raise serializers.ValidationError({"themes": "Choose at least one theme."})
        return attrs


class PracticeDetailSerializer(PracticeSerializer):
    steps = StepSerializer(many=True, read_only=True)
    results = ResultSerializer(many=True, read_only=True)
    partners = PartnerSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(PracticeSerializer.Meta):
        fields = PracticeSerializer.Meta.fields + ["steps", "results", "partners", "attachments"]


class PublishSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000)


class WorkflowPermission(permissions.IsAuthenticated):
    """Workflow actions need a signed-in user; who may do which is the service's rule."""


class PracticeViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Practices: the published ones for everyone, drafts for their LGU's editors and staff."""

    queryset = Practice.objects.all()
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = PracticeFilterSet
    ordering_fields = ["published_at", "start_date", "sort_title", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def base_queryset(self):
        queryset = Practice.objects.select_related("lgu", "lgu__province").prefetch_related(
            "themes",
            Prefetch("contacts", queryset=Person.objects.restrict(self.request.user, "view")),
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "steps", "results", "attachments", "partners__organisation")
        return queryset

    def get_permissions(self):
        if self.action in ("submit", "publish", "return_"):
            return [WorkflowPermission()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PracticeDetailSerializer
        return PracticeSerializer

    def _save(self, serializer, practice):
        data = dict(serializer.validated_data)
        themes = data.pop("themes", None)
        contacts = data.pop("contacts", None)
        for name, value in data.items():
            setattr(practice, name, value)
        try:
            serializer.instance = services.save_practice(
                practice, acting_user=self.request.user, themes=themes, contacts=contacts)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None

    def perform_create(self, serializer):
        self._save(serializer, Practice())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def _transition(self, request, run):
        practice = self.get_object()
        try:
            practice = run(practice)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        practice = self.base_queryset().get(pk=practice.pk)
        return Response(PracticeSerializer(practice, context=self.get_serializer_context()).data,
                        status=status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send the practice to the reviewers (an editor of its LGU)."""
        return self._transition(request, lambda p: services.submit_practice(
            p, acting_user=request.user))

    @action(detail=True, methods=["post"], serializer_class=PublishSerializer)
    def publish(self, request, pk=None):
        """Publish a submitted practice at a tier (a reviewer)."""
        form = PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._transition(request, lambda p: services.publish_practice(
            p, acting_user=request.user, tier=form.validated_data["tier"],
            comment=form.validated_data.get("comment", "")))

    @action(detail=True, methods=["post"], url_path="return", serializer_class=ReturnSerializer)
    def return_(self, request, pk=None):
        """Return a submitted practice with comments (a reviewer)."""
        form = ReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._transition(request, lambda p: services.return_practice(
            p, acting_user=request.user, comment=form.validated_data["comment"]))


def register(router):
    """Add this app's API routes."""
    router.register("themes", ThemeViewSet, basename="theme")
    router.register("practices", PracticeViewSet, basename="practice")


# Served under /api/v1/ beside the router's routes (see thetsaban/hooks.py): the autocomplete box.
api_urlpatterns = [picker_path(PRACTICES)]
