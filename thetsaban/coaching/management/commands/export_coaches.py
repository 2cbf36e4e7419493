from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thetsaban.coaching.importers import write_csv, write_xlsx
from thetsaban.coaching.models import Coach


class Command(BaseCommand):
    help = ("Export every coach to a CSV (UTF-8 with BOM) or XLSX file, chosen by the file's "
            "extension, in the columns import_coaches reads.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Output file ending in .csv or .xlsx"))

    def handle(self, *args, file, **options):
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError(_("The file must end in .csv or .xlsx."))
        coaches = Coach.objects.order_by("person__sort_name", "pk")
        data = write_xlsx(coaches) if suffix == ".xlsx" else write_csv(coaches)
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            _("%(count)s coaches written to %(file)s.") % {"count": coaches.count(), "file": path}))
