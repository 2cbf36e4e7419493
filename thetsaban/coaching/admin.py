from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.accounts.services import own_work_reason, snapshot
from thetsaban.coaching import matching_services, services
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

    # A competency edited here loses its confirmation when its content changes, as in an
    # application. A training is a credential: reviewers record and remove it through the
    # services, which refuse a staff member's own (the four-eyes rule).
    save_services = {Competency: services.save_competency}
    delete_services = {Training: services.delete_training}

    def save_inline_row(self, request, parent, obj) -> bool:
        if isinstance(obj, Training) and obj.pk is None:
            services.add_training(parent, acting_user=request.user, kind=obj.kind, title=obj.title,
                                  provider=obj.provider, completed_on=obj.completed_on,
                                  certificate_number=obj.certificate_number)
            return False
        return super().save_inline_row(request, parent, obj)

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
    """Assignments are made and changed by the same service as matching: an approved coach with
    a place left, not on their own LGU's project, not given by staff to themselves; the coach is
    e-mailed. The coach, project and proposal of a saved assignment do not change (end it and
    make another)."""

    list_display = ["coach", "project", "role", "started_on", "ended_on", "history_link"]
    list_filter = ["role"]
    raw_id_fields = ["coach", "project"]
    readonly_fields = ["proposal", "history_link"]
    list_select_related = ["coach__person", "project"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["coach", "project", *self.readonly_fields]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        user = request.user

        class AssignmentAdminForm(base):
            def clean(self):
                cleaned = super().clean()
                stored = self.instance if self.instance.pk else None
                coach = stored.coach if stored else cleaned.get("coach")
                project = stored.project if stored else cleaned.get("project")
                role = cleaned.get("role")
                if self.errors or not (coach and project and role):
                    return cleaned
                reopened = stored is not None and stored.ended_on is not None
                changed = stored is None or reopened or role != stored.role
                if cleaned.get("ended_on") is None and changed:
                    try:
                        matching_services.check_assignment(coach, project, role=role, acting_user=user,
                                                           exclude=stored)
                    except ValidationError as error:
                        raise ValidationError(error.messages) from error
                    except PermissionDenied as error:
                        raise ValidationError(str(error)) from error
                return cleaned

        return AssignmentAdminForm

    def save_model(self, request, obj, form, change):
        # The service writes the audit entry (AuditedAdminMixin.save_related adds none).
        obj._audited_by_service = True
        if change:
            matching_services.change_assignment(obj, acting_user=request.user, role=obj.role,
                                                started_on=obj.started_on, ended_on=obj.ended_on)
            obj._audit_before = snapshot(type(obj).objects.get(pk=obj.pk))
            return
        assignment = matching_services.assign_coach(obj.coach, obj.project, acting_user=request.user,
                                                    role=obj.role, started_on=obj.started_on,
                                                    note=_("via administration"))
        obj.pk = assignment.pk
        if assignment.coach_emailed:
            text = _("%(coach)s is now the coach of “%(project)s”; they have been e-mailed.")
        else:
            text = _("%(coach)s is now the coach of “%(project)s”. They have no e-mail address on "
                     "record, so nobody has told them yet: please let them know yourself.")
        self.message_user(request, text % {"coach": obj.coach, "project": obj.project}, messages.INFO)
        obj._audit_before = snapshot(assignment)
