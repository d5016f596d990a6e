"""Rewrite what is kept from the meetings: every counterpart's last contacts and every post's
weekly counts. For an operator after changing a post's time zone, or after writing meetings
outside the application (a database repair)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from engagements import last_contact, meeting_weeks
from tenancy.models import Post


class Command(BaseCommand):
    help = "Recount every counterpart's last contacts and every post's meetings per week."

    def handle(self, *args, **options):
        with transaction.atomic():
            counterparts = last_contact.refresh_all()
            posts = list(Post.objects.all())
            meeting_weeks.refresh_posts(posts)
        self.stdout.write(f"Recounted {counterparts} counterparts and {len(posts)} posts.")
