import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from thetsaban.eservice import examples


class Command(BaseCommand):
    help = ("Create national-size e-service requests (marked as example data) over example LGUs, "
            "for load tests and bench/eservice.py.")

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, required=True, help="How many example requests to create.")
        parser.add_argument("--lgus", type=int, default=2000, help="How many example LGUs take them.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data.")

    def handle(self, *args, **options):
        if options["requests"] < 1:
            raise CommandError(_("--requests must be at least 1."))
        if options["lgus"] < 1:
            raise CommandError(_("--lgus must be at least 1."))
        started = time.monotonic()
        with tqdm(total=options["requests"], desc=_("requests"), disable=options["verbosity"] == 0,
                  file=self.stderr._out) as bar:
            try:
                made = examples.generate(options["requests"], lgu_count=options["lgus"], seed=options["seed"],
                                         progress=bar.update)
            except ValueError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(_("%(count)s example requests created in %(seconds).1f s.") % {
            "count": made, "seconds": time.monotonic() - started}))
