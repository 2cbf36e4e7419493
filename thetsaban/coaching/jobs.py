"""Coach matching runs as a background job (solving for the whole country takes a while)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban.coaching import matching_services
from thetsaban.jobs.registry import job


@job("coaching.matching", gettext_lazy("Match coaches to projects"), retries=1)
def run_matching(run):
    """Solve the matching and store the proposals. Safe to retry: a failed run leaves nothing."""
    run.progress(0, 1, _("Solving the matching"))
    result = matching_services.run_matching(acting_user=run.acting_user)
    run.progress(1, 1)
    return {"run": result.pk, "url": reverse("matching:run", args=[result.pk]),
            "message": _("Matching done: %(n)s proposals, %(unmatched)s projects left without a coach.")
            % {"n": result.proposals.count(), "unmatched": result.unmatched}}
