from django.contrib.auth.mixins import LoginRequiredMixin

from thetsaban.jobs.models import Job
from thetsaban.restricted import RestrictedDetailView, RestrictedListView


class JobListView(LoginRequiredMixin, RestrictedListView):
    """The background jobs the user started (all jobs for league staff), newest first."""

    model = Job
    paginate_by = 50
    template_name = "jobs/job_list.html"

    def refine_queryset(self, queryset):
        return queryset.select_related("started_by")


class JobDetailView(LoginRequiredMixin, RestrictedDetailView):
    """One job's status, progress, result or errors; the page follows a running job by itself
    (static/jobs/progress.js reads the job's API entry)."""

    model = Job
    template_name = "jobs/job_detail.html"
    context_object_name = "job"

    def refine_queryset(self, queryset):
        return queryset.select_related("started_by")
