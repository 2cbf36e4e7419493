"""Pages of the calls for practices: the calls, one call with its criteria, jury, entries and
ranking, an entry with the juror's declaration and scores, and the staff's and LGUs' actions."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from thetsaban.calls import services
from thetsaban.calls.forms import CallForm, DeclarationForm, JurorForm, UnpublishForm
from thetsaban.calls.models import MAX_SCORE, Call, Criterion, Declaration, Entry, Juror, Score
from thetsaban.permissions import editable_lgu_ids, is_staff
from thetsaban.practices.models import Practice, Theme
from thetsaban.restricted import RestrictedDetailView, RestrictedListView, RestrictedView


def _refused(request, error):
    if isinstance(error, ValidationError):
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, str(error) or _("You may not do this."))


class CallListView(RestrictedListView):
    model = Call
    template_name = "calls/index.html"
    context_object_name = "calls"


class CallDetailView(RestrictedDetailView):
    model = Call
    template_name = "calls/detail.html"
    context_object_name = "call"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call, user = self.object, self.request.user
        entries = self.restricted(Entry).filter(call=call).select_related("practice__lgu")
        juror = services.juror_of(call, user)
        context.update({
            "criteria": self.restricted(Criterion).filter(call=call),
            "themes": self.restricted(Theme).filter(calls=call),
            "jurors": self.restricted(Juror).filter(call=call).select_related("user"),
            "entries": entries,
            "juror": juror,
            "is_staff": is_staff(user),
            "juror_form": JurorForm() if is_staff(user) and not call.is_published else None,
            "max_score": MAX_SCORE,
            "unpublish_form": UnpublishForm() if is_staff(user) and call.is_published else None,
        })
        if call.is_published or is_staff(user):
            context["ranking"] = services.ranking(call) if not call.is_published else None
            context["results"] = entries.filter(withdrawn_at__isnull=True).order_by("rank", "pk") \
                if call.is_published else None
        if call.is_open and user.is_authenticated:
            entered = entries.filter(withdrawn_at__isnull=True).values_list("practice_id", flat=True)
            context["enterable"] = (self.restricted(Practice, "change").filter(
                status__in=services.ENTERABLE_STATUSES, lgu_id__in=editable_lgu_ids(user))
                                    .exclude(pk__in=list(entered)).select_related("lgu"))
        if juror is not None:
            declared = {d.entry_id: d for d in self.restricted(Declaration).filter(juror=juror)}
            scored = set(self.restricted(Score).filter(juror=juror).values_list("entry_id", flat=True))
            for entry in entries:
                entry.my_declaration = declared.get(entry.pk)
                entry.my_scored = entry.pk in scored
                entry.own_lgu = bool(services.own_lgu_refusal(entry, user))
        return context


class CallCreateView(LoginRequiredMixin, RestrictedView):
    model = Call
    action = "change"

    def _form(self, data=None):
        return CallForm(data, themes=self.restricted(Theme))

    def get(self, request):
        if not is_staff(request.user):
            raise PermissionDenied
        return render(request, "calls/new.html", {"form": self._form()})

    def post(self, request):
        if not is_staff(request.user):
            raise PermissionDenied
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            call = services.open_call(
                Call(title=data["title"], description=data["description"], deadline=data["deadline"],
                     winners=data["winners"]),
                criteria=data["criteria"], themes=data["themes"], acting_user=request.user)
            messages.success(request, _("The call is open."))
            return redirect(call)
        return render(request, "calls/new.html", {"form": form}, status=400)


class _CallAction(RestrictedView):
    model = Call

    def call(self, pk):
        return get_object_or_404(self.restricted(), pk=pk)


class JurorAddView(_CallAction):
    action = "change"

    def post(self, request, pk):
        call = self.call(pk)
        form = JurorForm(request.POST)
        if form.is_valid():
            username = form.cleaned_data["username"].strip()
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                messages.error(request, _("There is no user “%(username)s”.") % {"username": username})
            else:
                try:
                    services.appoint_juror(call, user, acting_user=request.user)
                    messages.success(request, _("%(user)s is on the jury.") % {"user": username})
                except ValidationError as error:
                    _refused(request, error)
        else:
            messages.error(request, _("Give the username of the juror."))
        return redirect(call)


class JurorRemoveView(_CallAction):
    action = "change"

    def post(self, request, pk, juror):
        call = self.call(pk)
        juror = get_object_or_404(self.restricted(Juror, "change"), pk=juror, call=call)
        try:
            services.remove_juror(juror, acting_user=request.user)
            messages.success(request, _("The juror was taken off the jury."))
        except ValidationError as error:
            _refused(request, error)
        return redirect(call)


class EnterView(LoginRequiredMixin, _CallAction):
    def post(self, request, pk):
        call = self.call(pk)
        practice = self.restricted(Practice, "change").filter(pk=request.POST.get("practice") or 0).first() \
            if str(request.POST.get("practice", "")).isdigit() else None
        if practice is None:
            messages.error(request, _("Choose a practice of your LGU to enter."))
            return redirect(call)
        try:
            services.enter_practice(call, practice, acting_user=request.user)
            messages.success(request, _("“%(practice)s” is entered in the call.") % {"practice": practice.title})
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        return redirect(call)


class PublishView(_CallAction):
    action = "change"

    def post(self, request, pk):
        call = self.call(pk)
        try:
            services.publish_results(call, acting_user=request.user, comment=request.POST.get("comment", "")[:500])
            messages.success(request, _("The results are published."))
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        return redirect(call)


class UnpublishView(_CallAction):
    """League staff withdraw published results, with the reason (four eyes: not the publisher alone)."""

    action = "change"

    def post(self, request, pk):
        call = self.call(pk)
        form = UnpublishForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(f"{form.fields[name].label}: {' '.join(errors)}"
                                             for name, errors in form.errors.items()))
            return redirect(call)
        try:
            services.unpublish_results(call, acting_user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The results are withdrawn: the ranking is no longer public."))
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        return redirect(call)


class EntryDetailView(RestrictedDetailView):
    model = Entry
    template_name = "calls/entry.html"
    context_object_name = "entry"

    def refine_queryset(self, queryset):
        return queryset.select_related("call", "practice__lgu")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry, user = self.object, self.request.user
        juror = services.juror_of(entry.call, user)
        criteria = list(self.restricted(Criterion).filter(call=entry.call))
        scores = list(self.restricted(Score).filter(entry=entry).select_related("juror__user", "criterion"))
        mine = {s.criterion_id: s for s in scores if juror is not None and s.juror_id == juror.pk}
        sheets: dict = {}
        for score in scores:
            if juror is None or score.juror_id != juror.pk:
                sheets.setdefault(score.juror, {})[score.criterion_id] = score
        context.update({
            "call": entry.call,
            "practice": self.restricted(Practice).filter(pk=entry.practice_id).first(),
            "criteria": criteria,
            "juror": juror,
            "own_lgu": services.own_lgu_refusal(entry, user) if juror else "",
            "declaration": self.restricted(Declaration).filter(entry=entry, juror=juror).first() if juror else None,
            "my_scores": [(c, mine.get(c.pk)) for c in criteria],
            "scored": bool(mine),
            "others": [(j, [sheet.get(c.pk) for c in criteria]) for j, sheet in sheets.items()],
            "max_score": MAX_SCORE,
            "may_withdraw": entry.call.is_open and not entry.is_withdrawn
            and self.restricted(Entry, "change").filter(pk=entry.pk).exists(),
            "declaration_form": DeclarationForm(),
        })
        return context


class _EntryAction(LoginRequiredMixin, RestrictedView):
    model = Entry

    def entry(self, pk, action="view"):
        return get_object_or_404(self.restricted(Entry, action).select_related("call", "practice"), pk=pk)


class WithdrawView(_EntryAction):
    def post(self, request, pk):
        entry = self.entry(pk, "change")
        try:
            services.withdraw_entry(entry, acting_user=request.user)
            messages.success(request, _("The entry is withdrawn."))
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        return redirect(entry.call)


class DeclareView(_EntryAction):
    def post(self, request, pk):
        entry = self.entry(pk)
        form = DeclarationForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.declare_interest(entry, conflict=True, note=note, acting_user=request.user)
            messages.success(request, _("Your conflict of interest is recorded: you do not score this entry."))
        except ValidationError as error:
            _refused(request, error)
        return redirect(entry)


class ScoreView(_EntryAction):
    def post(self, request, pk):
        entry = self.entry(pk)
        criteria = list(self.restricted(Criterion).filter(call=entry.call))
        values = {c.pk: request.POST.get(f"criterion_{c.pk}", "").strip() for c in criteria}
        comments = {c.pk: request.POST.get(f"comment_{c.pk}", "") for c in criteria}
        try:
            if request.POST.get("no_conflict") != "on":
                declared = self.restricted(Declaration).filter(entry=entry, juror__user=request.user, conflict=False)
                if not declared.exists():
                    raise services.Refused(_("Tick the declaration that you have no conflict of interest "
                                             "with this entry."))
            else:
                services.declare_interest(entry, conflict=False, acting_user=request.user)
            services.submit_scores(entry, values, comments=comments, acting_user=request.user)
            messages.success(request, _("Your scores are saved."))
        except ValidationError as error:
            _refused(request, error)
        return redirect(entry)
