from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Load the demo data taken from the seed document (safe to run again)."

    def handle(self, *args, **options):
        from thetsaban.coaching import demo as coaching_demo
        from thetsaban.directory import demo as directory_demo
        from thetsaban.places import demo as places_demo
        from thetsaban.policy import demo as policy_demo
        from thetsaban.practices import demo as practices_demo
        from thetsaban.search import demo as search_demo
        from thetsaban.transfers import demo as transfers_demo

        steps = [
            (_("places"), places_demo.load),
            (_("abbreviations"), search_demo.load),
            (_("directory"), directory_demo.load),
            (_("practices"), practices_demo.load),
            (_("coaches"), coaching_demo.load),
            (_("transfer projects"), transfers_demo.load),
            (_("policy recommendations"), policy_demo.load),
        ]
        with transaction.atomic():
            for label, load in steps:
                added = load()
                self.stdout.write(_("%(label)s: %(added)s added") % {"label": label, "added": added})
        self.stdout.write(self.style.SUCCESS(_("Demo data is loaded.")))
