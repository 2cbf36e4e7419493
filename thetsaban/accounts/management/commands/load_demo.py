from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from thetsaban import hooks


class Command(BaseCommand):
    help = "Load the demo data taken from the seed document (safe to run again)."

    def handle(self, *args, **options):
        # Each app declares its loader in its AppConfig; they run in INSTALLED_APPS order, so an
        # app's demo data can name the rows of the apps it builds on.
        with transaction.atomic():
            for label, load in hooks.demo_loaders():
                added = load()
                self.stdout.write(_("%(label)s: %(added)s added") % {"label": label, "added": added})
        self.stdout.write(self.style.SUCCESS(_("Demo data is loaded.")))
