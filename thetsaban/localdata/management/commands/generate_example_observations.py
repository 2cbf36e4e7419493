import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from thetsaban.localdata import examples


class Command(BaseCommand):
    help = ("Create national-size example observations (approved, marked as example data) over example LGUs "
            "and indicators, for load tests and bench/localdata.py.")

    def add_arguments(self, parser):
        parser.add_argument("--observations", type=int, required=True, help="How many observations to create.")
        parser.add_argument("--lgus", type=int, default=7850, help="How many example LGUs (default 7,850).")
        parser.add_argument("--indicators", type=int, default=40, help="How many example indicators (default 40).")

    def handle(self, *args, **options):
        if options["observations"] < 1 or options["lgus"] < 1 or options["indicators"] < 1:
            raise CommandError(_("--observations, --lgus and --indicators must be at least 1."))
        started = time.monotonic()
        bar = tqdm(total=options["observations"], desc=_("observations"), disable=options["verbosity"] == 0,
                   file=self.stderr._out)
        try:
            count = examples.generate(options["observations"], lgu_count=options["lgus"],
                                      indicator_count=options["indicators"], progress=bar.update)
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
        self.stdout.write(self.style.SUCCESS(_("%(count)s example observations created in %(seconds).1f s.")
                                             % {"count": count, "seconds": time.monotonic() - started}))
