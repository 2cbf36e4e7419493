"""A member's own page: what they wrote, follow and support, their rights and their notices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thetsaban import hooks
from thetsaban.accounts.models import RoleRequest
from thetsaban.filtering import StablePaginator
from thetsaban.participation import services
from thetsaban.participation.models import Comment, Endorsement, Follow, Notification, Proposal
from thetsaban.restricted import RestrictedView

# How many rows of each list the page shows; the notices page lists them all, page by page.
SHOWN = 20
NOTICES_PER_PAGE = 50


def _targeted(queryset, **mine):
    """The user's rows of a kind attached to records, with their records, newest first."""
    return queryset.filter(**mine).prefetch_related("target").order_by("-pk")[:SHOWN]


@method_decorator(login_required, name="dispatch")
class MyPage(RestrictedView):
    """My page: my comments, proposals, follows, supports, rights, notices, and the sections other
    apps add through hooks (`ThetsabanAppConfig.mypage`)."""

    model = Notification

    def get(self, request):
        user = request.user
        notifications = self.restricted()
        return render(request, "participation/me.html", {
            "notifications": notifications[:10],
            "unread_count": notifications.unread().count(),
            "comments": _targeted(self.restricted(Comment), author=user),
            "proposals": self.restricted(Proposal).filter(author=user).order_by("-created_at")[:SHOWN],
            "follows": _targeted(self.restricted(Follow), user=user),
            "endorsements": _targeted(self.restricted(Endorsement), user=user),
            # The other apps' sections (the coach pool: the member's coach application).
            "sections": hooks.mypage_sections(user),
            "memberships": user.lgu_memberships.select_related("lgu"),
            "role_requests": self.restricted(RoleRequest).filter(user=user).select_related("lgu")[:SHOWN],
        })


@method_decorator(login_required, name="dispatch")
class Notifications(RestrictedView):
    """All my notices, newest first, page by page."""

    model = Notification

    def get(self, request):
        queryset = self.restricted()
        page = StablePaginator(queryset, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
        return render(request, "participation/notifications.html", {
            "page": page, "unread_count": queryset.unread().count()})


@method_decorator([login_required, require_POST], name="dispatch")
class NotificationsRead(RestrictedView):
    """Mark one notice read (`notification` posted) or all of them."""

    model = Notification
    action = "change"

    def post(self, request):
        queryset = self.restricted()
        if request.POST.get("notification"):
            queryset = queryset.filter(pk__in=[v for v in request.POST.getlist("notification")
                                               if v.isdigit()])
        count = services.mark_read(queryset, acting_user=request.user)
        if count:
            messages.success(request, _("Marked as read."))
        back = request.POST.get("next")
        return redirect("participation:notifications" if back == "notifications" else "participation:me")
