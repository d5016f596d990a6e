"""manage.py restore FILE: replace the configured database with a backup, then prove it matches."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured database and verify it."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the database.")

    def handle(self, *args, file, yes, **options):
        if not yes and self._confirmed() != "restore":
            raise CommandError("Nothing restored.")
        try:
            manifest = restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        fingerprint = manifest["fingerprint"]
        self.stdout.write(
            f"Restored {file} and verified it: {sum(fingerprint['counts'].values())} rows, "
            f"{len(fingerprint['released_cables'])} released cables (sha256 identical), "
            f"{fingerprint['audit_events']} audit events (identical)."
        )

    def _confirmed(self) -> str:
        """What the operator typed; with no terminal to ask (a script, a pipe) the answer is --yes."""
        try:
            return input("This replaces every row of the configured database. Type 'restore': ")
        except EOFError:
            raise CommandError("Nothing restored: no one to ask; pass --yes to restore without asking.") from None
