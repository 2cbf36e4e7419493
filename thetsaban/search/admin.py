from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.search.models import Abbreviation


@admin.register(Abbreviation)
class AbbreviationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Staff edit the abbreviations; searches use them at once, no re-indexing needed."""

    list_display = ["__str__", "note"]
    search_fields = ["forms", "note"]
    actions = ["rebuild_index"]

    @admin.action(description=_("Rebuild the whole search index"))
    def rebuild_index(self, request, queryset):
        from thetsaban.search.services import rebuild

        indexed = rebuild()
        self.message_user(request, _("Search index rebuilt: %(mb).1f MB of text.") % {"mb": indexed / 1e6},
                          messages.SUCCESS)
