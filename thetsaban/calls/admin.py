"""The calls in the administration: the same services as the pages. Results are published (four
eyes) and withdrawn (four eyes, with a reason) only through the actions below; entries, jurors'
declarations and scores are not edited here."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin, ReadOnlyAdminMixin, RestrictedAdminMixin
from thetsaban.calls import services
from thetsaban.calls.models import Call, Criterion, Entry, Juror


def _reasons(error) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class JurorInline(admin.TabularInline):
    model = Juror
    extra = 0
    fields = ["user", "added_by", "added_at"]
    readonly_fields = ["added_by", "added_at"]
    raw_id_fields = ["user"]


class UnpublishReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing the results"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Call)
class CallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "deadline", "status", "winners", "published_at", "is_example"]
    list_filter = ["status", "is_example"]
    search_fields = ["title"]
    filter_horizontal = ["themes"]
    readonly_fields = ["status", "opened_by", "published_by", "published_at", "results_withdrawn_by",
                       "results_withdrawn_at", "results_withdrawal_reason", "history_link"]
    inlines = [CriterionInline, JurorInline]
    actions = ["publish_results", "unpublish_results"]
    save_services = {Call: services.save_call, Criterion: services.save_criterion, Juror: services.save_juror}
    delete_services = {Criterion: services.delete_criterion, Juror: services.remove_juror}

    def has_delete_permission(self, request, obj=None):
        # A call with entries is history; one without is closed by its deadline.
        return False

    @admin.action(description=_("Publish the results of the selected calls (four eyes)"))
    def publish_results(self, request, queryset):
        for call in queryset:
            try:
                services.publish_results(call, acting_user=request.user)
                self.message_user(request, _("%(call)s: the results are published.") % {"call": call},
                                  messages.SUCCESS)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{call}: {_reasons(error)}", messages.ERROR)

    @admin.action(description=_("Withdraw the published results of the selected calls (four eyes, with a reason)"))
    def unpublish_results(self, request, queryset):
        form = UnpublishReasonForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "admin/calls/unpublish.html", {
                **self.admin_site.each_context(request),
                "title": _("Withdraw the published results"), "form": form, "queryset": queryset,
                "opts": self.model._meta, "action": "unpublish_results",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            })
        for call in queryset:
            try:
                services.unpublish_results(call, acting_user=request.user, reason=form.cleaned_data["reason"])
                self.message_user(request, _("%(call)s: the results are withdrawn.") % {"call": call},
                                  messages.SUCCESS)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{call}: {_reasons(error)}", messages.ERROR)
        return None


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, RestrictedAdminMixin, admin.ModelAdmin):
    """Read only: LGUs enter and withdraw on the call's page; places come from the published ranking."""

    list_display = ["practice", "call", "submitted_at", "withdrawn_at", "rank", "total", "recognised"]
    list_filter = ["call", "recognised"]
    list_select_related = ["practice", "call"]
