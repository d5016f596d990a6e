"""manage.py seed_demo [--if-empty]: the demo post BANDAR in fictional Bandaria (development only)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seeding import demo
from tenancy.models import Post


class Command(BaseCommand):
    help = "Create the demo post BANDAR with users, counterparts and a year of engagements; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any post exists already.",
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.DEMO_SEED_ALLOWED:
            # Before any query: the demo's users and their published password must never exist here.
            raise CommandError(
                "seed_demo refuses to run under production settings (demo logins have a public password)."
            )
        if if_empty and Post.objects.exists():
            self.stdout.write("A post exists already: demo data not loaded.")
            return
        started = time.monotonic()
        result = demo.seed()
        elapsed = time.monotonic() - started
        verb = "Created" if result.created else "Already present (users and password reset)"
        self.stdout.write(self.style.SUCCESS(f"{verb}: demo post {result.post.code} in {elapsed:.1f} s."))
        for name, count in demo.counts(result.post).items():
            self.stdout.write(f"  {name:<14} {count}")
        self.stdout.write("")
        self.stdout.write("Demo logins (development only — never use these anywhere else):")
        for username, role, *_ in demo.DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role.label}")
        self.stdout.write(f"  password   {demo.DEMO_PASSWORD}")
        self.stdout.write("  The admin account sets up an authenticator app at its first sign-in.")
