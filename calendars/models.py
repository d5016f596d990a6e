"""A personal calendar feed (RFC 5545) whose secret address is a personal access token.

The token (apitokens, calendar scope) gives the feed everything a token has: shown once, stored
as SHA-256, expiring, revocable by its owner, ended by a password change or a lockout. The feed
adds only what it shows.
"""

from django.db import models

from apitokens.models import PersonalAccessToken


class CalendarFeed(models.Model):
    token = models.OneToOneField(PersonalAccessToken, on_delete=models.CASCADE, related_name="calendar_feed")
    all_channels = models.BooleanField(
        "include the attaché channel and restricted records",
        default=False,
        help_text="Off: post-channel records only, which anyone at the post may read. A calendar app keeps "
        "what it fetches on devices of its own.",
    )

    class Meta:
        ordering = ["-token__created_at", "-id"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.token.user} ({self.token.state})"
