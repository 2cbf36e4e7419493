from django.contrib import admin
from django.core.exceptions import ValidationError

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.transfers import services
from thetsaban.transfers.models import (
    ActivityStatus,
    FinalEvaluation,
    Indicator,
    IndicatorReading,
    Issue,
    LogbookEntry,
    LogframeItem,
    Milestone,
    MonitoringReport,
    StudyVisit,
    TaskforceMember,
    TransferProject,
)


class ProjectAdminMixin(AuditedAdminMixin):
    """A project and its parts are saved and deleted by the project services, which check who
    may change or log on the project, clean the Thai text, fill the defaults (the logbook's
    author and coach, the visit's host, the issue's LGU code) and audit the write."""

    save_services = {
        TransferProject: services.save_project,
        LogframeItem: services.save_logframe_item,
        Indicator: services.save_indicator,
        TaskforceMember: services.save_taskforce_member,
        Milestone: services.save_milestone,
        Issue: services.save_issue,
        LogbookEntry: services.save_logbook_entry,
        MonitoringReport: services.save_report,
        StudyVisit: services.save_study_visit,
        FinalEvaluation: services.save_evaluation,
    }
    delete_services = dict.fromkeys(
        (LogframeItem, Indicator, TaskforceMember, Milestone, Issue, LogbookEntry, MonitoringReport,
         StudyVisit, FinalEvaluation), services.delete_part)


class LogframeInline(admin.TabularInline):
    model = LogframeItem
    extra = 0
    fields = ["level", "parent", "position", "text", "responsible", "starts_on", "ends_on", "budget_baht"]
    raw_id_fields = ["parent"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    raw_id_fields = ["item"]


class TaskforceInline(admin.TabularInline):
    model = TaskforceMember
    extra = 0
    raw_id_fields = ["person"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class IssueInline(admin.StackedInline):
    model = Issue
    extra = 0


@admin.register(TransferProject)
class TransferProjectAdmin(ProjectAdminMixin, admin.ModelAdmin):
    """Staff correct projects here; the status moves through the project page (IATI rules)."""

    list_display = ["title", "target_lgu", "theme", "status", "motivation", "is_example", "created_at"]
    list_filter = ["status", "theme", "motivation", "is_example"]
    search_fields = ["title", "target_lgu__name_th", "target_lgu__code", "target_lgu__short_name"]
    raw_id_fields = ["source_practice"]
    autocomplete_fields = ["target_lgu"]
    readonly_fields = ["status", "actual_start", "actual_end", "history_link"]
    list_select_related = ["target_lgu", "theme"]
    inlines = [LogframeInline, IndicatorInline, TaskforceInline, MilestoneInline, IssueInline]

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class ProjectAdminForm(base):
            def clean_source_practice(self):
                practice = self.cleaned_data.get("source_practice")
                if practice is not None and practice.pk != getattr(obj, "source_practice_id", None):
                    try:
                        services.source_practice_check(practice)
                    except ValidationError as error:
                        raise ValidationError(error.messages) from error
                return practice

        return ProjectAdminForm



class ReadingInline(admin.TabularInline):
    model = IndicatorReading
    extra = 0
    raw_id_fields = ["indicator"]


class ActivityStatusInline(admin.TabularInline):
    model = ActivityStatus
    extra = 0
    raw_id_fields = ["item"]


@admin.register(MonitoringReport)
class MonitoringReportAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ["project", "period_start", "period_end", "author"]
    raw_id_fields = ["project", "author"]
    readonly_fields = ["history_link"]
    inlines = [ReadingInline, ActivityStatusInline]
    list_select_related = ["project", "author"]


@admin.register(LogbookEntry)
class LogbookEntryAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ["date", "project", "coach", "activity"]
    list_filter = ["date"]
    raw_id_fields = ["project", "coach", "milestone", "created_by"]
    readonly_fields = ["history_link"]
    list_select_related = ["project", "coach__person"]
    search_fields = ["activity", "outcome", "project__title"]


@admin.register(StudyVisit)
class StudyVisitAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ["project", "visited_on", "host_lgu", "participant_count"]
    raw_id_fields = ["project", "host_lgu", "participants"]
    readonly_fields = ["history_link"]
    list_select_related = ["project", "host_lgu"]


@admin.register(Issue)
class IssueAdmin(ProjectAdminMixin, admin.ModelAdmin):
    list_display = ["problem", "project", "level", "lgu_code"]
    list_filter = ["level", "lgu_code"]
    raw_id_fields = ["project"]
    readonly_fields = ["history_link"]
    search_fields = ["problem", "recommendation"]
    list_select_related = ["project"]


@admin.register(FinalEvaluation)
class FinalEvaluationAdmin(ProjectAdminMixin, admin.ModelAdmin):
    """Evaluations are saved by the service, which sets the evaluator and refuses those who did
    the project's work (the four-eyes rule)."""

    list_display = ["project", "rating", "evaluated_on"]
    raw_id_fields = ["project"]
    readonly_fields = ["evaluator", "history_link"]
    list_select_related = ["project"]

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        user = request.user

        class EvaluationAdminForm(base):
            def clean(self):
                cleaned = super().clean()
                project = cleaned.get("project")
                reason = services.evaluation_refusal(user, project) if project else ""
                if reason:
                    raise ValidationError(reason)
                return cleaned

        return EvaluationAdminForm

