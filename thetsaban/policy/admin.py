from django.contrib import admin

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.policy.models import Recommendation, RecommendationActor, RecommendationUpdate


class ActorInline(admin.TabularInline):
    model = RecommendationActor
    extra = 0
    raw_id_fields = ["organisation"]


class UpdateInline(admin.TabularInline):
    """Staff correct an entry's date, text and file here. Its status and progress are only set
    by add_update() (which applies the four-eyes rule), and its author is who wrote it."""

    model = RecommendationUpdate
    extra = 0
    fields = ["date", "text", "status", "progress", "attachment", "author"]
    readonly_fields = ["status", "progress", "author"]


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "level", "status", "progress", "lgu_codes", "owner", "updated_at"]
    list_filter = ["level", "status", "themes", "is_example"]
    search_fields = ["title", "issue", "sub_issue", "problem", "recommendation", "lgu_codes"]
    filter_horizontal = ["themes"]
    raw_id_fields = ["owner", "lgus", "issues", "practices", "projects"]
    # The status and progress change only through the timeline (add_update), which applies
    # the four-eyes rule to the statuses that say a recommendation was accepted.
    readonly_fields = ["status", "progress", "history_link", "created_at", "updated_at"]
    inlines = [ActorInline, UpdateInline]

    def get_queryset(self, request):
        return Recommendation.objects.restrict(request.user, "view").select_related("owner")

    def save_formset(self, request, form, formset, change):
        # The agencies, partners and timeline entries are audited one by one, like the services do.
        from thetsaban.accounts.choices import AuditAction
        from thetsaban.accounts.services import record, snapshot

        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record(obj, AuditAction.DELETE, acting_user=request.user, before=snapshot(obj),
                   note="via administration")
            obj.delete()
        for obj in instances:
            before = None
            if obj.pk:
                old = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = snapshot(old) if old else None
            if isinstance(obj, RecommendationUpdate) and obj.author_id is None:
                obj.author = request.user
            obj.save()
            record(obj, AuditAction.UPDATE if before else AuditAction.CREATE,
                   acting_user=request.user, before=before, note="via administration")
        formset.save_m2m()
