from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin, RestrictedAdminMixin
from thetsaban.practices import services
from thetsaban.practices.choices import Tier
from thetsaban.practices.models import (
    Practice,
    PracticeAttachment,
    PracticePartner,
    PracticeResult,
    PracticeStep,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "position", "history_link"]
    ordering = ["position"]


class StepInline(admin.StackedInline):
    model = PracticeStep
    extra = 0


class ResultInline(admin.TabularInline):
    model = PracticeResult
    extra = 0


class PartnerInline(admin.TabularInline):
    model = PracticePartner
    extra = 0
    raw_id_fields = ["organisation"]


class AttachmentInline(admin.TabularInline):
    model = PracticeAttachment
    extra = 0
    readonly_fields = ["size"]


@admin.register(Practice)
class PracticeAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Staff correct practices here; the review status changes only through the workflow actions."""

    list_display = ["title_th", "lgu", "status", "tier", "maturity", "is_example", "published_at"]
    list_filter = ["status", "tier", "maturity", "recognition", "is_example", "themes"]
    search_fields = ["title_th", "title_en", "lgu__name_th", "lgu__code"]
    raw_id_fields = ["created_by"]
    autocomplete_fields = ["lgu", "contacts"]
    filter_horizontal = ["themes"]
    readonly_fields = ["status", "tier", "submitted_at", "published_at", "history_link"]
    inlines = [StepInline, ResultInline, PartnerInline, AttachmentInline]
    actions = ["publish_promising", "publish_good", "publish_best"]
    list_select_related = ["lgu"]
    # The parent goes through save_practice (its rules, audit and search entry); the steps and
    # results are audited by the mixin and re-indexed by the search app's signals.
    save_services = {Practice: services.save_practice}

    def _publish(self, request, queryset, tier):
        done = 0
        for practice in queryset:
            try:
                services.publish_practice(practice, acting_user=request.user, tier=tier)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{practice}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                                  messages.ERROR)
        if done:
            self.message_user(request, _("%(count)s practices published.") % {"count": done},
                              messages.SUCCESS)

    @admin.action(description=_("Publish the selected submitted practices as promising practices"))
    def publish_promising(self, request, queryset):
        self._publish(request, queryset, Tier.PROMISING)

    @admin.action(description=_("Publish the selected submitted practices as good practices"))
    def publish_good(self, request, queryset):
        self._publish(request, queryset, Tier.GOOD)

    @admin.action(description=_("Publish the selected submitted practices as best practices"))
    def publish_best(self, request, queryset):
        self._publish(request, queryset, Tier.BEST)
