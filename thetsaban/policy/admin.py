from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from thetsaban.accounts.admin import RestrictedAdminMixin
from thetsaban.policy import services
from thetsaban.policy.models import Recommendation, RecommendationActor, RecommendationUpdate


class ActorInline(admin.TabularInline):
    model = RecommendationActor
    extra = 0
    raw_id_fields = ["organisation"]


class UpdateInline(admin.TabularInline):
    """New timeline entries go through add_update(), which moves the recommendation's status and
    progress with the four-eyes rule. On an entry already on the timeline staff correct the date,
    text and file; its status and progress stay as reported, and its author is who wrote it."""

    model = RecommendationUpdate
    extra = 0
    fields = ["date", "text", "status", "progress", "attachment", "author"]
    readonly_fields = ["author"]

    def get_formset(self, request, obj=None, **kwargs):
        base = super().get_formset(request, obj, **kwargs)
        user = request.user

        class UpdateForm(base.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.pk:
                    for name in ("status", "progress"):
                        if name in self.fields:
                            self.fields[name].disabled = True

            def clean(self):
                cleaned = super().clean()
                if obj is not None and not self.instance.pk and self.has_changed():
                    try:
                        services.check_update(obj, acting_user=user, status=cleaned.get("status") or "")
                    except PermissionDenied as error:
                        raise ValidationError(str(error)) from error
                return cleaned

        base.form = UpdateForm
        return base


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
    # The recommendation itself is saved by the same service as its pages (who may change it,
    # the default title, the followers told of an edit).
    save_services = {Recommendation: services.save_recommendation}

    def save_inline_row(self, request, parent, obj) -> bool:
        if isinstance(obj, RecommendationUpdate) and obj.pk is None:
            services.add_update(parent, acting_user=request.user, text=obj.text, date=obj.date,
                                status=obj.status, progress=obj.progress, attachment=obj.attachment or None)
            return False
        return super().save_inline_row(request, parent, obj)
