from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.accounts.services import check_four_eyes, own_work_reason
from thetsaban.coaching.models import Assignment, Coach, Competency, Language, Training
from thetsaban.coaching.services import applicant_ids


class CompetencyInline(admin.TabularInline):
    model = Competency
    extra = 0
    readonly_fields = ["confirmed_by", "confirmed_at"]


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0
    raw_id_fields = ["provider"]


@admin.register(Coach)
class CoachAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Staff correct coach records here; approval and rejection go through the vetting pages."""

    list_display = ["person", "status", "home_province", "availability", "capacity",
                    "is_example", "history_link"]
    list_filter = ["status", "availability", "is_example", "home_province__region", "themes",
                   "languages"]
    search_fields = ["person__name_th", "person__name_en", "user__username", "user__email"]
    raw_id_fields = ["person", "user", "affiliation", "reviewed_by"]
    readonly_fields = ["status", "decision_reason", "reviewed_by", "reviewed_at", "applied_at",
                       "history_link"]
    filter_horizontal = ["themes", "languages"]
    inlines = [CompetencyInline, TrainingInline]
    list_select_related = ["person", "home_province"]

    def get_inlines(self, request, obj):
        # A staff member does not record trainings (credentials) on their own coach record.
        if obj is not None and own_work_reason(request.user, applicant_ids(obj)):
            return [CompetencyInline]
        return self.inlines


@admin.register(Language)
class LanguageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "history_link"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["coach", "project", "role", "started_on", "ended_on", "history_link"]
    list_filter = ["role"]
    raw_id_fields = ["coach", "project", "proposal"]
    list_select_related = ["coach__person", "project"]

    # Putting a coach on a project is what accepting a match does: not for the coach themself
    # (the four-eyes rule of matching_services.accept_proposal).
    GIVES_PROJECT = {"coach", "project"}

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        user = request.user
        gives_project = self.GIVES_PROJECT

        class AssignmentAdminForm(base):
            def clean(self):
                cleaned = super().clean()
                coach = cleaned.get("coach")
                if coach is not None and gives_project & set(self.changed_data):
                    reason = own_work_reason(user, applicant_ids(coach))
                    if reason:
                        raise ValidationError(reason)
                return cleaned

        return AssignmentAdminForm

    def save_model(self, request, obj, form, change):
        if self.GIVES_PROJECT & set(form.changed_data):
            obj._audit_note = check_four_eyes(request.user, applicant_ids(obj.coach),
                                              str(_("via administration")))
        super().save_model(request, obj, form, change)
