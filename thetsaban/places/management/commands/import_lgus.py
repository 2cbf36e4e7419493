import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from thetsaban.places.services import import_lgus
from thetsaban.tabular import ImportRejected

# Below this many rows an import is quick enough that a progress bar is only noise.
PROGRESS_FROM_ROWS = 500


class Command(BaseCommand):
    help = ("Import or update the national list of LGUs from a CSV (UTF-8 or Windows-874) or "
            "XLSX file. Nothing is written if any row is wrong; every problem is listed.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV or XLSX file with a header row"))
        parser.add_argument("--no-progress", action="store_true",
                            help=_("Do not show a progress bar"))

    def handle(self, *args, file, no_progress=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})

        def progress(total, desc):
            return tqdm(total=total, desc=desc, file=sys.stderr, unit=_("rows"),
                        disable=no_progress or total < PROGRESS_FROM_ROWS, leave=False)

        try:
            result = import_lgus(path, acting_user=None, filename=path.name,
                                 progress=progress)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Nothing was imported: %(count)s problem(s) in %(file)s.")
                % {"count": len(rejected.problems), "file": path.name}) from None
        if result.ignored_columns:
            self.stdout.write(_("Ignored columns: %(columns)s")
                              % {"columns": ", ".join(result.ignored_columns)})
        self.stdout.write(self.style.SUCCESS(
            _("%(rows)s rows read (%(encoding)s): %(created)s created, %(updated)s updated, "
              "%(unchanged)s unchanged.") % {
                "rows": result.rows, "encoding": result.encoding, "created": result.created,
                "updated": result.updated, "unchanged": result.unchanged}))
