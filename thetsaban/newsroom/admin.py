"""The newsroom in the administration: news posts and joint undertakings go through the same
services as the pages (a post is published and withdrawn only by the actions below)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.newsroom import services
from thetsaban.newsroom.models import Agreement, JointUndertaking, NewsPost


def _reasons(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


@admin.register(NewsPost)
class NewsPostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "centre", "status", "published_at", "author", "is_example"]
    list_filter = ["status", "centre", "is_example"]
    search_fields = ["title", "summary"]
    readonly_fields = ["status", "published_at", "author", "history_link"]
    raw_id_fields = ["practices", "transfers", "events", "recommendations"]
    filter_horizontal = ["themes"]
    actions = ["publish", "withdraw"]
    save_services = {NewsPost: services.save_post}

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "change")

    def _each(self, request, queryset, service, done):
        for post in queryset:
            try:
                service(post, acting_user=request.user)
                self.message_user(request, done % {"post": post}, messages.SUCCESS)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{post}: {_reasons(error)}", messages.ERROR)

    @admin.action(description=_("Publish the selected posts"))
    def publish(self, request, queryset):
        self._each(request, queryset, services.publish_post, _("%(post)s: published."))

    @admin.action(description=_("Withdraw the selected posts to draft"))
    def withdraw(self, request, queryset):
        self._each(request, queryset, services.withdraw_post, _("%(post)s: withdrawn to draft."))


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0


class UndertakingAdminForm(forms.ModelForm):
    class Meta:
        model = JointUndertaking
        fields = ["title", "purpose", "lead_lgu", "members", "start_date", "practices", "indicators", "is_example"]

    def clean(self):
        cleaned = super().clean()
        lead, members = cleaned.get("lead_lgu"), cleaned.get("members")
        if lead is not None and members is not None:
            # The lead LGU is shown first, never again among the members (as on the page's form).
            cleaned["members"] = members.exclude(pk=lead.pk)
        return cleaned


@admin.register(JointUndertaking)
class JointUndertakingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = UndertakingAdminForm
    list_display = ["title", "lead_lgu", "start_date", "is_example"]
    list_filter = ["is_example"]
    search_fields = ["title", "lead_lgu__name_th", "lead_lgu__code"]
    autocomplete_fields = ["lead_lgu"]
    raw_id_fields = ["members", "practices"]
    filter_horizontal = ["indicators"]
    readonly_fields = ["history_link"]
    inlines = [AgreementInline]
    save_services = {JointUndertaking: services.save_undertaking, Agreement: services.add_agreement}
    delete_services = {Agreement: services.delete_agreement}

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "change")
