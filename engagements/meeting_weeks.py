"""Keeping MeetingWeek true: conducted meetings per post, channel and week of the post's calendar.

The counts are derived from the meetings alone. Whatever changes a meeting's status, start or
channel — logging or editing a meeting, the admin — calls `refresh` with the post and the moments
concerned (the meeting's start before and after), inside the same transaction; loading data in
bulk (demo, volume), the migration that added the table and a change of a post's time zone end
with `refresh_posts`. The weekly chart reads them (engagements.charts).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import TruncWeek

from tenancy.models import Post

from .choices import MeetingStatus
from .models import Meeting, MeetingWeek


def monday_of(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    day = moment.astimezone(zone).date()
    return day - dt.timedelta(days=day.weekday())


def refresh(post: Post, moments: Iterable[dt.datetime | None]) -> None:
    """Recount the weeks (at `post`) that hold these moments."""
    zone = post.tzinfo
    for monday in {monday_of(moment, zone) for moment in moments if moment is not None}:
        start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(monday + dt.timedelta(weeks=1), dt.time.min, tzinfo=zone)
        counts = (
            Meeting.objects.filter(post=post, status=MeetingStatus.CONDUCTED, starts_at__gte=start, starts_at__lt=end)
            .values_list("channel")
            .annotate(n=Count("pk"))
            .order_by()
        )
        MeetingWeek.objects.filter(post=post, week=monday).delete()
        MeetingWeek.objects.bulk_create(
            MeetingWeek(post=post, channel=channel, week=monday, meetings=n) for channel, n in counts
        )


def refresh_posts(posts: Iterable, meeting_model=Meeting, week_model=MeetingWeek) -> None:
    """Recount every week of these posts, one grouped query per post (the migration passes its
    historical models)."""
    for post in posts:
        counts = (
            meeting_model.objects.filter(post_id=post.pk, status=MeetingStatus.CONDUCTED)
            .annotate(week=TruncWeek("starts_at", tzinfo=zoneinfo.ZoneInfo(post.timezone)))
            .values_list("channel", "week")
            .annotate(n=Count("pk"))
            .order_by()
        )
        week_model.objects.filter(post_id=post.pk).delete()
        week_model.objects.bulk_create(
            [week_model(post_id=post.pk, channel=channel, week=_day(week), meetings=n) for channel, week, n in counts],
            batch_size=2000,
        )


def _day(value) -> dt.date:
    """TruncWeek of a DateTimeField gives a local midnight (a datetime); the week is its date."""
    return value.date() if isinstance(value, dt.datetime) else value
