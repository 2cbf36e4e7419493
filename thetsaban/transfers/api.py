"""The transfer projects API: projects with nested summaries, and each part of a project.

Reads are public; every write goes through restrict() (object permissions) and the service
functions (which check the rule again, validate and audit).
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from thetsaban.api import (
    ModelSerializer,
    RestrictedPrimaryKeyRelatedField,
    RestrictedSlugRelatedField,
    RestrictedViewSetMixin,
)
from thetsaban.coaching.models import Language
from thetsaban.directory.models import Person
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Practice, Theme
from thetsaban.restapi import StrictOrderingFilter
from thetsaban.transfers import filters, services
from thetsaban.transfers.choices import ProjectStatus
from thetsaban.transfers.models import (
    ActivityStatus,
    FinalEvaluation,
    Indicator,
    IndicatorReading,
    Issue,
    LogbookEntry,
    LogframeItem,
    Milestone,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)
from thetsaban.transfers.visibility import logbook_with_visible_coaches, visible_assignments

# -- parts ------------------------------------------------------------------------------------


class LogframeItemSerializer(ModelSerializer):
    class Meta:
        model = LogframeItem
        fields = ["id", "project", "level", "parent", "position", "text", "responsible", "starts_on",
                  "ends_on", "budget_baht", "assumptions", "risks"]


class IndicatorSerializer(ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "project", "item", "name", "unit", "baseline", "target", "target_date", "source"]


class TaskforceMemberSerializer(ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = TaskforceMember
        fields = ["id", "project", "person", "person_name", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "person" in self.fields:
            user = getattr(self.context.get("request"), "user", None)
            self.fields["person"].queryset = Person.objects.restrict(user, "view")


class MilestoneSerializer(ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "project", "title", "due_on", "achieved_on"]


class LogbookEntrySerializer(ModelSerializer):
    coach_name = serializers.SerializerMethodField()

    class Meta:
        model = LogbookEntry
        fields = ["id", "project", "date", "activity", "milestone", "outcome", "next_step", "coach",
                  "coach_name", "created_at"]
        read_only_fields = ["coach", "created_at"]

    def get_coach_name(self, entry) -> str:
        # A coach is named only to those who may see them in the registry (consent).
        return entry.coach.person.name if getattr(entry, "coach_visible", False) else ""


class ReadingSerializer(ModelSerializer):
    class Meta:
        model = IndicatorReading
        fields = ["indicator", "actual", "comment"]


class ActivityStatusSerializer(ModelSerializer):
    class Meta:
        model = ActivityStatus
        fields = ["item", "progress", "comment"]


class MonitoringReportSerializer(ModelSerializer):
    """A report with its matrix: readings per indicator and the progress of each activity."""

    readings = ReadingSerializer(many=True, required=False)
    activity_statuses = ActivityStatusSerializer(many=True, required=False)

    class Meta:
        model = MonitoringReport
        fields = ["id", "project", "period_start", "period_end", "narrative", "readings",
                  "activity_statuses", "created_at"]
        read_only_fields = ["created_at"]
        # The pairs are checked by the service (one reading per indicator, replaced as a whole).
        validators = []

    def validate(self, attrs):
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"period_end": "The period cannot end before it starts."})
        for name, key in (("readings", "indicator"), ("activity_statuses", "item")):
            seen = [row[key].pk for row in attrs.get(name) or ()]
            if len(seen) != len(set(seen)):
                raise serializers.ValidationError({name: f"Each {key} may appear only once."})
        return attrs


class StudyVisitSerializer(ModelSerializer):
    host_lgu = RestrictedSlugRelatedField(slug_field="code", queryset=Lgu.objects.all(),
                                            required=False, allow_null=True)

    class Meta:
        model = StudyVisit
        fields = ["id", "project", "host_lgu", "visited_on", "participants", "participant_count",
                  "purpose", "findings"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "participants" in self.fields:
            user = getattr(self.context.get("request"), "user", None)
            self.fields["participants"].child_relation.queryset = Person.objects.restrict(user, "view")
            self.fields["participants"].required = False


class IssueSerializer(ModelSerializer):
    class Meta:
        model = Issue
        fields = ["id", "project", "level", "problem", "effect", "recommendation", "lgu_code",
                  "raised_on", "position"]


class FinalEvaluationSerializer(ModelSerializer):
    class Meta:
        model = FinalEvaluation
        fields = ["id", "project", "summary", "achievements", "lessons", "sustainability", "rating",
                  "evaluated_on"]


class ProjectPartViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """A part of a project: public reads; writes by the service named in `save`."""

    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["id"]
    ordering = ["id"]
    save = None  # a services function: save(obj, *, acting_user, **extra)

    def extra_save_arguments(self, data: dict) -> dict:
        """Values the service takes beside the record itself (popped from `data`)."""
        return {}

    def _save(self, serializer, obj):
        data = dict(serializer.validated_data)
        extra = self.extra_save_arguments(data)
        for name, value in data.items():
            setattr(obj, name, value)
        serializer.instance = type(self).save(obj, acting_user=self.request.user, **extra)

    def perform_create(self, serializer):
        self._save(serializer, self.queryset.model())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        services.delete_part(instance, acting_user=self.request.user)


class LogframeItemViewSet(ProjectPartViewSet):
    """The logframe items of projects: goals, outcomes, outputs and activities."""

    queryset = LogframeItem.objects.all()
    serializer_class = LogframeItemSerializer
    filterset_class = filters.LogframeItemFilterSet
    ordering_fields = ["id", "position", "starts_on", "ends_on"]
    save = services.save_logframe_item


class IndicatorViewSet(ProjectPartViewSet):
    """Indicators with baseline and target."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = filters.IndicatorFilterSet
    save = services.save_indicator


class TaskforceMemberViewSet(ProjectPartViewSet):
    """Members of local taskforces (persons of the directory)."""

    queryset = TaskforceMember.objects.all()
    serializer_class = TaskforceMemberSerializer
    filterset_class = filters.TaskforceMemberFilterSet
    save = services.save_taskforce_member

    def base_queryset(self):
        # Only people the user may see in the directory are listed.
        return TaskforceMember.objects.select_related("person").filter(
            person__in=Person.objects.restrict(self.request.user, "view"))


class MilestoneViewSet(ProjectPartViewSet):
    """Milestones, planned and achieved."""

    queryset = Milestone.objects.all()
    serializer_class = MilestoneSerializer
    filterset_class = filters.MilestoneFilterSet
    ordering_fields = ["id", "due_on", "achieved_on"]
    save = services.save_milestone


class LogbookEntryViewSet(ProjectPartViewSet):
    """Coaches' logbook entries: written by the project's coaches and its LGU's editors."""

    queryset = LogbookEntry.objects.all()
    serializer_class = LogbookEntrySerializer
    filterset_class = filters.LogbookEntryFilterSet
    ordering_fields = ["id", "date"]
    save = services.save_logbook_entry

    def base_queryset(self):
        return logbook_with_visible_coaches(self.request.user)


class MonitoringReportViewSet(ProjectPartViewSet):
    """Monitoring reports with their matrix (readings and activity statuses)."""

    queryset = MonitoringReport.objects.all()
    serializer_class = MonitoringReportSerializer
    filterset_class = filters.MonitoringReportFilterSet
    ordering_fields = ["id", "period_start", "period_end"]

    def base_queryset(self):
        return MonitoringReport.objects.prefetch_related("readings", "activity_statuses")

    def extra_save_arguments(self, data):
        readings = data.pop("readings", None)
        statuses = data.pop("activity_statuses", None)
        return {
            "readings": None if readings is None else [
                services.Reading(r["indicator"], r["actual"], r.get("comment", "")) for r in readings],
            "statuses": None if statuses is None else [
                services.Progress(s["item"], s["progress"], s.get("comment", "")) for s in statuses],
        }

    @staticmethod
    def save(report, *, acting_user, readings=None, statuses=None):
        return services.save_report(report, acting_user=acting_user, readings=readings, statuses=statuses)

    def _save(self, serializer, obj):
        super()._save(serializer, obj)
        # The matrix was replaced: read it again for the response.
        serializer.instance = self.base_queryset().get(pk=serializer.instance.pk)


class StudyVisitViewSet(ProjectPartViewSet):
    """Study visits to the LGU the practice comes from."""

    queryset = StudyVisit.objects.all()
    serializer_class = StudyVisitSerializer
    filterset_class = filters.StudyVisitFilterSet
    ordering_fields = ["id", "visited_on"]
    save = services.save_study_visit

    def base_queryset(self):
        return StudyVisit.objects.select_related("host_lgu").prefetch_related(
            Prefetch("participants", queryset=Person.objects.restrict(self.request.user, "view")))

    def extra_save_arguments(self, data):
        if "participants" in data:
            return {"participants": data.pop("participants")}
        return {}


class IssueViewSet(ProjectPartViewSet):
    """The issue log: problem, effect, recommendation, level and the LGU's code."""

    queryset = Issue.objects.all()
    serializer_class = IssueSerializer
    filterset_class = filters.IssueFilterSet
    ordering_fields = ["id", "level", "position"]
    save = services.save_issue


class FinalEvaluationViewSet(ProjectPartViewSet):
    """Final evaluations of projects."""

    queryset = FinalEvaluation.objects.order_by("pk")
    serializer_class = FinalEvaluationSerializer
    filterset_class = filters.FinalEvaluationFilterSet
    save = services.save_evaluation


# -- projects ---------------------------------------------------------------------------------


class CoachSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="coach_id")
    name = serializers.CharField(source="coach.person.name")
    role = serializers.CharField()
    ended_on = serializers.DateField()


class TaskforceSummarySerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    role = serializers.CharField()


def _count(model, field="project"):
    """The number of `model` rows of the outer project, as a subquery (no row multiplication)."""
    return Coalesce(Subquery(model.objects.filter(**{field: OuterRef("pk")}).order_by()
                             .values(field).annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), 0)


class ProjectSerializer(ModelSerializer):
    """A project with read-only summaries of its LGU, source, coach team and records."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    target_lgu = RestrictedSlugRelatedField(slug_field="code", queryset=Lgu.objects.all())
    target_lgu_name = serializers.CharField(source="target_lgu.name", read_only=True)
    region = serializers.CharField(source="target_lgu.province.region.code", read_only=True)
    source_practice = RestrictedPrimaryKeyRelatedField(queryset=Practice.objects.all(), required=False,
                                                         allow_null=True)
    # Methods rather than dotted sources with a default: DRF drops such a field from a PATCH
    # answer when the project has no source practice.
    source_practice_title = serializers.SerializerMethodField()
    source_lgu = serializers.SerializerMethodField()
    theme = RestrictedSlugRelatedField(slug_field="code", queryset=Theme.objects.all(), required=False,
                                         allow_null=True)
    language = RestrictedSlugRelatedField(slug_field="code", required=False, allow_null=True,
                                            queryset=Language.objects.all())
    coaches = CoachSummarySerializer(source="assignments", many=True, read_only=True)
    logbook_entries = serializers.IntegerField(source="n_logbook", read_only=True)
    reports = serializers.IntegerField(source="n_reports", read_only=True)
    issues = serializers.IntegerField(source="n_issues", read_only=True)

    class Meta:
        model = TransferProject
        fields = ["id", "url", "title", "target_lgu", "target_lgu_name", "region", "source_practice",
                  "source_practice_title", "source_lgu", "source_note", "theme", "language",
                  "motivation", "motivation_text", "status", "planned_start", "planned_end",
                  "actual_start", "actual_end", "is_example", "coaches", "logbook_entries", "reports",
                  "issues", "created_at"]
        read_only_fields = ["status", "actual_start", "actual_end", "is_example", "created_at"]

    def get_source_practice_title(self, project) -> str:
        return project.source_practice.title if project.source_practice_id else ""

    def get_source_lgu(self, project) -> str:
        return project.source_practice.lgu.code if project.source_practice_id else ""


class ProjectDetailSerializer(ProjectSerializer):
    """A project with its whole record, read-only; each part is written at its own endpoint."""

    taskforce = TaskforceSummarySerializer(many=True, read_only=True)
    logframe = LogframeItemSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    study_visits = StudyVisitSerializer(many=True, read_only=True)
    issue_log = IssueSerializer(source="issues", many=True, read_only=True)
    evaluation = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = ProjectSerializer.Meta.fields + ["taskforce", "logframe", "indicators", "milestones",
                                                  "study_visits", "issue_log", "evaluation"]

    @extend_schema_field(FinalEvaluationSerializer(allow_null=True))
    def get_evaluation(self, project):
        evaluation = getattr(project, "evaluation", None) if hasattr(project, "evaluation") else None
        return FinalEvaluationSerializer(evaluation).data if evaluation else None


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class TransferProjectViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Transfer projects: public reads; the adopting LGU's editors and staff write them."""

    queryset = TransferProject.objects.all()
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = filters.TransferProjectFilterSet
    ordering_fields = ["id", "created_at", "planned_start", "actual_start", "title"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def base_queryset(self):
        user = self.request.user
        queryset = (TransferProject.objects
                    .select_related("target_lgu__province__region", "source_practice__lgu", "theme", "language")
                    .prefetch_related(Prefetch("assignments", queryset=visible_assignments(user)))
                    .annotate(n_logbook=_count(LogbookEntry), n_reports=_count(MonitoringReport),
                              n_issues=_count(Issue)))
        if self.action == "retrieve":
            queryset = queryset.select_related("evaluation").prefetch_related(
                Prefetch("taskforce", queryset=TaskforceMember.objects.select_related("person")
                         .filter(person__in=Person.objects.restrict(user, "view"))),
                "logframe", "indicators", "milestones", "issues",
                Prefetch("study_visits", queryset=StudyVisit.objects.select_related("host_lgu")
                         .prefetch_related(Prefetch("participants",
                                                    queryset=Person.objects.restrict(user, "view")))))
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProjectDetailSerializer
        if self.action == "change_status":
            return StatusChangeSerializer
        return ProjectSerializer

    def _save(self, serializer, project):
        for name, value in serializer.validated_data.items():
            setattr(project, name, value)
        project = services.save_project(project, acting_user=self.request.user)
        serializer.instance = self.base_queryset().get(pk=project.pk)

    def perform_create(self, serializer):
        self._save(serializer, TransferProject())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(request=StatusChangeSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        """Move the project to another IATI status (pipeline, implementation, finalisation, closed,
        cancelled, suspended); illegal moves are a 400 naming the allowed ones."""
        project = self.get_object()
        if not services.may(request.user, project, "change"):
            raise exceptions.PermissionDenied("Only the adopting LGU's editors and league staff can do this.")
        form = StatusChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.change_status(project, form.validated_data["status"], acting_user=request.user,
                               on=form.validated_data.get("on"), note=form.validated_data.get("note", ""))
        project = self.base_queryset().get(pk=project.pk)
        return Response(ProjectSerializer(project, context=self.get_serializer_context()).data)


def register(router):
    """Add this app's API routes."""
    router.register("transfers/projects", TransferProjectViewSet, basename="transfer-project")
    router.register("transfers/logframe", LogframeItemViewSet, basename="transfer-logframe")
    router.register("transfers/indicators", IndicatorViewSet, basename="transfer-indicator")
    router.register("transfers/taskforce", TaskforceMemberViewSet, basename="transfer-taskforce")
    router.register("transfers/milestones", MilestoneViewSet, basename="transfer-milestone")
    router.register("transfers/logbook", LogbookEntryViewSet, basename="transfer-logbook")
    router.register("transfers/reports", MonitoringReportViewSet, basename="transfer-report")
    router.register("transfers/visits", StudyVisitViewSet, basename="transfer-visit")
    router.register("transfers/issues", IssueViewSet, basename="transfer-issue")
    router.register("transfers/evaluations", FinalEvaluationViewSet, basename="transfer-evaluation")
