from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thetsaban.transfers.importers import export_csv, export_queryset, export_xlsx
from thetsaban.transfers.models import TransferProject


class Command(BaseCommand):
    help = "Write every transfer project to a CSV or XLSX file (by its extension), as import_transfers reads it."

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the .csv or .xlsx file to write"))

    def handle(self, *args, file, **options):
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError(_("The file must end in .csv or .xlsx."))
        # A system export: every project (they are all public).
        projects = list(export_queryset(TransferProject.objects.all()))
        data = export_xlsx(projects) if suffix == ".xlsx" else export_csv(projects)
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(_("%(count)s projects written to %(file)s.")
                                             % {"count": len(projects), "file": path}))
