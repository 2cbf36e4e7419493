from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thetsaban.accounts.models import User
from thetsaban.localdata.services import grant_steward


class Command(BaseCommand):
    help = "Make a user a data steward of the local data hub (who approves the figures LGUs enter)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("No user is called %(name)s.") % {"name": options["username"]})
        grant_steward(user, acting_user=None)
        self.stdout.write(self.style.SUCCESS(_("%(name)s is a data steward.") % {"name": user.username}))
