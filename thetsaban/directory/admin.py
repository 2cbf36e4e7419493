from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import RestrictedAdminMixin, redaction_action
from thetsaban.directory import services
from thetsaban.directory.models import ContactDetail, Membership, Organisation, Person, Post


class DirectoryAdminMixin(RestrictedAdminMixin):
    """Directory rows, parent and inline, are saved and deleted by the directory services."""

    save_services = dict.fromkeys((Organisation, Post, Person, Membership, ContactDetail),
                                  services.save_record)
    delete_services = dict.fromkeys((Organisation, Post, Person, Membership, ContactDetail),
                                    services.delete_record)


class MembershipForm(forms.ModelForm):
    """A membership of a post may leave the organisation empty: it is the post's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].required = False

    def clean(self):
        cleaned = super().clean()
        post = cleaned.get("post")
        if "organisation" in self.fields and not cleaned.get("organisation"):
            if post is not None:
                cleaned["organisation"] = post.organisation
            elif not self.has_error("organisation"):
                self.add_error("organisation", _("Choose the organisation, or a post in it."))
        return cleaned


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
    form = MembershipForm
    extra = 0
    fields = ["person", "organisation", "post", "role", "start_date", "end_date"]
    raw_id_fields = ["person", "organisation", "post"]


@admin.register(Organisation)
class OrganisationAdmin(DirectoryAdminMixin, admin.ModelAdmin):
    list_display = ["name_th", "abbreviation", "kind", "lgu"]
    list_filter = ["kind"]
    search_fields = ["name_th", "name_en", "abbreviation", "other_names", "code"]
    autocomplete_fields = ["parent", "lgu"]
    filter_horizontal = ["topics"]
    readonly_fields = ["history_link"]
    inlines = [PostInline, ContactDetailInline]


@admin.register(Post)
class PostAdmin(DirectoryAdminMixin, admin.ModelAdmin):
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
class PersonAdmin(DirectoryAdminMixin, admin.ModelAdmin):
    list_display = ["name_th", "name_en", "visibility", "listing_consent", "is_example"]
    list_filter = ["visibility", "listing_consent", "is_example"]
    search_fields = ["name_th", "name_en", "summary"]
    filter_horizontal = ["topics"]
    readonly_fields = ["consent_recorded_at", "history_link"]
    inlines = [ContactDetailInline, MembershipInline]
    actions = [redaction_action(services.redact_person, _("Redact personal data from the audit trail (PDPA)"))]


@admin.register(Membership)
class MembershipAdmin(DirectoryAdminMixin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ["person", "organisation", "post", "role", "start_date", "end_date"]
    raw_id_fields = ["person", "organisation", "post"]
    list_select_related = ["person", "organisation", "post"]


@admin.register(ContactDetail)
class ContactDetailAdmin(DirectoryAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "value", "person", "post", "organisation", "visibility", "consent"]
    list_filter = ["kind", "visibility", "consent"]
    search_fields = ["value", "label"]
    raw_id_fields = ["person", "post", "organisation"]
    list_select_related = ["person", "post", "organisation"]
