"""manage.py backup FILE: a backup of the configured database and its manifest (FILE.manifest.json)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the configured database (PostgreSQL: pg_dump custom format; SQLite: online backup)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            manifest = backup(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        fingerprint = manifest["fingerprint"]
        self.stdout.write(
            f"Backed up to {file}: {sum(fingerprint['counts'].values())} rows, "
            f"{len(fingerprint['released_cables'])} released cables, {fingerprint['audit_events']} audit events."
        )
