"""Meetings counted over time and laid out as bar charts the templates draw as SVG (no script).

A counterpart's sparkline is one aggregate query: the reader's visible conducted meetings with
them, truncated to the month in the active time zone and counted. The dashboard's weekly chart
sums the counts kept per post, channel and week (engagements.meeting_weeks). The layout (bar
positions and heights) is computed here so the SVG templates only place rectangles.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from contacts.models import Counterpart
from tenancy import policy
from tenancy.markings import Channel

from . import meeting_weeks
from .choices import MeetingStatus
from .models import Meeting, MeetingWeek

WEEKS = 26
MONTHS = 12
# Drawing area of the charts, in SVG user units (the SVG scales to its box).
BAR_CHART_SIZE = (520, 120)
SPARKLINE_SIZE = (120, 24)


@dataclass(frozen=True)
class Bar:
    start: dt.date
    count: int
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Chart:
    """Bars oldest first, their total, the busiest period and a sentence saying it all."""

    bars: list[Bar]
    total: int
    busiest: Bar | None
    summary: str
    width: int
    height: int

    @property
    def peak(self) -> int:
        return self.busiest.count if self.busiest else 0


def week_starts(today: dt.date, weeks: int = WEEKS) -> list[dt.date]:
    """The Mondays of the last `weeks` weeks, this one included, oldest first."""
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def month_starts(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The first days of the last `months` months, this one included, oldest first."""
    starts, year, month = [], today.year, today.month
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _counts(meetings, trunc, first: dt.date) -> dict[dt.date, int]:
    """{period start: meetings} in one grouped query, from the local midnight of `first`."""
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    rows = (
        meetings.filter(status=MeetingStatus.CONDUCTED, starts_at__gte=since)
        .annotate(period=trunc("starts_at", output_field=DateField()))
        .values("period")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["period"]: row["n"] for row in rows}


def _layout(starts, counts, size, label, gap: float = 0.2) -> list[Bar]:
    width, height = size
    step = width / len(starts)
    peak = max([counts.get(start, 0) for start in starts] + [1])
    bars = []
    for index, start in enumerate(starts):
        count = counts.get(start, 0)
        bar_height = round(height * count / peak, 2)
        bars.append(
            Bar(
                start=start,
                count=count,
                x=round(index * step + step * gap / 2, 2),
                y=round(height - bar_height, 2),
                width=round(step * (1 - gap), 2),
                height=bar_height,
                label=label(start, count),
            )
        )
    return bars


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _chart(starts, counts, size, *, period: str, busiest_in, label) -> Chart:
    bars = _layout(starts, counts, size, label)
    total = sum(bar.count for bar in bars)
    # The latest of equally busy periods: the recent one is the one people remember.
    busiest = max(reversed(bars), key=lambda bar: bar.count) if total else None
    summary = f"{_plural(total, 'meeting')} in {len(starts)} {period}s"
    summary += f", most in {busiest_in(busiest.start)} ({busiest.count})." if busiest else "."
    return Chart(bars=bars, total=total, busiest=busiest, summary=summary, width=size[0], height=size[1])


def weekly_counts(user, first: dt.date) -> dict[dt.date, int]:
    """{Monday: conducted meetings the user may see that week} from the week of `first` on.

    A meeting counts in its week at its post (the reader's own calendar unless they hold roles
    at several posts). Two queries whatever the volume: the kept counts of the channels the user
    reads whole (engagements.meeting_weeks), and the restricted meetings read one by one at the
    posts where they are not the chief.
    """
    rows = (
        MeetingWeek.objects.filter(policy.whole_channels_q(user), week__gte=first)
        .values_list("week")
        .annotate(n=Sum("meetings"))
        .order_by()
    )
    counts = Counter(dict(rows))
    one_by_one = policy.posts_read_one_by_one(user)
    if one_by_one:
        zones = {membership.post_id: membership.post.tzinfo for membership in policy.memberships(user)}
        since = dt.datetime.combine(first - dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
        restricted = policy.visible(user, Meeting).filter(
            status=MeetingStatus.CONDUCTED, channel=Channel.RESTRICTED, post_id__in=one_by_one, starts_at__gte=since
        )
        for post_id, starts_at in restricted.values_list("post_id", "starts_at"):
            monday = meeting_weeks.monday_of(starts_at, zones[post_id])
            if monday >= first:
                counts[monday] += 1
    return counts


def meetings_per_week(user, today: dt.date | None = None, weeks: int = WEEKS) -> Chart:
    """Conducted meetings the user may see, per week over the last `weeks` weeks."""
    starts = week_starts(today or timezone.localdate(), weeks)
    counts = weekly_counts(user, starts[0])
    return _chart(
        starts,
        counts,
        BAR_CHART_SIZE,
        period="week",
        busiest_in=lambda start: f"the week of {start:%-d %b %Y}",
        label=lambda start, count: f"Week of {start:%-d %b %Y}: {_plural(count, 'meeting')}",
    )


def meetings_per_month(user, counterpart: Counterpart, today: dt.date | None = None, months: int = MONTHS) -> Chart:
    """Conducted meetings with the counterpart that the user may see, per month over `months` months."""
    starts = month_starts(today or timezone.localdate(), months)
    meetings = policy.visible(user, Meeting).filter(participants__counterpart=counterpart)
    return _sparkline(starts, _counts(meetings, TruncMonth, starts[0]))


def meetings_per_month_at(moments, today: dt.date | None = None, months: int = MONTHS) -> Chart:
    """The same chart from when each of those meetings started, already read (the counterpart
    page reads them with its timeline): counted by month of the active time zone, from the
    local midnight of the first month on, as the grouped query counts them."""
    starts = month_starts(today or timezone.localdate(), months)
    since = timezone.make_aware(dt.datetime.combine(starts[0], dt.time.min))
    counts: dict[dt.date, int] = {}
    for moment in moments:
        if moment >= since:
            month = timezone.localtime(moment).date().replace(day=1)
            counts[month] = counts.get(month, 0) + 1
    return _sparkline(starts, counts)


def _sparkline(starts: list[dt.date], counts: dict[dt.date, int]) -> Chart:
    return _chart(
        starts,
        counts,
        SPARKLINE_SIZE,
        period="month",
        busiest_in=lambda start: f"{start:%B %Y}",
        label=lambda start, count: f"{start:%B %Y}: {_plural(count, 'meeting')}",
    )
