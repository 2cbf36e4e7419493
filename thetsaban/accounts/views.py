import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import View

from thetsaban.accounts.forms import DecisionForm, DeletionRequestForm, ProfileForm, RoleRequestForm
from thetsaban.accounts.history import describe as describe_history
from thetsaban.accounts.models import AuditEntry, DeletionRequest, RoleRequest
from thetsaban.accounts.services import (
    OwnWorkRefused,
    decide_role_request,
    own_work_reason,
    profile_of,
    request_deletion,
    request_role,
    save_profile,
    withdraw_role_request,
)
from thetsaban.permissions import is_staff
from thetsaban.restricted import RestrictedView


class History(RestrictedView):
    """Staff browse the audit trail of one record: who changed what, when."""

    model = AuditEntry

    def get(self, request, app_label, model, object_id):
        if not is_staff(request.user):
            raise Http404
        content_type = get_object_or_404(ContentType, app_label=app_label, model=model)
        entries = (self.restricted()
                   .filter(content_type=content_type, object_id=object_id).select_related("actor"))
        return render(request, "accounts/history.html", {
            "steps": describe_history(entries, content_type.model_class()),
            "content_type": content_type, "object_id": object_id,
            "record": entries[0].object_repr if entries else object_id,
        })


def locked_out(request, original_response=None, credentials=None):
    """The page shown instead of signing in once a username and address are locked out."""
    # Each try during a lockout starts the wait again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    until = (getattr(request, "axes_attempt_time", None) or timezone.now()) + get_cool_off(request)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    response = render(request, "accounts/locked_out.html", {
        "until": until, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT,
    }, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@method_decorator(login_required, name="dispatch")
class Profile(View):
    """A member's own profile: name, affiliation, LGU, languages and notice preferences."""

    def get(self, request):
        profile = profile_of(request.user)
        form = ProfileForm(request.POST or None, instance=profile, user=request.user)
        if request.method == "POST" and form.is_valid():
            save_profile(form.instance, first_name=form.cleaned_data["first_name"],
                         last_name=form.cleaned_data["last_name"], acting_user=request.user)
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
        return render(request, "accounts/profile.html", {
            "form": form,
            "memberships": request.user.lgu_memberships.select_related("lgu"),
        })

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator(login_required, name="dispatch")
class RoleRequestNew(View):
    """A member asks staff for a role: editor of their LGU, reviewer or moderator."""

    def get(self, request):
        form = RoleRequestForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                request_role(request.user, form.cleaned_data["role"], lgu=form.cleaned_data["lgu"],
                             reason=form.cleaned_data["reason"], acting_user=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your request has been sent to the league's staff."))
                return redirect("accounts:role_requests_mine")
        return render(request, "accounts/role_request_form.html", {"form": form})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


class RoleRequestPage(RestrictedView):
    """A page over the role requests the user may see."""

    model = RoleRequest


@method_decorator(login_required, name="dispatch")
class RoleRequestsMine(RoleRequestPage):
    """The member's own role requests and what staff decided."""

    def get(self, request):
        requests = (self.restricted().filter(user=request.user)
                    .select_related("lgu", "decided_by"))
        return render(request, "accounts/role_requests_mine.html", {"role_requests": requests})


@method_decorator([login_required, require_POST], name="dispatch")
class RoleRequestWithdraw(RoleRequestPage):
    """The member withdraws their pending role request."""

    action = "withdraw"

    def post(self, request, pk):
        role_request = get_object_or_404(self.restricted(), pk=pk)
        withdraw_role_request(role_request, acting_user=request.user)
        messages.success(request, _("Your request has been withdrawn."))
        return redirect("accounts:role_requests_mine")


class RoleRequests(RoleRequestPage):
    """Staff see the members' role requests and grant or refuse them (not their own)."""

    def get(self, request):
        if not is_staff(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(_("Only league staff decide role requests."))
        show = request.GET.get("show", "pending")
        requests = self.restricted().select_related("user", "lgu", "decided_by")
        if show != "all":
            requests = requests.pending()
        rows = [(r, own_work_reason(request.user, {r.user_id})) for r in requests]
        return render(request, "accounts/role_requests.html", {
            "rows": rows, "show": show, "decision_form": DecisionForm()})


@method_decorator(require_POST, name="dispatch")
class RoleRequestDecide(RoleRequestPage):
    """Staff grant or refuse a member's role request (not their own)."""

    action = "change"

    def post(self, request, pk):
        if not is_staff(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(reverse("accounts:role_requests"))
            raise PermissionDenied(_("Only league staff decide role requests."))
        role_request = get_object_or_404(self.restricted(), pk=pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether to grant or refuse the request."))
            return redirect("accounts:role_requests")
        approve = form.cleaned_data["decision"] == "approve"
        try:
            decide_role_request(role_request, approve=approve, note=form.cleaned_data["note"],
                                acting_user=request.user)
        except OwnWorkRefused as refusal:
            messages.error(request, str(refusal))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, (_("Granted: %(request)s") if approve else
                                       _("Refused: %(request)s")) % {"request": role_request})
        return redirect("accounts:role_requests")


@method_decorator(login_required, name="dispatch")
class DeleteAccount(RestrictedView):
    """A member asks for their account to be deleted; staff handle it and the request is kept."""

    model = DeletionRequest
    action = "withdraw"

    def get(self, request):
        form = DeletionRequestForm(request.POST or None)
        # Their own: staff may see every request, but this page is about the member's account.
        pending = self.restricted().filter(user=request.user).first()
        if request.method == "POST" and pending is None and form.is_valid():
            try:
                request_deletion(request.user, reason=form.cleaned_data["reason"],
                                 acting_user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your request has been recorded as a request to erase your "
                                            "personal data (PDPA). Staff answer it within 30 days; "
                                            "erasing your data deletes your account."))
                return redirect("accounts:profile")
        return render(request, "accounts/delete_account.html", {"form": form, "pending": pending})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
