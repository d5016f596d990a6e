"""Reporting weeks of a post, computed from its weekly cutoff in its own time zone.

A reporting week is named by the Monday of the calendar week that holds its cutoff
(`period_start`) and ends on the cutoff's day (`period_end`): with a Friday 12:00 cutoff the week
of 15 June 2026 is "15-19 JUNE 2026". Its records are those of the window between the previous
cutoff (exclusive) and this one (inclusive), so that windows follow one another without a gap:
a meeting on Friday afternoon after the cutoff goes into the next week's summary.

Everything here is a pure function of the post's settings and an instant; the scheduler asks
"which weeks are due at this instant", never "what is this week" at whatever time a task runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

UTC = dt.UTC


@dataclass(frozen=True)
class Period:
    """One reporting week: its labels (dates) and its window (UTC instants, start exclusive)."""

    start: dt.date
    end: dt.date
    window_start: dt.datetime
    window_end: dt.datetime

    @property
    def date_after(self) -> dt.date:
        """Date-only events (a status change on a day) belong to the week when on or after this day."""
        return self.end - dt.timedelta(days=6)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def cutoff(post, period_start: dt.date) -> dt.datetime:
    """The cutoff instant (UTC) of the week named by `period_start` (a Monday)."""
    local_day = period_start + dt.timedelta(days=post.weekly_cutoff_weekday)
    cutoff_time = post.weekly_cutoff_time
    if isinstance(cutoff_time, str):  # an unsaved Post may still hold the field default as text
        cutoff_time = dt.time.fromisoformat(cutoff_time)
    # fold=0: in the hour a clock goes back, the first of the two readings; a time that does not
    # exist (the hour a clock goes forward) is read with the offset before the change.
    local = dt.datetime.combine(local_day, cutoff_time).replace(tzinfo=post.tzinfo)
    return local.astimezone(UTC)


def period(post, period_start: dt.date) -> Period:
    """The reporting week named by `period_start`; a `period_start` must be a Monday."""
    if period_start.weekday() != 0:
        raise ValueError(f"A reporting week starts on a Monday, not on {period_start:%A %Y-%m-%d}.")
    return Period(
        start=period_start,
        end=period_start + dt.timedelta(days=post.weekly_cutoff_weekday),
        window_start=cutoff(post, period_start - dt.timedelta(days=7)),
        window_end=cutoff(post, period_start),
    )


def week_of(post, instant: dt.datetime) -> dt.date:
    """`period_start` of the week whose window holds `instant` (the week not yet due at that instant)."""
    monday = monday_of(instant.astimezone(post.tzinfo).date())
    return monday if instant <= cutoff(post, monday) else monday + dt.timedelta(days=7)


def latest_due(post, instant: dt.datetime) -> dt.date:
    """`period_start` of the most recent week whose cutoff has passed at `instant`."""
    current = week_of(post, instant)
    return current if instant >= cutoff(post, current) else current - dt.timedelta(days=7)


def due_weeks(post, instant: dt.datetime, *, after: dt.date | None, catch_up: int) -> list[dt.date]:
    """Weeks due at `instant` that come after `after` (the post's latest weekly summary), oldest first.

    At most `catch_up` weeks: a week missed while the workers were down is drafted at the next
    firing, but a post with no summary at all gets only its latest week, not a backlog of empty ones.
    """
    latest = latest_due(post, instant)
    if after is None:
        return [latest]
    weeks = []
    week = latest
    while week > after and len(weeks) < catch_up:
        weeks.append(week)
        week -= dt.timedelta(days=7)
    return sorted(weeks)
