"""The PDPA records in the administration, for league staff only.

Every change goes through the privacy services (the rules, four eyes and the audit entry of the
pages): a request is decided by an action that calls complete_request or refuse_request, a breach
is saved by save_breach and its notifications recorded by record_breach_notification. The
erasures done and the retention runs are ledgers: read only, never deleted."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban.accounts.admin import ReadOnlyAdminMixin, RestrictedAdminMixin
from thetsaban.accounts.models import AuditEntry
from thetsaban.permissions import is_staff
from thetsaban.privacy import register, services
from thetsaban.privacy.models import Breach, Erasure, SubjectRequest
from thetsaban.privacy.retention import RETENTION_NOTE

# How a retention run's audit entries begin (RETENTION_NOTE before its number of days).
RETENTION_PREFIX = RETENTION_NOTE.split("%")[0]


class StaffOnlyAdminMixin(RestrictedAdminMixin):
    """League staff only, whatever model permissions an account was given."""

    def has_module_permission(self, request):
        return is_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff(request.user)


class LedgerAdminMixin(ReadOnlyAdminMixin, StaffOnlyAdminMixin):
    """A ledger: read, never added to, changed or deleted here."""


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("What was done"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to the person. Needed for a correction or an objection; completing an "
                               "erasure erases the person now."))


class RefusalForm(forms.Form):
    refusal_reason = forms.CharField(
        label=gettext_lazy("Reason for refusal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Give the reason for the refusal.")},
        help_text=gettext_lazy("The ground in the law, such as a legal obligation to keep the data."))


def _each(modeladmin, request, queryset, call, done_message):
    """Call `call(row)` for every selected row, each in its own transaction: the rows a rule
    refuses are named with the reason, the others are done."""
    done = 0
    for row in queryset:
        try:
            call(row)
        except (ValidationError, PermissionDenied) as refusal:
            reasons = getattr(refusal, "messages", None) or [str(refusal)]
            modeladmin.message_user(request, _("%(record)s: not changed. %(reasons)s")
                                    % {"record": getattr(row, "reference", row), "reasons": " ".join(reasons)},
                                    messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def _form_page(modeladmin, request, queryset, *, form, action, title, intro, button):
    return TemplateResponse(request, "admin/privacy/action_form.html", {
        **modeladmin.admin_site.each_context(request),
        "title": title, "intro": intro, "button": button, "form": form, "queryset": queryset,
        "opts": modeladmin.model._meta, "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    })


@admin.action(description=gettext_lazy("Complete the selected requests (an erasure erases the person)"),
              permissions=["decide"])
def complete_requests(modeladmin, request, queryset):
    form = OutcomeForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        _each(modeladmin, request, queryset,
              lambda row: services.complete_request(row, outcome=form.cleaned_data["outcome"], acting_user=request.user),
              _("%(count)s requests completed."))
        return None
    return _form_page(modeladmin, request, queryset, form=form, action="complete_requests",
                      title=_("Complete PDPA requests"), button=_("Complete"),
                      intro=_("Each request is completed as on its page: nobody decides their own request or "
                              "one they recorded, and an erasure erases the person now. This cannot be undone."))


@admin.action(description=gettext_lazy("Refuse the selected requests, with the reason"), permissions=["decide"])
def refuse_requests(modeladmin, request, queryset):
    form = RefusalForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        _each(modeladmin, request, queryset,
              lambda row: services.refuse_request(row, reason=form.cleaned_data["refusal_reason"],
                                                  acting_user=request.user),
              _("%(count)s requests refused."))
        return None
    return _form_page(modeladmin, request, queryset, form=form, action="refuse_requests",
                      title=_("Refuse PDPA requests"), button=_("Refuse"),
                      intro=_("The person reads the reason. Nobody decides their own request or one they recorded."))


@admin.register(SubjectRequest)
class SubjectRequestAdmin(LedgerAdminMixin, admin.ModelAdmin):
    """Requests are filed by the member or recorded by staff on the pages; here staff read them
    and decide them by the actions (the services' rules and four eyes)."""

    list_display = ["reference", "kind", "status", "person", "received_at", "due_on", "late", "account_deletion"]
    list_filter = ["status", "kind"]
    search_fields = ["subject__username", "subject__email", "subject_name", "subject_email"]
    date_hierarchy = "received_at"
    actions = [complete_requests, refuse_requests]
    fields = ["kind", "subject", "subject_name", "subject_email", "details", "recorded_by", "identity_method",
              "identity_note", "received_at", "due_on", "status", "decided_by", "decided_at", "outcome",
              "refusal_reason", "account_deletion", "page_link", "history_link"]
    readonly_fields = fields

    def has_decide_permission(self, request):
        return is_staff(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("subject", "account_deletion")

    @admin.display(description=gettext_lazy("person"))
    def person(self, obj):
        return obj.subject or obj.subject_name or obj.subject_email or "-"

    @admin.display(description=gettext_lazy("overdue"), boolean=True)
    def late(self, obj):
        return obj.overdue

    @admin.display(description=gettext_lazy("page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.reference)

    def get_urls(self):
        return [path("register/", self.admin_site.admin_view(self.register_view), name="privacy_register"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}),
                                                 "register_url": reverse("admin:privacy_register")})

    def register_view(self, request):
        """The register of personal data and the latest retention runs, read only."""
        if not is_staff(request.user):
            raise PermissionDenied
        retention = (AuditEntry.objects.restrict(request.user).filter(note__startswith=RETENTION_PREFIX)
                     .select_related("content_type")[:50])
        return TemplateResponse(request, "admin/privacy/register.html", {
            **self.admin_site.each_context(request),
            "title": _("Register of personal data"), "opts": self.model._meta,
            "entries": [register.describe(entry) for entry in register.entries()],
            "retention": retention,
        })


@admin.action(description=gettext_lazy("Record: the PDPC was notified now"))
def pdpc_notified(modeladmin, request, queryset):
    _each(modeladmin, request, queryset,
          lambda row: services.record_breach_notification(row, whom="pdpc", acting_user=request.user),
          _("The PDPC notification is recorded for %(count)s breaches."))


@admin.action(description=gettext_lazy("Record: the people affected were notified now"))
def subjects_notified(modeladmin, request, queryset):
    _each(modeladmin, request, queryset,
          lambda row: services.record_breach_notification(row, whom="subjects", acting_user=request.user),
          _("The notification of the people affected is recorded for %(count)s breaches."))


@admin.register(Breach)
class BreachAdmin(StaffOnlyAdminMixin, admin.ModelAdmin):
    """The breach log: staff record and update a breach through save_breach (audited); a breach
    stays in the log (no deletion)."""

    save_services = {Breach: services.save_breach}
    list_display = ["title", "risk", "discovered_at", "notify_by", "pdpc_notified_at", "subjects_notified_at",
                    "overdue"]
    list_filter = ["risk"]
    search_fields = ["title", "description"]
    actions = [pdpc_notified, subjects_notified]
    readonly_fields = ["recorded_by", "created_at", "history_link"]

    def has_add_permission(self, request):
        return is_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("notify the PDPC by"))
    def notify_by(self, obj):
        return obj.notify_by

    @admin.display(description=gettext_lazy("notification overdue"), boolean=True)
    def overdue(self, obj):
        return obj.notification_overdue


@admin.register(Erasure)
class ErasureAdmin(LedgerAdminMixin, admin.ModelAdmin):
    """The erasures done (mirrored from the erasure ledger file): read only."""

    list_display = ["ledger_id", "request", "subject_user_id", "erased_at", "replayed_at"]
    list_filter = ["replayed_at"]
    fields = ["ledger_id", "request", "subject_user_id", "erased_at", "rows", "replayed_at", "history_link"]
    readonly_fields = fields
