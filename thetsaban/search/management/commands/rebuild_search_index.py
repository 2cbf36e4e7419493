import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from thetsaban.jobs import services as jobs
from thetsaban.search import services
from thetsaban.search.choices import KIND_VALUES
from thetsaban.search.documents import registry


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the records, with a progress bar."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", choices=KIND_VALUES,
                            help="Only this kind (repeatable).")
        parser.add_argument("--check", action="store_true",
                            help="Only compare the records with the index; exit 1 on any drift.")
        parser.add_argument("--background", action="store_true",
                            help="Queue the rebuild as a background job (a worker runs it) and exit.")

    def handle(self, *args, kind=None, check=False, background=False, **options):
        if background:
            job = jobs.start("search.rebuild", kinds=kind)
            self.stdout.write(_("%(job)s: %(status)s") % {"job": job, "status": job.get_status_display()})
            return
        if check:
            report = services.drift(kinds=kind)
            for row in report:
                self.stdout.write(_("%(kind)s: %(missing)d missing, %(stale)d stale, %(extra)d extra") % {
                    "kind": row.kind, "missing": row.missing, "stale": row.stale, "extra": row.extra})
            if any(row.missing or row.stale or row.extra for row in report):
                self.stdout.write(_("The index has drifted: run rebuild_search_index."))
                raise SystemExit(1)
            return
        total = sum(model._default_manager.count() for k, (model, _b) in registry().items()
                    if not kind or k in kind)
        started = time.perf_counter()
        with tqdm(total=total, unit="records", disable=None) as bar:
            indexed = services.rebuild(kinds=kind, progress=bar.update)
        seconds = time.perf_counter() - started
        self.stdout.write(_("Indexed %(mb).1f MB of text in %(s).1f s (%(rate).2f MB/s).") % {
            "mb": indexed / 1e6, "s": seconds, "rate": indexed / 1e6 / max(seconds, 1e-9)})
