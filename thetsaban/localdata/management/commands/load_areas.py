from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from thetsaban.localdata.services import load_areas


class Command(BaseCommand):
    help = "Load the districts and subdistricts of the geothai package (of the provinces loaded)."

    def handle(self, *args, **options):
        added = load_areas()
        self.stdout.write(self.style.SUCCESS(_("%(count)s districts and subdistricts added.") % {"count": added}))
