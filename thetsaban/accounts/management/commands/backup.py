from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thetsaban.backups import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump custom format, or SQLite's online backup) and the "
            "uploaded files into a new directory under DIRECTORY, with a manifest of every "
            "table's row count and checksum.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, directory, **options):
        try:
            made = backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(made))
