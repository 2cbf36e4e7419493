from django.contrib import admin

from thetsaban.accounts.admin import ReadOnlyAdminMixin
from thetsaban.jobs.models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Background jobs, read only: they are written by the queue, never by hand."""

    list_display = ["__str__", "status", "started_by", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "name"]
    date_hierarchy = "created_at"
