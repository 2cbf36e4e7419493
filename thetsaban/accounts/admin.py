import inspect

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import (
    AuditEntry,
    DeletionRequest,
    LeagueSettings,
    LguMembership,
    Profile,
    RoleRequest,
    User,
)
from thetsaban.accounts.services import record, redact_user, save_league_settings, snapshot
from thetsaban.dates import use_in_admin
from thetsaban.permissions import is_staff

# Dates in every admin form are typed and shown in the Buddhist Era, like the site's own forms
# (this module is imported before any other app's admin registers its models).
use_in_admin()


class AuditedAdminMixin:
    """Admin saves and deletes go through the app's services, or leave the same audit records
    the services do: one for the parent and one for every inline row added, changed or deleted.
    The one copy for every app's admin, parent and inline rows alike.

    An admin names its app's services by model: `save_services[Model]` is the function(obj, *,
    acting_user) that checks the rules, saves and audits a row (the one the pages, API and
    commands call; a `note` argument, when it takes one, says "via administration"), and
    `delete_services[Model]` deletes one. Rows of a model not named are saved here and audited by
    this mixin. A service that refuses (ValidationError, PermissionDenied) rolls the whole save
    back and its reason is shown on the page."""

    save_services: dict = {}
    delete_services: dict = {}

    def _call_service(self, service, request, obj):
        if "note" in inspect.signature(service).parameters:
            return service(obj, acting_user=request.user, note=_("via administration"))
        return service(obj, acting_user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as refusal:
            if request.method != "POST":
                raise
            # The admin's transaction has been rolled back: nothing of this save was kept.
            reasons = getattr(refusal, "messages", None) or [str(refusal)]
            self.message_user(request, _("Not saved: %(reasons)s") % {"reasons": " ".join(reasons)},
                              messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        service = self.save_services.get(type(obj))
        if service is not None:
            self._call_service(service, request, obj)
            # The service audited the row; many-to-many values the form saves next are audited
            # against what the service stored.
            obj._audit_before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
            obj._audited_by_service = True
            return
        old = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        before = snapshot(old) if old else None
        super().save_model(request, obj, form, change)
        obj._audit_before = before

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(form.instance, "_audit_before", None)
        # As stored: an inline row saved through a service may have changed the parent too.
        obj = type(form.instance)._default_manager.filter(pk=form.instance.pk).first() or form.instance
        if getattr(form.instance, "_audited_by_service", False):
            if snapshot(obj) != before:
                record(obj, AuditAction.UPDATE, acting_user=request.user, before=before,
                       note=_("via administration"))
            return
        # A save that passed an approval check says so (e.g. a self-approval staff allowed).
        note = getattr(form.instance, "_audit_note", "") or _("via administration")
        record(obj, AuditAction.UPDATE if change else AuditAction.CREATE,
               acting_user=request.user, before=before, note=note)

    def save_inline_row(self, request, parent, obj) -> bool:
        """Save one added or changed inline row; False when a service saved and audited it."""
        service = self.save_services.get(type(obj))
        if service is not None:
            self._call_service(service, request, obj)
            return False
        obj.save()
        return True

    def save_formset(self, request, form, formset, change):
        # The form instances already carry the posted values: the "before" comes from the database.
        model = formset.model
        pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
        befores = {obj.pk: snapshot(obj) for obj in model._default_manager.filter(pk__in=pks)}
        note = _("via administration")
        rows = formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete = self.delete_services.get(type(obj))
            if delete is not None:
                delete(obj, acting_user=request.user)
                continue
            record(obj, AuditAction.DELETE, acting_user=request.user, before=befores.get(obj.pk),
                   note=note)
            obj.delete()
        for obj in rows:
            before = befores.get(obj.pk)
            if not self.save_inline_row(request, form.instance, obj):
                continue
            record(obj, AuditAction.UPDATE if before else AuditAction.CREATE,
                   acting_user=request.user, before=before, note=note)
        formset.save_m2m()

    def delete_model(self, request, obj):
        delete = self.delete_services.get(type(obj))
        if delete is not None:
            delete(obj, acting_user=request.user)
            return
        record(obj, AuditAction.DELETE, acting_user=request.user, before=snapshot(obj),
               note=_("via administration"))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    @admin.display(description=_("history"))
    def history_link(self, obj):
        if not obj.pk:
            return ""
        url = reverse("accounts:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("audit trail"))


class ReadOnlyAdminMixin:
    """Rows written only by their services or a queue: the admin reads them and never adds,
    changes or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RestrictedAdminMixin(AuditedAdminMixin):
    """An audited admin that lists only the rows `restrict(user, "view")` lets the user see."""

    def get_queryset(self, request):
        return self.model._default_manager.restrict(request.user, "view")


class RedactionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             help_text=_("The reference of the data-protection (PDPA) request."))


def redaction_action(redact, description):
    """An admin action that asks for the reason, then calls `redact(pk, acting_user=, reason=)`."""

    @admin.action(description=description)
    def redact_audit_trail(modeladmin, request, queryset):
        if not is_staff(request.user):
            raise PermissionDenied
        form = RedactionForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            count = sum(redact(pk, acting_user=request.user, reason=reason)
                        for pk in queryset.values_list("pk", flat=True))
            modeladmin.message_user(request, ngettext(
                "%(count)d audit entry redacted.", "%(count)d audit entries redacted.", count)
                % {"count": count}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/accounts/redact_audit.html", {
            **modeladmin.admin_site.each_context(request),
            "title": description, "form": form, "queryset": queryset,
            "opts": modeladmin.model._meta, "action": "redact_audit_trail",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })

    return redact_audit_trail


class LguMembershipInline(admin.TabularInline):
    model = LguMembership
    extra = 0
    raw_id_fields = ["lgu"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    inlines = [LguMembershipInline]
    list_display = ["username", "email", "is_staff", "is_reviewer", "is_moderator", "is_active"]
    list_filter = ["is_staff", "is_reviewer", "is_moderator", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Roles"), {"fields": ["is_reviewer", "is_moderator", "person"]}),
    )
    raw_id_fields = ["person"]
    actions = [redaction_action(redact_user, _("Redact personal data from the audit trail (PDPA)"))]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor__username", "note"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(LeagueSettings)
class LeagueSettingsAdmin(admin.ModelAdmin):
    """The one row of league settings: only staff change it, through the audited service."""

    list_display = ["__str__", "allow_self_approval", "proposal_support_threshold", "comment_edit_minutes"]
    readonly_fields = ["history_link"]

    def has_view_permission(self, request, obj=None):
        return is_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff(request.user)

    def has_add_permission(self, request):
        return is_staff(request.user) and not LeagueSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        save_league_settings(obj, acting_user=request.user, note=_("via administration"))

    @admin.display(description=_("history"))
    def history_link(self, obj):
        return AuditedAdminMixin.history_link(self, obj)


@admin.register(Profile)
class ProfileAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "affiliation", "lgu", "languages", "email_notifications"]
    search_fields = ["user__username", "user__email", "affiliation"]
    raw_id_fields = ["user", "lgu"]
    readonly_fields = ["history_link"]


@admin.register(RoleRequest)
class RoleRequestAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Read-only here: staff decide on the role requests page, where four eyes are checked."""

    list_display = ["user", "role", "lgu", "status", "created_at", "decided_by"]
    list_filter = ["status", "role"]
    search_fields = ["user__username", "user__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ReadOnlyAdminMixin, RestrictedAdminMixin, admin.ModelAdmin):
    """Read-only: a member's request is carried out as a PDPA erasure request (the privacy app's
    queue and admin, four eyes), whose decision erases the member and settles this request."""

    list_display = ["username", "status", "created_at", "handled_by", "handled_at"]
    list_filter = ["status"]
    search_fields = ["username"]
    fields = ["user", "username", "reason", "created_at", "status", "staff_note", "handled_by",
              "handled_at", "history_link"]
    readonly_fields = fields
