from django.contrib import admin

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.learning import services
from thetsaban.learning.models import CentreStaff, Course, Event, Material, Module


@admin.register(CentreStaff)
class CentreStaffAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "centre", "granted_by", "granted_at"]
    list_filter = ["centre"]
    raw_id_fields = ["user"]
    readonly_fields = ["granted_by", "granted_at"]
    # Granted and revoked by the same services as the centre staff page: an active account,
    # once per centre, recording who granted it.
    save_services = {CentreStaff: services.save_centre_staff}
    delete_services = {CentreStaff: services.revoke_centre_staff}

    def get_readonly_fields(self, request, obj=None):
        # A grant does not change: revoke it and grant another.
        if obj is not None:
            return ["centre", "user", *self.readonly_fields]
        return self.readonly_fields


@admin.register(Event)
class EventAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "centre", "kind", "status", "starts_at", "capacity", "is_example"]
    list_filter = ["centre", "kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["host_lgu", "study_visit"]
    filter_horizontal = ["practices"]
    save_services = {Event: services.save_event}

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "change")


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 1


@admin.register(Module)
class ModuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "course", "position"]
    raw_id_fields = ["course"]
    filter_horizontal = ["practices"]
    inlines = [MaterialInline]


class ModuleInline(admin.StackedInline):
    model = Module
    extra = 0
    filter_horizontal = ["practices"]


@admin.register(Course)
class CourseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "provider", "centre", "is_published", "is_example"]
    list_filter = ["centre", "is_published"]
    raw_id_fields = ["provider"]
    filter_horizontal = ["themes"]
    inlines = [ModuleInline]
    save_services = {Course: services.save_course}
