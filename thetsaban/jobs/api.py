from rest_framework import mixins, permissions, serializers, viewsets

from thetsaban.api import RestrictedViewSetMixin
from thetsaban.jobs.choices import JobStatus
from thetsaban.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=JobStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    finished = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Job
        fields = ["id", "name", "label", "status", "status_label", "done", "total", "percent",
                  "message", "result", "error", "row_errors", "attempts", "max_attempts",
                  "finished", "created_at", "started_at", "finished_at", "url"]
        read_only_fields = fields


class JobViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                 viewsets.GenericViewSet):
    """Background jobs: the ones you started (every job for league staff), with their status,
    progress, result or error and the rows an import refused."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []


def register(router):
    router.register("jobs", JobViewSet, basename="job")
