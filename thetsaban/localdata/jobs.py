"""The data hub's background jobs: importing figures, refreshing the stored roll-ups (nation, regions,
provinces) and, after a large import, updating the database's statistics."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thetsaban.jobs import services as jobs
from thetsaban.jobs.registry import job
from thetsaban.jobs.services import RowErrors
from thetsaban.localdata import periods as period_codes
from thetsaban.localdata.choices import ObservationStatus
from thetsaban.localdata.models import Indicator, Observation
from thetsaban.localdata.services import (
    MAINTAIN_AFTER_ROWS,
    import_observations,
    maintain_figures,
    refresh_analytics,
)
from thetsaban.tabular import ImportRejected


def _refresh(run, touched: dict) -> dict:
    """`touched` maps indicator ids (as text) to period codes; returns the job's result."""
    total = sum(len(codes) for codes in touched.values())
    run.progress(0, total, _("Refreshing the roll-ups"))
    written = 0
    for indicator in Indicator.objects.filter(pk__in=[int(pk) for pk in touched]).order_by("pk"):
        codes = sorted(touched[str(indicator.pk)])
        written += refresh_analytics(indicator, [period_codes.parse(code) for code in codes])
        run.step(len(codes), indicator.code)
    return {"message": _("%(n)s roll-up figures refreshed for %(i)s indicators.")
            % {"n": written, "i": len(touched)}}


@job("localdata.refresh", gettext_lazy("Refresh the data hub's roll-ups"), retries=2)
def refresh(run, touched):
    """After approvals: recompute the roll-ups of the indicators and periods that changed. Safe to
    retry: each refresh replaces the stored figures."""
    return _refresh(run, touched)


# How far back the periodic refresh looks; more than its interval, so no change is missed.
RECENT = timedelta(hours=3)


@job("localdata.refresh_recent", gettext_lazy("Refresh the roll-ups of recent approvals"),
     retries=2, every=timedelta(hours=1))
def refresh_recent(run):
    """Every hour: recompute the roll-ups of every indicator and period with an approved figure
    changed in the last hours (a missed or failed refresh heals itself)."""
    touched = {}
    rows = (Observation.objects.filter(status=ObservationStatus.APPROVED,
                                       modified__gte=timezone.now() - RECENT)
            .values_list("indicator_id", "period").distinct())
    for indicator_id, period in rows:
        touched.setdefault(str(indicator_id), set()).add(period)
    return _refresh(run, {pk: sorted(codes) for pk, codes in touched.items()})



class _Stage:
    """A stage of an import (checking rows, writing figures) reported as the job's progress."""

    def __init__(self, run, total, description):
        self.run, self.total, self.description = run, total, description

    def __enter__(self):
        self.run.progress(0, self.total, self.description)
        return self

    def __exit__(self, *exc):
        return False

    def update(self, count=1):
        self.run.step(count)


@job("localdata.import", gettext_lazy("Import figures"))
def import_figures(run, path, filename):
    """Import a spreadsheet of figures saved in the file storage at `path`: all rows or none, the
    refused rows listed on the job's page. The file is deleted afterwards (not retried)."""
    try:
        with default_storage.open(path, "rb") as file:
            data = file.read()
        try:
            result = import_observations(data, acting_user=run.acting_user, filename=filename,
                                         progress=lambda total, desc: _Stage(run, total, desc))
        except ImportRejected as rejected:
            raise RowErrors([{"row": p.row, "field": p.column, "message": p.message}
                             for p in rejected.problems]) from None
    finally:
        default_storage.delete(path)
    if result.created + result.updated >= MAINTAIN_AFTER_ROWS:
        transaction.on_commit(lambda: jobs.start("localdata.maintain", started_by=run.acting_user))
    return {"rows": result.rows, "created": result.created, "updated": result.updated,
            "message": _("%(rows)s rows read: %(created)s new figures, %(updated)s updated, all as drafts.")
            % {"rows": result.rows, "created": result.created, "updated": result.updated}}


@job("localdata.maintain", gettext_lazy("Update the database's statistics after a large import"))
def maintain(run):
    """After an import of many figures (PostgreSQL): VACUUM (ANALYZE) their table, so that the
    first roll-ups after it are as fast as later ones."""
    run.progress(0, 1, _("Updating the database's statistics"))
    if not maintain_figures():
        return {"message": _("Nothing to do on this database.")}
    return {"message": _("The figures' table was vacuumed and analysed.")}
