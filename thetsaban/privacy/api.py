"""The privacy API: a member's PDPA requests (list, file, read) and the copy as a ZIP.

Staff decide requests on the pages; the API lets a member (or an application acting for them)
file and follow their own. Writes go through services.py.
"""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.reverse import reverse

from thetsaban.api import ModelSerializer, RestrictedViewSetMixin
from thetsaban.privacy import register as personal_data
from thetsaban.privacy import services
from thetsaban.privacy.choices import RequestKind
from thetsaban.privacy.filters import SubjectRequestFilterSet
from thetsaban.privacy.models import SubjectRequest
from thetsaban.privacy.views import may_download


class SubjectRequestSerializer(ModelSerializer):
    reference = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    details = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    copy_url = serializers.SerializerMethodField()

    class Meta:
        model = SubjectRequest
        fields = ["id", "reference", "kind", "details", "status", "received_at", "due_on",
                  "decided_at", "outcome", "refusal_reason", "copy_url"]
        read_only_fields = ["status", "received_at", "due_on", "decided_at", "outcome", "refusal_reason"]

    def get_copy_url(self, item) -> str | None:
        request = self.context.get("request")
        if request is None or not may_download(request.user, item):
            return None
        return reverse("privacy-request-copy", args=[item.pk], request=request)


class SubjectRequestViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.CreateModelMixin, viewsets.GenericViewSet):
    """PDPA requests: a member files and sees their own; staff see every one."""

    queryset = SubjectRequest.objects.all()
    serializer_class = SubjectRequestSerializer
    filterset_class = SubjectRequestFilterSet
    ordering = ["due_on", "pk"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.file_request(self.request.user, kind=data["kind"],
                                                    details=data.get("details", ""), acting_user=self.request.user)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def copy(self, request, pk=None):
        """The copy of the subject's personal data (ZIP of JSON and CSV), once it may be downloaded."""
        item = self.get_object()
        if not may_download(request.user, item):
            raise Http404
        subject = personal_data.Subject.of(item.subject, item.subject_email)
        response = HttpResponse(personal_data.export_zip(subject, reference=item.reference),
                                content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{item.reference}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response


def register(router):
    """Add this app's API routes."""
    router.register("privacy-requests", SubjectRequestViewSet, basename="privacy-request")
