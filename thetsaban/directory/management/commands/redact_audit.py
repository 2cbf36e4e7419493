from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thetsaban.accounts.models import User
from thetsaban.accounts.services import redact_user
from thetsaban.directory.services import redact_person


class Command(BaseCommand):
    help = ("On a PDPA request, blank a directory person's or a user's personal data from the audit trail "
            "(the record may already be deleted); who, when and which fields changed stay.")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--person", type=int, help="the id of the directory person")
        target.add_argument("--user", type=int, help="the id of the user account")
        parser.add_argument("--reason", required=True, help="the reference of the request")
        parser.add_argument("--by", required=True, help="the username of the staff member redacting")

    def handle(self, *args, person, user, reason, by, **options):
        staff = User.objects.filter(username=by).first()
        if staff is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": by})
        try:
            if person is not None:
                count = redact_person(person, acting_user=staff, reason=reason)
            else:
                count = redact_user(user, acting_user=staff, reason=reason)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(self.style.SUCCESS(_("%(count)d audit entries redacted.") % {"count": count}))
