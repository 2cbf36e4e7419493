from django.contrib import admin, messages
from django.utils.translation import gettext as _

from thetsaban.accounts.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from thetsaban.eservice import services
from thetsaban.eservice.models import (
    ApiClient,
    Attribute,
    CoveredSubdistrict,
    Jurisdiction,
    ResponseTemplate,
    Service,
    ServiceRequest,
)


class CoveredSubdistrictInline(admin.TabularInline):
    model = CoveredSubdistrict
    extra = 1


@admin.register(Jurisdiction)
class JurisdictionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["jurisdiction_id", "lgu", "active"]
    search_fields = ["jurisdiction_id", "lgu__name_th", "lgu__code"]
    raw_id_fields = ["lgu"]
    inlines = [CoveredSubdistrictInline]


class AttributeInline(admin.TabularInline):
    model = Attribute
    extra = 0


@admin.register(Service)
class ServiceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name_th", "lgu", "group", "ack_hours", "fix_hours", "active"]
    list_filter = ["group", "active"]
    search_fields = ["code", "name_th", "name_en", "lgu__name_th"]
    raw_id_fields = ["lgu", "based_on", "office", "post"]
    inlines = [AttributeInline]
    # Saved by the same service as the LGU's catalogue page (who may change which catalogue).
    save_services = {Service: services.save_service}

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "change")


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "lgu", "status"]
    raw_id_fields = ["lgu"]


@admin.register(ApiClient)
class ApiClientAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """League staff issue a key per client application; the key is made here, never typed, and
    shown once, in the message after saving: only its hash and first characters are kept."""

    list_display = ["name", "key_prefix", "lgu", "active", "per_minute", "created_at"]
    readonly_fields = ["key_prefix", "created_at"]
    raw_id_fields = ["lgu"]

    def save_model(self, request, obj, form, change):
        key = None if obj.key_hash else obj.set_new_key()
        super().save_model(request, obj, form, change)
        if key:
            messages.warning(request, _("The API key of %(name)s is %(key)s. Copy it now: it is not stored and "
                                        "will not be shown again.") % {"name": obj.name, "key": key})


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Requests are handled in the inbox (every change audited there); the admin only reads them."""

    list_display = ["pk", "lgu", "service", "status", "requested_at", "example"]
    list_filter = ["status", "example"]
    raw_id_fields = ["lgu", "service", "reporter", "client", "assigned_office", "assigned_to", "duplicate_of"]
