from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import RestrictedAdminMixin, redaction_action
from thetsaban.directory import services
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post


class ContactDetailInline(admin.TabularInline):
    model = ContactDetail
    extra = 0
    fields = ["kind", "value", "label", "visibility", "consent"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fields = ["label_th", "label_en", "responsibilities"]
    show_change_link = True


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["person", "organisation", "post", "role", "start_date", "end_date"]
    raw_id_fields = ["person", "organisation", "post"]


@admin.register(Organisation)
class OrganisationAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["name_th", "abbreviation", "kind", "lgu"]
    list_filter = ["kind"]
    search_fields = ["name_th", "name_en", "abbreviation", "other_names", "code"]
    autocomplete_fields = ["parent", "lgu"]
    filter_horizontal = ["topics"]
    readonly_fields = ["history_link"]
    inlines = [PostInline, ContactDetailInline]


@admin.register(Post)
class PostAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["label_th", "organisation"]
    list_filter = ["organisation__kind", "topics"]
    search_fields = ["label_th", "label_en", "responsibilities", "organisation__name_th",
                     "organisation__abbreviation"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["topics"]
    readonly_fields = ["history_link"]
    inlines = [ContactDetailInline, MembershipInline]
    list_select_related = ["organisation"]


@admin.register(Person)
class PersonAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["name_th", "name_en", "visibility", "listing_consent", "is_example"]
    list_filter = ["visibility", "listing_consent", "is_example"]
    search_fields = ["name_th", "name_en", "summary"]
    filter_horizontal = ["topics"]
    readonly_fields = ["consent_recorded_at", "history_link"]
    inlines = [ContactDetailInline, MembershipInline]
    actions = [redaction_action(services.redact_person, _("Redact personal data from the audit trail (PDPA)"))]

    def save_model(self, request, obj, form, change):
        stored = Person.objects.filter(pk=obj.pk).values_list("listing_consent", flat=True).first()
        services.stamp_consent(obj, consented_before=bool(stored))
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["person", "organisation", "post", "role", "start_date", "end_date"]
    raw_id_fields = ["person", "organisation", "post"]
    list_select_related = ["person", "organisation", "post"]


@admin.register(ContactDetail)
class ContactDetailAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "value", "person", "post", "organisation", "visibility", "consent"]
    list_filter = ["kind", "visibility", "consent"]
    search_fields = ["value", "label"]
    raw_id_fields = ["person", "post", "organisation"]
    list_select_related = ["person", "post", "organisation"]
