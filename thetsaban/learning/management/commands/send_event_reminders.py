from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from thetsaban.learning import services


class Command(BaseCommand):
    help = _("E-mail the participants of learning events that start within the next 24 hours (run hourly).")

    def handle(self, *args, **options):
        sent = services.send_reminders(acting_user=None)
        self.stdout.write(_("%(count)s reminders sent.") % {"count": sent})
