import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from thetsaban.practices import examples


class Command(BaseCommand):
    help = ("Create published example practices in realistic Thai (marked as example data) "
            "for load tests and the search benchmark.")

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, required=True,
                            help="How many example practices to create.")
        parser.add_argument("--seed", type=int, default=1,
                            help="Random seed: the same seed gives the same text.")
        parser.add_argument("--lgus", type=int, default=None,
                            help="How many example LGUs to spread them over (default: one per 20).")

    def handle(self, *args, **options):
        count = options["practices"]
        if count < 1:
            raise CommandError(_("--practices must be at least 1."))
        if options["lgus"] is not None and options["lgus"] < 1:
            raise CommandError(_("--lgus must be at least 1."))
        quiet = options["verbosity"] == 0
        bars = {
            "create": tqdm(total=count, desc=_("practices"), unit="", disable=quiet,
                           file=self.stderr._out),
            "index": tqdm(total=count, desc=_("search index"), unit="", disable=quiet,
                          file=self.stderr._out),
        }
        started = time.monotonic()
        try:
            ids = examples.generate(count, seed=options["seed"], lgu_count=options["lgus"],
                                    progress=lambda stage, n: bars[stage].update(n))
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(self.style.SUCCESS(
            _("%(count)s example practices created in %(seconds).1f s.")
            % {"count": len(ids), "seconds": time.monotonic() - started}))
