"""The coach pool API: coaches (with application and vetting as POST actions), languages,
trainings and the coverage report."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from thetsaban.api import (
    ModelSerializer,
    RestrictedPrimaryKeyRelatedField,
    RestrictedSlugRelatedField,
    RestrictedViewSetMixin,
)
from thetsaban.coaching import coverage, services
from thetsaban.coaching.choices import Availability
from thetsaban.coaching.filters import CoachFilterSet, TrainingFilterSet
from thetsaban.coaching.models import Assignment, Coach, Competency, Language, Training
from thetsaban.directory.choices import Visibility
from thetsaban.directory.models import Organisation
from thetsaban.permissions import is_reviewer
from thetsaban.places.models import Province
from thetsaban.practices.models import Theme
from thetsaban.restapi import StrictOrderingFilter


class CoachOrderingFilter(StrictOrderingFilter):
    """`ordering=name` sorts coaches by their person's name in Thai dictionary order."""

    aliases = {"name": "person__sort_name", "-name": "-person__sort_name"}


class LanguageSerializer(ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Language
        fields = ["code", "name", "name_th", "name_en"]


class LanguageViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The working languages of coaches (ISO 639-1 codes)."""

    queryset = Language.objects.all()
    serializer_class = LanguageSerializer
    lookup_field = "code"
    filter_backends = []
    pagination_class = None


class CoachContactSerializer(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.CharField()
    label = serializers.CharField()


class CompetencySerializer(ModelSerializer):
    theme = RestrictedSlugRelatedField(slug_field="code", queryset=Theme.objects.all(),
                                         allow_null=True, required=False)
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "theme", "title", "evidence", "confirmed", "confirmed_at"]
        read_only_fields = ["id", "confirmed_at"]


class TrainingSerializer(ModelSerializer):
    provider = RestrictedPrimaryKeyRelatedField(queryset=Organisation.objects.all(),
                                                  allow_null=True, required=False)
    coach = RestrictedPrimaryKeyRelatedField(queryset=Coach.objects.all())

    class Meta:
        model = Training
        fields = ["id", "coach", "kind", "title", "provider", "completed_on", "certificate_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["coach"].queryset = Coach.objects.restrict(user, "review")


class CoachSerializer(ModelSerializer):
    """A coach as the registry shows it: only the contact details the reader may see."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    name_th = serializers.CharField(source="person.name_th", read_only=True)
    name_en = serializers.CharField(source="person.name_en", read_only=True)
    honorific = serializers.CharField(source="person.honorific", read_only=True)
    home_province = serializers.CharField(source="home_province.code", read_only=True)
    region = serializers.CharField(source="home_province.region.code", read_only=True)
    affiliation_name = serializers.SerializerMethodField()
    themes = RestrictedSlugRelatedField(slug_field="code", many=True, read_only=True)
    languages = RestrictedSlugRelatedField(slug_field="code", many=True, read_only=True)
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Coach
        fields = ["id", "url", "name", "name_th", "name_en", "honorific", "home_province",
                  "region", "affiliation", "affiliation_name", "themes", "languages", "capacity",
                  "availability", "status", "is_example", "contacts"]
        read_only_fields = fields

    def get_affiliation_name(self, coach) -> str:
        return coach.affiliation.name if coach.affiliation_id else ""

    @extend_schema_field(CoachContactSerializer(many=True))
    def get_contacts(self, coach) -> list[dict]:
        details = getattr(coach.person, "visible_contacts", [])
        return [{"kind": d.kind, "value": d.value, "label": d.label} for d in details]

    def to_representation(self, coach):
        data = super().to_representation(coach)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        # The vetting details are for the applicant and the reviewers only.
        if user is not None and (is_reviewer(user) or (user.is_authenticated
                                                        and coach.user_id == user.pk)):
            data["decision_reason"] = coach.decision_reason
            data["applied_at"] = coach.applied_at
            data["reviewed_at"] = coach.reviewed_at
        return data


class CoachProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.id")
    title = serializers.CharField(source="project.title")
    target_lgu = serializers.CharField(source="project.target_lgu.code")
    role = serializers.CharField()
    started_on = serializers.DateField()
    ended_on = serializers.DateField()


class CoachDetailSerializer(CoachSerializer):
    competencies = CompetencySerializer(many=True, read_only=True)
    trainings = TrainingSerializer(many=True, read_only=True)
    projects = serializers.SerializerMethodField()

    class Meta(CoachSerializer.Meta):
        fields = CoachSerializer.Meta.fields + ["motivation", "competencies", "trainings",
                                                "projects"]
        read_only_fields = fields

    @extend_schema_field(CoachProjectSerializer(many=True))
    def get_projects(self, coach) -> list[dict]:
        return CoachProjectSerializer(getattr(coach, "project_assignments", []), many=True).data


class CoachApplicationSerializer(serializers.Serializer):
    """A member's application to the coach pool (or a change to it)."""

    name_th = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    honorific = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    listing_consent = serializers.BooleanField(default=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.MEMBERS)
    themes = RestrictedSlugRelatedField(slug_field="code", many=True,
                                          queryset=Theme.objects.all(), required=False)
    languages = RestrictedSlugRelatedField(slug_field="code", many=True,
                                             queryset=Language.objects.all(), allow_empty=False)
    home_province = RestrictedSlugRelatedField(slug_field="code",
                                                 queryset=Province.objects.all())
    affiliation = RestrictedPrimaryKeyRelatedField(queryset=Organisation.objects.all(),
                                                     required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, max_value=20, default=1)
    availability = serializers.ChoiceField(choices=Availability.choices,
                                           default=Availability.AVAILABLE)
    motivation = serializers.CharField(required=False, allow_blank=True, default="",
                                       max_length=10000)
    competencies = CompetencySerializer(many=True, required=False)


class CoachApproveSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class CoachRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ConfirmCompetencySerializer(serializers.Serializer):
    competency = serializers.IntegerField(min_value=1)


def _denied(error):
    return exceptions.PermissionDenied(str(error) or "You cannot do this.")


class CoachViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Coaches: approved ones the reader may see, their own application, all for reviewers."""

    queryset = Coach.objects.all()
    filter_backends = [DjangoFilterBackend, CoachOrderingFilter]
    filterset_class = CoachFilterSet
    ordering_fields = ["name", "applied_at", "id"]

    def base_queryset(self):
        queryset = Coach.objects.with_details(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("competencies", queryset=Competency.objects.select_related("theme")),
                "trainings",
                Prefetch("assignments", queryset=Assignment.objects.restrict(
                    self.request.user, "view").select_related("project__target_lgu"),
                    to_attr="project_assignments"))
        return queryset

    def get_permissions(self):
        if self.action in ("apply", "approve", "reject", "confirm_competency"):
            # Who may do which is the service's rule; the object need not be "changeable".
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CoachDetailSerializer
        return CoachSerializer

    def _detail(self, coach, code=status.HTTP_200_OK):
        coach = Coach.objects.with_details(self.request.user).get(pk=coach.pk)
        return Response(CoachSerializer(coach, context=self.get_serializer_context()).data,
                        status=code)

    @extend_schema(request=CoachApplicationSerializer, responses={201: CoachSerializer})
    @action(detail=False, methods=["post"])
    def apply(self, request):
        """Apply to become a coach (a signed-in member), or change one's application."""
        form = CoachApplicationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        existing = Coach.objects.filter(user=request.user).first()
        kept, new, deleted = [], [], []
        if "competencies" in data:
            wanted = [(c.get("theme"), c["title"], c.get("evidence", "")) for c in data["competencies"]]
            for competency in (existing.competencies.all() if existing else []):
                key = (competency.theme, competency.title, competency.evidence)
                if key in wanted:
                    wanted.remove(key)
                    kept.append(competency)
                else:
                    deleted.append(competency)
            new = [Competency(theme=theme, title=title, evidence=evidence)
                   for theme, title, evidence in wanted]
        try:
            coach = services.submit_application(
                request.user, acting_user=request.user,
                person={k: data[k] for k in services.PERSON_FIELDS},
                coach={k: data.get(k) for k in services.APPLICANT_FIELDS},
                themes=data.get("themes", []), languages=data["languages"],
                competencies=new, deleted_competencies=deleted)
        except DjangoPermissionDenied as error:
            raise _denied(error) from None
        return self._detail(coach, status.HTTP_201_CREATED if existing is None else status.HTTP_200_OK)

    @extend_schema(request=CoachApproveSerializer, responses={200: CoachSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve an application (a reviewer); the applicant is told by e-mail."""
        form = CoachApproveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            coach = services.approve_coach(self.get_object(), acting_user=request.user,
                                           reason=form.validated_data["reason"])
        except DjangoPermissionDenied as error:
            raise _denied(error) from None
        return self._detail(coach)

    @extend_schema(request=CoachRejectSerializer, responses={200: CoachSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject an application with a reason (a reviewer); the applicant is told by e-mail."""
        form = CoachRejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            coach = services.reject_coach(self.get_object(), acting_user=request.user,
                                          reason=form.validated_data["reason"])
        except DjangoPermissionDenied as error:
            raise _denied(error) from None
        return self._detail(coach)

    @extend_schema(request=ConfirmCompetencySerializer, responses={200: CompetencySerializer})
    @action(detail=True, methods=["post"], url_path="confirm-competency")
    def confirm_competency(self, request, pk=None):
        """Confirm one of the coach's competencies (a reviewer)."""
        form = ConfirmCompetencySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        coach = self.get_object()
        competency = Competency.objects.filter(coach=coach,
                                               pk=form.validated_data["competency"]).first()
        if competency is None:
            raise exceptions.ValidationError(
                {"competency": "This coach has no competency with this id."})
        try:
            competency = services.confirm_competency(competency, acting_user=request.user)
        except DjangoPermissionDenied as error:
            raise _denied(error) from None
        return Response(CompetencySerializer(competency).data)


class TrainingViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Trainings and certificates of the coaches the reader may see; reviewers record them."""

    queryset = Training.objects.all()
    serializer_class = TrainingSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = TrainingFilterSet
    ordering_fields = ["completed_on", "id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def base_queryset(self):
        return Training.objects.select_related("coach")

    def get_permissions(self):
        if self.action in ("create", "destroy"):
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        coach = data.pop("coach")
        try:
            serializer.instance = services.add_training(coach, acting_user=self.request.user, **data)
        except DjangoPermissionDenied as error:
            raise _denied(error) from None

    def perform_destroy(self, instance):
        try:
            services.delete_training(instance, acting_user=self.request.user)
        except DjangoPermissionDenied as error:
            raise _denied(error) from None


class CoachCoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    municipalities = serializers.IntegerField()
    municipalities_with_active_project = serializers.IntegerField()
    coaches = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)
    target_ratio = serializers.FloatField()
    meets_target = serializers.BooleanField()
    to_recruit = serializers.IntegerField()
    share_of_coaches = serializers.FloatField(allow_null=True)
    share_of_municipalities = serializers.FloatField(allow_null=True)
    balance = serializers.FloatField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    learning_centre = serializers.CharField()
    url = serializers.CharField()


class CoachCoverageSerializer(serializers.Serializer):
    target_ratio = serializers.FloatField()
    municipal_types = serializers.ListField(child=serializers.CharField())
    national = CoachCoverageRowSerializer()
    national_shortfall = serializers.IntegerField()
    regions = CoachCoverageRowSerializer(many=True)


class CoverageViewSet(viewsets.ViewSet):
    """Coverage of municipalities by coaches, per region and nationally."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: CoachCoverageSerializer})
    def list(self, request):
        """Municipalities, coaches, ratio to the target, coaches to recruit and shares per region."""
        return Response(coverage.compute().as_dict())


def register(router):
    """Add this app's API routes."""
    router.register("coaching/coaches", CoachViewSet, basename="coaching-coach")
    router.register("coaching/languages", LanguageViewSet, basename="coaching-language")
    router.register("coaching/trainings", TrainingViewSet, basename="coaching-training")
    router.register("coaching/coverage", CoverageViewSet, basename="coaching-coverage")

