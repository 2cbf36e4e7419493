from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin, ReadOnlyAdminMixin, RestrictedAdminMixin
from thetsaban.learning import services
from thetsaban.learning.models import CentreStaff, Course, Enrolment, Event, Material, Module


def _reasons(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


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
    # Materials are added, changed and removed by the same services as on the course page: the
    # upload checks, and an audit record of who did what.
    save_services = {Material: services.save_material}
    delete_services = {Material: services.delete_material}


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


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdminMixin, RestrictedAdminMixin, admin.ModelAdmin):
    """Read only: members enrol, tick their modules and withdraw on the course page. The action
    records completion through the course page's service (the course's staff, never the learner
    themselves: four eyes, audited)."""

    list_display = ["user", "course", "centre", "status", "enrolled_at", "completed_at", "completed_by",
                    "is_example"]
    list_filter = ["status", "course", ("course__centre", admin.RelatedOnlyFieldListFilter), "is_example"]
    list_select_related = ["user", "course__centre", "completed_by"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    date_hierarchy = "enrolled_at"
    actions = ["record_completion"]

    @admin.display(description=_("learning centre"), ordering="course__centre")
    def centre(self, enrolment):
        return enrolment.course.centre or "—"

    @admin.action(description=_("Record that the selected learners completed their course (four eyes)"))
    def record_completion(self, request, queryset):
        for enrolment in queryset.select_related("user", "course"):
            try:
                services.complete(enrolment, acting_user=request.user)
                self.message_user(request, _("%(name)s completed “%(course)s”.") % {
                    "name": enrolment.learner_name, "course": enrolment.course}, messages.SUCCESS)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{enrolment}: {_reasons(error)}", messages.ERROR)
