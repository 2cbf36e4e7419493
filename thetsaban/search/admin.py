from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import AuditedAdminMixin
from thetsaban.jobs import services as jobs
from thetsaban.search.models import Abbreviation


@admin.register(Abbreviation)
class AbbreviationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Staff edit the abbreviations; searches use them at once, no re-indexing needed."""

    list_display = ["__str__", "note"]
    search_fields = ["forms", "note"]
    actions = ["rebuild_index"]

    @admin.action(description=_("Rebuild the whole search index"))
    def rebuild_index(self, request, queryset):
        job = jobs.start("search.rebuild", started_by=request.user)
        self.message_user(request, _("Search index rebuild: %(status)s.") % {
            "status": job.get_status_display()}, messages.SUCCESS)
        return redirect(job.get_absolute_url())
