from django.contrib import admin

from thetsaban.accounts.admin import RestrictedAdminMixin
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
class RecommendationAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "level", "status", "progress", "lgu_codes", "owner", "updated_at"]
    list_filter = ["level", "status", "themes", "is_example"]
    search_fields = ["title", "issue", "sub_issue", "problem", "recommendation", "lgu_codes"]
    filter_horizontal = ["themes"]
    raw_id_fields = ["owner", "lgus", "issues", "practices", "projects"]
    # The status and progress change only through the timeline (add_update), which applies
    # the four-eyes rule to the statuses that say a recommendation was accepted.
    readonly_fields = ["status", "progress", "history_link", "created_at", "updated_at"]
    inlines = [ActorInline, UpdateInline]

    list_select_related = ["owner"]

    def prepare_inline_row(self, request, obj):
        if isinstance(obj, RecommendationUpdate) and obj.author_id is None:
            obj.author = request.user
