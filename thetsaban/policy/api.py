"""The policy API: recommendations with their agencies, partners and timeline, the coverage
checks and the report (JSON, with links to the printable page, XLSX and DOCX)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from thetsaban.api import (
    ModelSerializer,
    RestrictedPrimaryKeyRelatedField,
    RestrictedSlugRelatedField,
    RestrictedViewSetMixin,
)
from thetsaban.directory.models import Organisation
from thetsaban.filtering import integer_range
from thetsaban.places.models import Lgu
from thetsaban.policy import services
from thetsaban.policy.choices import ActorRole, Level, RecommendationStatus
from thetsaban.policy.coverage import build_coverage, parse_days
from thetsaban.policy.filters import RecommendationFilterSet
from thetsaban.policy.models import Recommendation, RecommendationActor, RecommendationUpdate
from thetsaban.policy.report import build_report
from thetsaban.practices.models import Practice, Theme, validate_attachment
from thetsaban.restapi import ObjectJSONParser, StrictOrderingFilter
from thetsaban.transfers.models import Issue, TransferProject


class ActorSerializer(ModelSerializer):
    organisation = RestrictedPrimaryKeyRelatedField(queryset=Organisation.objects.all())
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    role = serializers.ChoiceField(choices=ActorRole.choices)

    class Meta:
        model = RecommendationActor
        fields = ["organisation", "organisation_name", "role", "note"]


class UpdateSerializer(ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RecommendationUpdate
        fields = ["id", "date", "text", "status", "progress", "attachment", "attachment_size",
                  "author", "created_at"]
        read_only_fields = fields


class UpdateWriteSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    text = serializers.CharField(max_length=5000)
    status = serializers.ChoiceField(choices=RecommendationStatus.choices, required=False,
                                     allow_blank=True)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    attachment = serializers.FileField(required=False, allow_null=True)

    def validate_attachment(self, upload):
        if upload:
            try:
                validate_attachment(upload)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
        return upload


class RecommendationSerializer(ModelSerializer):
    """A recommendation with its agencies and partners (writable) and its timeline (read)."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    themes = RestrictedSlugRelatedField(slug_field="code", many=True, required=False,
                                          queryset=Theme.objects.all())
    lgus = RestrictedSlugRelatedField(slug_field="code", many=True, required=False,
                                        queryset=Lgu.objects.all())
    issues = RestrictedPrimaryKeyRelatedField(many=True, required=False, queryset=Issue.objects.all())
    projects = RestrictedPrimaryKeyRelatedField(many=True, required=False,
                                                  queryset=TransferProject.objects.all())
    practices = RestrictedPrimaryKeyRelatedField(many=True, required=False,
                                                   queryset=Practice.objects.all())
    # A relation rather than `source="owner.username"`: null without an owner, even in a PATCH
    # answer (where DRF drops a field whose dotted source fails instead of using its default).
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    actors = ActorSerializer(many=True, required=False)
    updates = UpdateSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=RecommendationStatus.choices, required=False)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)

    class Meta:
        model = Recommendation
        fields = [
            "id", "url", "level", "themes", "title", "issue", "sub_issue", "problem", "effect",
            "recommendation", "lgu_codes", "lgus", "issues", "projects", "practices",
            "documents", "owner", "planned_start", "planned_end", "actual_start", "actual_end",
            "target_what", "target_amount", "target_date", "target_source", "status",
            "progress", "source", "is_example", "actors", "updates", "created_at", "updated_at",
        ]
        read_only_fields = ["progress", "is_example", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if "practices" in self.fields:
            self.fields["practices"].child_relation.queryset = (
                Practice.objects.restrict(user, "view").published())

    def validate_status(self, value):
        if self.instance is not None and value != self.instance.status:
            raise serializers.ValidationError(
                "The status changes through a timeline update: POST …/updates/ with a status.")
        if self.instance is None and value not in services.INITIAL_STATUSES:
            raise serializers.ValidationError("A new recommendation is a draft or proposed.")
        return value

    def validate(self, attrs):
        start, end = attrs.get("planned_start"), attrs.get("planned_end")
        if self.instance is not None:
            start = start if "planned_start" in attrs else self.instance.planned_start
            end = end if "planned_end" in attrs else self.instance.planned_end
        if start and end and end < start:
            raise serializers.ValidationError({"planned_end": "The planned end cannot be before "
                                                              "the planned start."})
        return attrs


class PromoteIssueSerializer(serializers.Serializer):
    issue = serializers.IntegerField(min_value=1, max_value=integer_range()[1],
                                     help_text="The id of an issue-log item.")
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)


class RecommendationViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Recommendations: public unless drafts; staff and the owner change them."""

    queryset = Recommendation.objects.all()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["created_at", "updated_at", "level", "status", "progress", "planned_end",
                       "target_date", "id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    parser_classes = [ObjectJSONParser, MultiPartParser, FormParser]

    def base_queryset(self):
        return Recommendation.objects.in_level_order().select_related("owner").prefetch_related(
            "themes", "lgus", "issues", "projects", "practices",
            Prefetch("actors", queryset=RecommendationActor.objects.select_related("organisation")),
            Prefetch("updates", queryset=RecommendationUpdate.objects.select_related("author")))

    def _save(self, serializer, recommendation):
        data = dict(serializer.validated_data)
        m2m = {name: data.pop(name, None) for name in ("themes", "lgus", "issues", "projects",
                                                       "practices")}
        actors = data.pop("actors", None)
        for name, value in data.items():
            setattr(recommendation, name, value)
        try:
            serializer.instance = services.save_recommendation(
                recommendation, acting_user=self.request.user, **m2m,
                actors=None if actors is None else [
                    (a["organisation"], a["role"], a.get("note", "")) for a in actors])
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        serializer.instance = self.base_queryset().get(pk=serializer.instance.pk)

    def perform_create(self, serializer):
        self._save(serializer, Recommendation())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(request=UpdateWriteSerializer, responses={201: UpdateSerializer})
    @action(detail=True, methods=["post"], serializer_class=UpdateWriteSerializer,
            permission_classes=[permissions.IsAuthenticated])
    def updates(self, request, pk=None):
        """Add a dated timeline entry (optionally a new status, progress and an attachment)."""
        recommendation = self.get_object()
        form = UpdateWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            update = services.add_update(
                recommendation, acting_user=request.user, text=data["text"], date=data.get("date"),
                status=data.get("status") or "", progress=data.get("progress"),
                attachment=data.get("attachment"))
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response(UpdateSerializer(update, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=PromoteIssueSerializer, responses={201: RecommendationSerializer})
    @action(detail=False, methods=["post"], url_path="promote-issue",
            permission_classes=[permissions.IsAuthenticated])
    def promote_issue(self, request):
        """Promote an issue-log item of a transfer project into a recommendation (linked both ways)."""
        form = PromoteIssueSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        issue_id, level = form.validated_data["issue"], form.validated_data.get("level") or None
        issue = Issue.objects.restrict(request.user, "view").select_related("project").filter(
            pk=issue_id).first()
        if issue is None:
            raise exceptions.ValidationError({"issue": f"No issue-log item has the id {issue_id}."})
        try:
            recommendation = services.promote_issue(issue, request.user, level=level)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        recommendation = self.base_queryset().get(pk=recommendation.pk)
        return Response(RecommendationSerializer(recommendation,
                                                 context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


def _filtered(request):
    filterset = RecommendationFilterSet(
        request.query_params, queryset=Recommendation.objects.restrict(request.user, "view"))
    if not filterset.is_valid():
        raise exceptions.ValidationError(filterset.errors)
    return filterset


_FILTER_PARAMETERS = [
    OpenApiParameter("level", OpenApiTypes.STR, enum=Level.values),
    OpenApiParameter("theme", OpenApiTypes.STR, description="Theme code"),
    OpenApiParameter("status", OpenApiTypes.STR, enum=RecommendationStatus.values),
    OpenApiParameter("agency", OpenApiTypes.INT, description="Organisation id"),
    OpenApiParameter("lgu", OpenApiTypes.STR, description="Source LGU code"),
    OpenApiParameter("overdue", OpenApiTypes.BOOL),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("fiscal_year", OpenApiTypes.STR,
                     description="Thai fiscal year (1 October to 30 September) as its Buddhist Era "
                                 "year, e.g. 2569; a Gregorian year only where unambiguous (2026)."),
    OpenApiParameter("q", OpenApiTypes.STR),
]


class CoverageViewSet(viewsets.ViewSet):
    """The critique as checks: themes × levels, missing agency/partners/time frame/target,
    overdue, and no update for `days` days (default 90)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=_FILTER_PARAMETERS + [OpenApiParameter(
            "days", OpenApiTypes.INT, description="No update for this many days (1–3650, default 90)")],
        responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        filterset = _filtered(request)
        try:
            days = parse_days(request.query_params.get("days"))
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        return Response(build_coverage(filterset.qs, days=days))


class ReportViewSet(viewsets.ViewSet):
    """The policy-recommendations report by level as JSON, with links to the printable page,
    the XLSX workbook and the DOCX document for the same filters."""

    permission_classes = [permissions.AllowAny]
    throttle_scope = "expensive"

    @extend_schema(parameters=_FILTER_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        filterset = _filtered(request)
        report = build_report(filterset.qs, filters=filterset.describe(),
                              level=filterset.form.cleaned_data.get("level"))
        query = request.query_params.urlencode()
        suffix = f"?{query}" if query else ""
        for section in report["sections"]:
            for row in section["rows"]:
                row.pop("cells", None)
        report["generated"] = report["generated"].isoformat()
        report["filters"] = [{"label": label, "value": value} for label, value in report["filters"]]
        report["downloads"] = {
            "html": request.build_absolute_uri(reverse("policy:report") + suffix),
            "xlsx": request.build_absolute_uri(reverse("policy:report_xlsx") + suffix),
            "docx": request.build_absolute_uri(reverse("policy:report_docx") + suffix),
        }
        return Response(report)


def register(router):
    """Add this app's API routes."""
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
    router.register("policy-coverage", CoverageViewSet, basename="policy-coverage")
    router.register("policy-report", ReportViewSet, basename="policy-report")
