"""The coach matching API for league staff: runs (POST to solve) and proposals (accept / reject)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from thetsaban.api import ModelSerializer
from thetsaban.coaching import matching_services as services
from thetsaban.coaching.choices import ProposalDecision
from thetsaban.coaching.matching import explain_lines
from thetsaban.coaching.models import MatchingRun, MatchProposal
from thetsaban.filtering import IntegerFilter
from thetsaban.jobs import services as jobs
from thetsaban.jobs.api import JobSerializer
from thetsaban.permissions import is_staff


class IsLeagueStaff(permissions.BasePermission):
    """Matching is the league staff's work, reads included."""

    message = "Only league staff run coach matching."

    def has_permission(self, request, view):
        return is_staff(request.user)


class MatchingRunSerializer(ModelSerializer):
    created_by = serializers.StringRelatedField()

    class Meta:
        model = MatchingRun
        fields = ["id", "created_at", "created_by", "total_cost", "solve_ms", "projects_without_coach",
                  "unmatched"]
        read_only_fields = fields


class MatchProposalSerializer(ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    lgu = serializers.CharField(source="project.target_lgu.name", read_only=True)
    coach_name = serializers.CharField(source="coach.person.name", read_only=True)
    explanation_text = serializers.SerializerMethodField()
    decided_by = serializers.StringRelatedField()
    assignment = serializers.SerializerMethodField()

    class Meta:
        model = MatchProposal
        fields = ["id", "run", "project", "project_title", "lgu", "coach", "coach_name", "cost",
                  "explanation", "explanation_text", "decision", "decided_by", "decided_at", "assignment"]
        read_only_fields = fields

    def get_explanation_text(self, obj) -> list[str]:
        return explain_lines(obj.explanation)

    def get_assignment(self, obj) -> int | None:
        assignment = getattr(obj, "assignment", None)
        return assignment.pk if assignment is not None else None


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AcceptedSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    coach_emailed = serializers.BooleanField(help_text="Whether the coach is being e-mailed "
                                                       "(false when they have no address).")
    proposal = MatchProposalSerializer()


class MatchProposalFilterSet(django_filters.FilterSet):
    run = IntegerFilter(field_name="run_id")
    decision = django_filters.ChoiceFilter(choices=ProposalDecision.choices)

    class Meta:
        model = MatchProposal
        fields = ["run", "decision"]


class MatchingRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Matching runs, newest first; POST solves the matching now and stores its proposals."""

    serializer_class = MatchingRunSerializer
    permission_classes = [IsLeagueStaff]
    filter_backends = []

    def get_queryset(self):
        return services.runs_for(self.request.user).select_related("created_by").order_by("-created_at", "-pk")

    @extend_schema(request=None, responses={202: JobSerializer})
    def create(self, request):
        """Start a matching run in a background job: 202 with the job (follow it at its `url`
        or under /api/v1/jobs/<id>/; once done, its `result.run` is the new run's id)."""
        job = jobs.start("coaching.matching", started_by=request.user)
        response = Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("job-detail", args=[job.pk])
        return response


class MatchProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals of the matching runs with their explanation; staff accept or reject them."""

    serializer_class = MatchProposalSerializer
    permission_classes = [IsLeagueStaff]
    filterset_class = MatchProposalFilterSet

    def get_queryset(self):
        return services.proposals_for(self.request.user).order_by("run_id", "cost", "pk")

    def _decide(self, func, **kwargs):
        proposal = self.get_object()
        try:
            result = func(proposal, acting_user=self.request.user, **kwargs)
        except DjangoValidationError as error:
            raise exceptions.ValidationError({"detail": error.messages}) from None
        return result

    @extend_schema(request=None, responses={200: AcceptedSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the proposal: the coach becomes the project's lead coach and is e-mailed if
        they have an address (`coach_emailed`)."""
        assignment = self._decide(services.accept_proposal)
        proposal = self.get_queryset().get(pk=assignment.proposal_id)
        return Response({"assignment": assignment.pk, "coach_emailed": assignment.coach_emailed,
                         "proposal": self.get_serializer(proposal).data})

    @extend_schema(request=RejectSerializer, responses={200: MatchProposalSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the proposal, with an optional reason (kept in the audit trail)."""
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = self._decide(services.reject_proposal, reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data)


def register(router):
    """Add the matching API routes."""
    router.register("coaching/matching/runs", MatchingRunViewSet, basename="matching-run")
    router.register("coaching/matching/proposals", MatchProposalViewSet, basename="matching-proposal")


