from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.places.models import Country, LearningCentre, Lgu, Province, Region
from thetsaban.places.pickers import LGUS


class PlaceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Places are read through restrict() and every save or delete is audited."""

    search_fields = ["name_th", "name_en"]
    readonly_fields = ["history_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, "view")


@admin.register(Country)
class CountryAdmin(PlaceAdmin):
    list_display = ["name_th", "name_en", "code"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(Region)
class RegionAdmin(PlaceAdmin):
    list_display = ["name_th", "name_en", "code", "country"]
    list_select_related = ["country"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(Province)
class ProvinceAdmin(PlaceAdmin):
    list_display = ["name_th", "name_en", "code", "region"]
    # Staff re-map provinces to regions from the list; the demo's mapping is only a default.
    # Rows saved there go through save_model/save_related, so they are audited too.
    list_editable = ["region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(Lgu)
class LguAdmin(PlaceAdmin):
    change_list_template = "admin/places/lgu/change_list.html"
    list_display = ["name_th", "short_name", "code", "lgu_type", "province"]
    list_filter = ["lgu_type", "province__region", "province"]
    list_select_related = ["province"]
    search_fields = ["name_th", "name_en", "short_name", "code"]
    autocomplete_fields = ["province"]
    fieldsets = [
        (None, {"fields": ["code", "name_th", "name_en", "short_name", "lgu_type", "province"]}),
        (_("Facts"), {"fields": ["population", "website", "latitude", "longitude"]}),
        (_("History"), {"fields": ["history_link"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        # The admin's search and its autocomplete boxes find LGUs as the site's pickers do
        # ("ทน.สงขลา"), best match first.
        if not search_term.strip():
            return queryset, False
        return LGUS.matches(queryset, search_term), False


@admin.register(LearningCentre)
class LearningCentreAdmin(PlaceAdmin):
    list_display = ["name_th", "region", "host"]
    list_select_related = ["region", "host"]
    raw_id_fields = ["host"]
