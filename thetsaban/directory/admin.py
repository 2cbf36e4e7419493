from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin, redaction_action
from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.services import record, snapshot
from thetsaban.directory import services
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post


class AuditedInlinesMixin(AuditedAdminMixin):
    """Rows added, changed or deleted in inlines are audited one by one, like the parent."""

    def get_queryset(self, request):
        return self.model._default_manager.restrict(request.user, "view")

    def save_formset(self, request, form, formset, change):
        befores = {
            f.instance.pk: snapshot(type(f.instance)._default_manager.get(pk=f.instance.pk))
            for f in formset.initial_forms if f.instance.pk and f.has_changed()
        }
        deleted = [(obj, snapshot(obj)) for obj in formset.queryset
                   if obj.pk in {f.instance.pk for f in formset.deleted_forms}]
        for obj, before in deleted:
            record(obj, AuditAction.DELETE, acting_user=request.user, before=before,
                   note=_("via administration"))
        instances = formset.save()
        for obj in instances:
            before = befores.get(obj.pk)
            record(obj, AuditAction.UPDATE if before else AuditAction.CREATE,
                   acting_user=request.user, before=before, note=_("via administration"))


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
class OrganisationAdmin(AuditedInlinesMixin, admin.ModelAdmin):
    list_display = ["name_th", "abbreviation", "kind", "lgu"]
    list_filter = ["kind"]
    search_fields = ["name_th", "name_en", "abbreviation", "other_names", "code"]
    autocomplete_fields = ["parent"]
    raw_id_fields = ["lgu"]
    filter_horizontal = ["topics"]
    readonly_fields = ["history_link"]
    inlines = [PostInline, ContactDetailInline]


@admin.register(Post)
class PostAdmin(AuditedInlinesMixin, admin.ModelAdmin):
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
class PersonAdmin(AuditedInlinesMixin, admin.ModelAdmin):
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
class MembershipAdmin(AuditedInlinesMixin, admin.ModelAdmin):
    list_display = ["person", "organisation", "post", "role", "start_date", "end_date"]
    raw_id_fields = ["person", "organisation", "post"]
    list_select_related = ["person", "organisation", "post"]


@admin.register(ContactDetail)
class ContactDetailAdmin(AuditedInlinesMixin, admin.ModelAdmin):
    list_display = ["kind", "value", "person", "post", "organisation", "visibility", "consent"]
    list_filter = ["kind", "visibility", "consent"]
    search_fields = ["value", "label"]
    raw_id_fields = ["person", "post", "organisation"]
    list_select_related = ["person", "post", "organisation"]
