from django.core.management.base import BaseCommand

from thetsaban.privacy.retention import apply_retention


class Command(BaseCommand):
    help = ("Blank the personal fields the register of personal data keeps for a set time once "
            "that time has passed (PRIVACY_RETENTION_DAYS overrides each app's default).")

    def handle(self, **options):
        counts = apply_retention()
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(f"{sum(counts.values())} rows anonymised.")
