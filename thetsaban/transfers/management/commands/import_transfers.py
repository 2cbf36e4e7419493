from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thetsaban.tabular import ImportRejected
from thetsaban.transfers.importers import import_projects


class Command(BaseCommand):
    help = ("Import or update transfer projects from a CSV (UTF-8 or Windows-874) or XLSX file "
            "in the columns export_transfers writes. Nothing is written if any row is wrong.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV or XLSX file with a header row"))

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            result = import_projects(path, acting_user=None, filename=path.name)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("Nothing was imported: %(count)s problem(s) in %(file)s.")
                               % {"count": len(rejected.problems), "file": path.name}) from None
        if result.ignored_columns:
            self.stdout.write(_("Ignored columns: %(columns)s") % {"columns": ", ".join(result.ignored_columns)})
        self.stdout.write(self.style.SUCCESS(
            _("%(rows)s rows read (%(encoding)s): %(created)s created, %(updated)s updated.")
            % {"rows": result.rows, "encoding": result.encoding, "created": result.created,
               "updated": result.updated}))
