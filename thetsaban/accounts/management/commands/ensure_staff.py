from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from thetsaban.accounts.services import ensure_staff_account


class Command(BaseCommand):
    help = "Create the league staff account (or reset its password) and print the new password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="staff")

    def handle(self, *args, username, **options):
        user, password = ensure_staff_account(username)
        self.stdout.write(self.style.SUCCESS(
            _("Staff account: %(username)s  password: %(password)s") % {"username": user.username, "password": password}
        ))
