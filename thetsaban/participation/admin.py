"""Administration of participation. Members' words are theirs: comments and proposals are
written and edited only by their authors on the pages (through the services, which keep the
author-only and no-supporters rules), so here they are read, promoted and (audited) deleted.
Hiding and restoring need a reason, so they happen in the moderation queue (or the API), not by
ticking a box here."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from thetsaban.accounts.admin import RestrictedAdminMixin
from thetsaban.participation import services
from thetsaban.participation.models import Comment, Endorsement, Flag, Follow, Moderation, Proposal


@admin.register(Comment)
class CommentAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "author", "content_type", "object_id", "hidden", "created_at",
                    "history_link"]
    list_filter = ["hidden", "content_type"]
    search_fields = ["text", "author__username"]
    raw_id_fields = ["author"]
    readonly_fields = ["author", "content_type", "object_id", "text", "hidden", "created_at",
                       "history_link"]
    list_select_related = ["author", "content_type"]

    def has_add_permission(self, request):
        return False


@admin.register(Proposal)
class ProposalAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "author", "lgu", "status", "hidden", "promoted_to", "created_at"]
    list_filter = ["status", "hidden", "themes"]
    search_fields = ["title", "problem", "proposal", "author__username"]
    readonly_fields = ["title", "problem", "proposal", "author", "lgu", "themes", "status",
                       "promoted_to", "hidden", "created_at", "history_link"]
    list_select_related = ["author", "lgu", "promoted_to"]
    actions = ["promote"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Promote into recommendations"))
    def promote(self, request, queryset):
        for proposal in queryset:
            try:
                services.promote_proposal(proposal, acting_user=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, f"{proposal}: {' '.join(getattr(error, 'messages', [str(error)]))}")
            else:
                messages.success(request, _("Promoted: %(title)s") % {"title": proposal.title})


class ReadOnlyAdmin(RestrictedAdminMixin, admin.ModelAdmin):
    """Rows made only through the services; the admin shows and (audited) deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin):
    list_display = ["user", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    list_select_related = ["user", "content_type"]


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["user", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    list_select_related = ["user", "content_type"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["reason", "reporter", "content_type", "object_id", "created_at", "resolved_at"]
    list_filter = ["content_type", "resolved_at"]
    list_select_related = ["reporter", "content_type"]


@admin.register(Moderation)
class ModerationAdmin(ReadOnlyAdmin):
    """The moderation log is kept whole: nobody deletes from it."""

    list_display = ["created_at", "moderator", "action", "content_type", "object_id", "reason"]
    list_filter = ["action", "content_type"]
    list_select_related = ["moderator", "content_type"]

    def has_delete_permission(self, request, obj=None):
        return False
