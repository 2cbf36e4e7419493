"""Staff pages of the coach matching: run it, read the proposals and why, accept or reject them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from thetsaban import restricted
from thetsaban.accounts.services import OwnWorkRefused
from thetsaban.coaching import matching_services as services
from thetsaban.coaching.choices import ProposalDecision
from thetsaban.coaching.matching import explain_lines
from thetsaban.coaching.models import MatchingRun
from thetsaban.coaching.services import mark_vetting_refusals
from thetsaban.jobs import services as jobs
from thetsaban.jobs.choices import JobStatus
from thetsaban.places.models import Region
from thetsaban.restricted import RestrictedView


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000, required=False,
                             widget=forms.TextInput)


staff_only = restricted.staff_only(gettext_lazy("Only league staff run coach matching."))


def _with_lines(user, proposals, regions):
    names = {region.code: str(region) for region in regions}
    rows = list(proposals)
    for proposal in rows:
        explanation = dict(proposal.explanation)
        for key in ("coach_region", "project_region"):
            explanation[key] = names.get(explanation.get(key), explanation.get(key, ""))
        proposal.lines = explain_lines(explanation)
    mark_vetting_refusals(user, [proposal.coach for proposal in rows])
    return rows


class RunPage(RestrictedView):
    """A page of matching runs (staff only), whose proposals name the regions the user may see."""

    model = MatchingRun

    def run_context(self, run):
        user = self.request.user
        proposals = _with_lines(user, services.proposals_for(user).filter(run=run).order_by("cost", "pk"),
                                self.restricted(Region))
        return _proposals_context(run, proposals)


def _proposals_context(run, proposals):
    return {
        "run": run,
        "proposals": proposals,
        "pending": sum(1 for p in proposals if p.decision == ProposalDecision.PENDING),
        "reject_form": RejectForm(),
    }


@method_decorator(staff_only, name="dispatch")
class MatchingHome(RunPage):
    """The latest run with its proposals, the run button and the earlier runs."""

    def get(self, request):
        runs = list(self.restricted().select_related("created_by")[:10])
        context = {"runs": runs, "run": None}
        if runs:
            context.update(self.run_context(runs[0]))
        return render(request, "coaching/matching/home.html", context)


@method_decorator(staff_only, name="dispatch")
class RunDetail(RunPage):
    """One run and its proposals."""

    def get(self, request, pk):
        run = get_object_or_404(self.restricted().select_related("created_by"), pk=pk)
        context = self.run_context(run)
        context["runs"] = []
        return render(request, "coaching/matching/home.html", context)


@require_POST
@staff_only
def run(request):
    """Solve the matching in a background job; its page follows it (or, when the job has
    already finished, the new run's page shows the proposals)."""
    job = jobs.start("coaching.matching", started_by=request.user)
    if job.status == JobStatus.SUCCEEDED:
        messages.success(request, job.result["message"])
        return redirect(job.result["url"])
    return redirect(job.get_absolute_url())


def _back(proposal):
    return redirect("matching:run", pk=proposal.run_id)


@require_POST
@staff_only
def accept(request, pk):
    """Accept one proposal: it becomes the project's lead-coach assignment."""
    proposal = get_object_or_404(services.proposals_for(request.user), pk=pk)
    try:
        assignment = services.accept_proposal(proposal, acting_user=request.user)
    except OwnWorkRefused as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if assignment.coach_emailed:
            text = _("%(coach)s is now the coach of “%(project)s”; they have been e-mailed.")
        else:
            text = _("%(coach)s is now the coach of “%(project)s”. They have no e-mail address on "
                     "record, so nobody has told them yet: please let them know yourself.")
        messages.success(request, text % {"coach": proposal.coach, "project": proposal.project})
    return _back(proposal)


@require_POST
@staff_only
def reject(request, pk):
    """Reject one proposal, with an optional reason."""
    proposal = get_object_or_404(services.proposals_for(request.user), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return _back(proposal)
    try:
        services.reject_proposal(proposal, acting_user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The proposal was rejected."))
    return _back(proposal)


@require_POST
@staff_only
def accept_all(request, pk):
    """Accept every pending proposal of a run; report those that could not be accepted."""
    matching_run = get_object_or_404(services.runs_for(request.user), pk=pk)
    accepted, failed = services.accept_all(matching_run, acting_user=request.user)
    messages.success(request, _("%(n)s proposals accepted.") % {"n": len(accepted)})
    for proposal, message in failed:
        messages.error(request, _("%(project)s: %(message)s") % {"project": proposal.project, "message": message})
    return redirect("matching:run", pk=matching_run.pk)
