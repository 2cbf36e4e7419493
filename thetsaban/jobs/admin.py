from django.contrib import admin

from thetsaban.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs, read only: they are written by the queue, never by hand."""

    list_display = ["__str__", "status", "started_by", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
