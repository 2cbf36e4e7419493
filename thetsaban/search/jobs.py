"""The search index's background jobs: a whole rebuild, and re-indexing many records at once."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban.jobs.registry import job
from thetsaban.search import services
from thetsaban.search.documents import registry


@job("search.rebuild", gettext_lazy("Rebuild the search index"), retries=2)
def rebuild_index(run, kinds=None):
    """Rebuild the index (or some kinds) from the records. Safe to retry: it starts afresh."""
    total = sum(model._default_manager.count() for kind, (model, _b) in registry().items()
                if not kinds or kind in kinds)
    run.progress(0, total, _("Indexing the records"))
    indexed = services.rebuild(kinds=kinds, progress=run.step)
    return {"message": _("Search index rebuilt: %(mb).1f MB of text.") % {"mb": indexed / 1e6}}


@job("search.reindex", gettext_lazy("Re-index records after a change"), retries=2)
def reindex(run, kind, pks):
    """Re-index the records of one kind (after a rename that many records carry). Safe to retry."""
    run.progress(0, len(pks), _("Re-indexing %(n)s records") % {"n": len(pks)})
    services.bulk_index(kind, pks, progress=run.step)
    return {"message": _("%(n)s records re-indexed.") % {"n": len(pks)}}
