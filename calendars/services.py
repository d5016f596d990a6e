"""Issuing and revoking calendar feeds: a calendar-scope token (audited by apitokens) and its options."""

from __future__ import annotations

from django.db import transaction

from apitokens.models import TokenScope
from apitokens.services import token_issue, token_revoke

from .models import CalendarFeed

FEED_TOKEN_NAME = "Calendar feed"


@transaction.atomic
def feed_issue(*, user, lifetime_days: int, all_channels: bool, request=None) -> tuple[CalendarFeed, str]:
    """A new feed of `user`; returns (feed, the token text of its address, shown once)."""
    token, text = token_issue(
        user=user, name=FEED_TOKEN_NAME, lifetime_days=lifetime_days, scope=TokenScope.CALENDAR, request=request
    )
    return CalendarFeed.objects.create(token=token, all_channels=all_channels), text


def feed_revoke(*, feed: CalendarFeed, by, request=None) -> CalendarFeed:
    """End a feed now: its address answers as unknown from then on."""
    token_revoke(token=feed.token, by=by, request=request)
    return feed
