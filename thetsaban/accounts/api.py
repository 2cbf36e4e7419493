"""The accounts API: a member's role requests (ask, list, withdraw) and staff decisions.

Writes go through services.py, so the API keeps the same rules as the pages: a member asks only
for themself, staff decide, and nobody grants their own request (four eyes); all audited.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from thetsaban.accounts import services
from thetsaban.accounts.choices import RequestStatus
from thetsaban.accounts.models import RoleRequest
from thetsaban.api import ModelSerializer, RestrictedSlugRelatedField, RestrictedViewSetMixin


def _as_api_error(error):
    """A service's refusal as the API's 403 or 400 (with the field it names)."""
    if isinstance(error, PermissionDenied):
        return exceptions.PermissionDenied(str(error) or None)
    if hasattr(error, "message_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({"non_field_errors": error.messages})


class RoleRequestSerializer(ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)
    lgu = RestrictedSlugRelatedField(
        slug_field="code", queryset=RoleRequest._meta.get_field("lgu").related_model.objects.all(), required=False, allow_null=True,
        help_text="For an LGU editor: the code of the LGU (empty for the other roles).")
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True,
                                       default=None)

    class Meta:
        model = RoleRequest
        fields = ["id", "user", "role", "lgu", "reason", "status", "created_at", "decided_by",
                  "decided_at", "decision_note"]
        read_only_fields = ["status", "created_at", "decided_at", "decision_note"]


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true grants the role, false refuses it.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                 help_text="Why, for the member and the audit trail.")


class RoleRequestViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Role requests: a member asks for a role and sees their own; staff see all and decide."""

    queryset = RoleRequest.objects.select_related("user", "lgu", "decided_by")
    serializer_class = RoleRequestSerializer
    permission_classes = [IsAuthenticated]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        status = self.request.query_params.get("status")
        if self.action == "list" and status:
            if status not in RequestStatus.values:
                raise exceptions.ValidationError({"status": [
                    _("“%(value)s” is not a status; use one of: %(choices)s.") % {
                        "value": status[:40], "choices": ", ".join(RequestStatus.values)}]})
            queryset = queryset.filter(status=status)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=RequestStatus.values,
                                                description="Only the requests in this state.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.request_role(
                self.request.user, data["role"], lgu=data.get("lgu"), reason=data["reason"],
                acting_user=self.request.user)
        except (PermissionDenied, ValidationError) as error:
            raise _as_api_error(error) from None

    @extend_schema(request=None, responses=RoleRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take back one's own request while staff have not decided it."""
        try:
            role_request = services.withdraw_role_request(self.get_object(), acting_user=request.user)
        except (PermissionDenied, ValidationError) as error:
            raise _as_api_error(error) from None
        return Response(self.get_serializer(role_request).data)

    @extend_schema(request=DecisionSerializer, responses=RoleRequestSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Staff grant or refuse a request; nobody grants their own (four eyes)."""
        role_request = self.get_object()
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            role_request = services.decide_role_request(
                role_request, approve=decision.validated_data["approve"],
                note=decision.validated_data["note"], acting_user=request.user)
        except (PermissionDenied, ValidationError) as error:
            raise _as_api_error(error) from None
        return Response(self.get_serializer(role_request).data)


def register(router):
    """Add this app's API routes."""
    router.register("role-requests", RoleRequestViewSet, basename="role-request")
