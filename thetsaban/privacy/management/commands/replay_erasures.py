from django.core.management.base import BaseCommand, CommandError

from thetsaban.privacy.ledger import LedgerError, replay


class Command(BaseCommand):
    help = ("Apply again the erasures of the erasure ledger (PRIVACY_ERASURE_LEDGER) that the "
            "database still holds data of, as after restoring a backup made before them. "
            "`manage.py restore` runs it by itself.")

    def handle(self, **options):
        try:
            replayed = replay()
        except LedgerError as error:
            raise CommandError(str(error)) from error
        for ledger_id in replayed:
            self.stdout.write(ledger_id)
