from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thetsaban import hooks
from thetsaban.backups import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by `backup` into the database (DATABASE_URL, or --database-url) "
            "and MEDIA_ROOT, replacing what is there, then check every table's row count and "
            "checksum against the backup's manifest.")

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="a directory written by `manage.py backup`")
        parser.add_argument("--database-url", help="restore into this database instead")
        parser.add_argument("--media-root", type=Path, help="restore the files here instead")
        parser.add_argument("--yes", action="store_true",
                            help="confirm that the target's data is to be replaced")

    def handle(self, backup, database_url, media_root, yes, **options):
        if not (backup / "manifest.json").exists():
            raise CommandError(f"{backup} is not a backup (it has no manifest.json)")
        if not yes:
            raise CommandError("restore replaces the database and the uploaded files; "
                               "add --yes to go ahead")
        try:
            differing = restore(backup, database_url=database_url, media_root=media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if differing:
            raise CommandError("restored, but these tables differ from the backup: "
                               + ", ".join(differing))
        self.stdout.write("Restored; every table matches the backup.")
        # Erasures done since the backup was made are applied again (the privacy app's ledger).
        try:
            hooks.database_restored.send(sender=self.__class__, database_url=database_url)
        except Exception as error:
            raise CommandError(f"restored, but re-applying later erasures failed: {error}") from error
        self.stdout.write("Later erasures re-applied.")
