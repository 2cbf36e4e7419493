"""What the participation app puts into the search index (read by the search app through hooks)."""

from django.utils.translation import gettext_lazy as _

from thetsaban.hooks import SearchIndex
from thetsaban.search.documents import is_public, join


def proposal_document(proposal) -> dict | None:
    if not is_public(proposal):
        return None
    return {
        "title": proposal.title,
        "body": join(proposal.problem, proposal.proposal, proposal.lgu.name_th if proposal.lgu_id else "",
                     *(t.name_th for t in proposal.themes.all())),
        "url": proposal.get_absolute_url(),
    }


INDEXES = [
    SearchIndex("proposal", 8, _("Proposal"), "participation.Proposal", proposal_document),
]
