"""Pages of the privacy app: a member's requests about their personal data, the staff queue,
the register of personal data and the breach log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import View

from thetsaban import restricted
from thetsaban.accounts.services import OwnWorkRefused, own_work_reason
from thetsaban.dates import format_date
from thetsaban.permissions import is_staff
from thetsaban.privacy import register, services
from thetsaban.privacy.choices import RequestStatus
from thetsaban.privacy.forms import BreachForm, DecisionForm, RecordRequestForm, RequestForm
from thetsaban.privacy.models import Breach, Erasure, SubjectRequest
from thetsaban.restricted import RestrictedView

staff_only = restricted.staff_only(
    gettext_lazy("Only league staff handle personal data requests and breaches."))


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


class RequestPage(RestrictedView):
    """A page over the personal data requests the user may see."""

    model = SubjectRequest

    def visible_request(self, pk):
        """The request, or None for an anonymous visitor (asked to sign in); 404 when hidden."""
        if not self.request.user.is_authenticated:
            return None
        return get_object_or_404(self.restricted().select_related("subject", "recorded_by", "decided_by"),
                                 pk=pk)


@method_decorator(login_required, name="dispatch")
class Home(RequestPage):
    """A member's requests about their personal data, and how to make one."""

    def get(self, request):
        requests = self.restricted().filter(subject=request.user)
        return render(request, "privacy/home.html", {"requests": requests})


@method_decorator(login_required, name="dispatch")
class RequestNew(RequestPage):
    """A member asks for a copy, a correction, an erasure or an objection about their own data."""

    def get(self, request):
        form = RequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                made = services.file_request(request.user, kind=form.cleaned_data["kind"],
                                             details=form.cleaned_data["details"], acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("Your request is recorded as %(reference)s. Staff answer by %(date)s.")
                                 % {"reference": made.reference, "date": format_date(made.due_on)})
                return redirect(made)
        return render(request, "privacy/request_form.html", {"form": form})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


def may_download(user, subject_request) -> bool:
    if not subject_request.gives_a_copy or subject_request.status in (RequestStatus.REFUSED, RequestStatus.WITHDRAWN):
        return False
    return is_staff(user) or subject_request.status == RequestStatus.COMPLETED


class RequestDetail(RequestPage):
    """One request: the member follows it; staff decide it (not their own, not one they recorded)."""

    def get(self, request, pk):
        subject_request = self.visible_request(pk)
        if subject_request is None:
            return redirect_to_login(request.get_full_path())
        authors = {subject_request.subject_id}
        if subject_request.recorded_by_id != subject_request.subject_id:
            authors.add(subject_request.recorded_by_id)
        found = []
        if is_staff(request.user) and subject_request.status == RequestStatus.OPEN:
            subject = register.Subject.of(subject_request.subject, subject_request.subject_email)
            found = [(register.describe(entry), len(rows)) for entry, rows in register.found_for(subject)]
        return render(request, "privacy/request_detail.html", {
            "item": subject_request,
            "found": found,
            "may_decide": is_staff(request.user) and subject_request.status == RequestStatus.OPEN,
            "own_work": own_work_reason(request.user, authors - {None}),
            "may_withdraw": self.restricted(SubjectRequest, "withdraw").filter(pk=pk).exists(),
            "may_download": may_download(request.user, subject_request),
            "decision_form": DecisionForm(),
            "erasures": self.restricted(Erasure).filter(request=subject_request),
        })


@method_decorator(require_POST, name="dispatch")
class RequestWithdraw(RequestPage):
    """The member withdraws their open request."""

    def post(self, request, pk):
        subject_request = self.visible_request(pk)
        if subject_request is None:
            return redirect_to_login(request.get_full_path())
        try:
            services.withdraw_request(subject_request, acting_user=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your request is withdrawn."))
        return redirect(subject_request)


@method_decorator([require_POST, staff_only], name="dispatch")
class RequestDecide(RequestPage):
    """Staff complete or refuse a request (an erasure is carried out on completion)."""

    action = "change"

    def post(self, request, pk):
        subject_request = get_object_or_404(self.restricted(), pk=pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether to complete or refuse the request."))
            return redirect(subject_request)
        data = form.cleaned_data
        try:
            if data["decision"] == "refuse":
                services.refuse_request(subject_request, reason=data["refusal_reason"], acting_user=request.user)
            else:
                services.complete_request(subject_request, outcome=data["outcome"], acting_user=request.user)
        except OwnWorkRefused as error:
            messages.error(request, str(error))
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The request is answered."))
        return redirect(subject_request)


class RequestExport(RequestPage):
    """The copy of everything the register finds about the subject, as a ZIP of JSON and CSV."""

    def get(self, request, pk):
        subject_request = self.visible_request(pk)
        if subject_request is None:
            return redirect_to_login(request.get_full_path())
        if not may_download(request.user, subject_request):
            raise Http404
        subject = register.Subject.of(subject_request.subject, subject_request.subject_email)
        data = register.export_zip(subject, reference=subject_request.reference)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{subject_request.reference}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(staff_only, name="dispatch")
class Queue(RequestPage):
    """Staff: open requests by due date (overdue first), the latest answered, the erasures done."""

    def get(self, request):
        visible = self.restricted().select_related("subject", "recorded_by")
        return render(request, "privacy/queue.html", {
            "open": visible.open(),
            "answered": visible.exclude(status=RequestStatus.OPEN).order_by("-decided_at", "-pk")[:20],
            "erasures": self.restricted(Erasure).select_related("request")[:20],
            "today": timezone.localdate(),
        })


@method_decorator(staff_only, name="dispatch")
class RequestRecord(RequestPage):
    """Staff record a request made by letter, e-mail or in person, with the identity check."""

    def get(self, request):
        form = RecordRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                made = services.record_request(
                    kind=data["kind"], subject=data["account"], subject_name=data["subject_name"],
                    subject_email=data["subject_email"], details=data["details"],
                    identity_method=data["identity_method"], identity_note=data["identity_note"],
                    received_at=form.received_at(), acting_user=request.user)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Recorded as %(reference)s.") % {"reference": made.reference})
                return redirect(made)
        return render(request, "privacy/request_record.html", {"form": form})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get


@method_decorator(staff_only, name="dispatch")
class RegisterPage(View):
    """Staff: where personal data lives, why, on what legal basis, and what erasure does."""

    def get(self, request):
        return render(request, "privacy/register.html",
                      {"entries": [register.describe(e) for e in register.entries()]})


@method_decorator(staff_only, name="dispatch")
class RegisterCsv(View):
    """Staff: the register of personal data as CSV."""

    def get(self, request):
        response = HttpResponse(register.register_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="personal-data-register.csv"'
        return response


class BreachPage(RestrictedView):
    """A page over the breach log."""

    model = Breach


@method_decorator(staff_only, name="dispatch")
class Breaches(BreachPage):
    """Staff: the breach log, with each breach's 72-hour notification deadline."""

    def get(self, request):
        return render(request, "privacy/breaches.html", {
            "breaches": self.restricted().select_related("recorded_by")})


@method_decorator(staff_only, name="dispatch")
class BreachEdit(BreachPage):
    """Staff record a breach, or update it as notifications go out."""

    action = "change"

    def get(self, request, pk=None):
        breach = get_object_or_404(self.restricted(), pk=pk) if pk is not None else Breach()
        form = BreachForm(request.POST or None, instance=breach)
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.save_breach(form.instance, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, _errors(error))
            else:
                messages.success(request, _("The breach log is updated."))
                return redirect(saved)
        return render(request, "privacy/breach_form.html", {"form": form, "breach": breach if pk else None})

    # One body shows the form and takes it back (request.method tells them apart).
    post = get
