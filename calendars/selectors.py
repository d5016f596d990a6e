"""What a user's calendar feed holds: dated records they may see, as calendar entries.

Meetings, exercise conferences and dates, open follow-ups' due dates, and clearances (travel dates,
and the last day to submit a draft within the host nation's lead time).

Through the access policy like any read, and narrower still by default: post-channel records only,
unless the feed's owner opted in to the other channels they may read. An entry carries a record's
title, place and marking, never its notes or summary (restricted notes never leave the pages).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from engagements.choices import ActionStatus, ExercisePhase, MeetingStatus
from engagements.models import ActionItem, Exercise, Meeting
from office.choices import ClearanceStatus
from office.models import Clearance
from tenancy import policy
from tenancy.markings import Channel

# The span a feed covers around today, and at most how many entries of each kind it holds.
FEED_PAST = dt.timedelta(days=90)
FEED_AHEAD = dt.timedelta(days=400)
FEED_LIMIT = 500
CLOSED_PHASES = [ExercisePhase.CLOSED, ExercisePhase.CANCELLED]
CLOSED_CLEARANCES = [ClearanceStatus.DENIED, ClearanceStatus.CANCELLED]


@dataclass(frozen=True)
class Entry:
    """One calendar entry: timed (datetimes) or all-day (dates, `end` exclusive as RFC 5545 wants)."""

    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    category: str
    path: str
    marking: str
    location: str = ""


def _readable(user, model, all_channels: bool) -> QuerySet:
    queryset = policy.visible(user, model)
    return queryset if all_channels else queryset.filter(channel=Channel.POST)


def _meetings(user, all_channels: bool, start: dt.datetime, end: dt.datetime) -> list[Entry]:
    meetings = (
        _readable(user, Meeting, all_channels)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "id")[:FEED_LIMIT]
    )
    return [
        Entry(
            uid=f"meeting-{m.pk}",
            summary=f"({m.marking}) {m.title}",
            start=m.starts_at,
            end=m.ends_at or m.starts_at + dt.timedelta(hours=1),
            category="Meeting",
            path=m.get_absolute_url(),
            marking=m.marking,
            location=m.location,
        )
        for m in meetings
    ]


def _exercise_milestones(user, all_channels: bool, start: dt.date, end: dt.date) -> list[Entry]:
    in_span = Q(starts_on__lt=end, ends_on__gte=start)
    for name in ("ipc_on", "mpc_on", "fpc_on"):
        in_span |= Q(**{f"{name}__gte": start, f"{name}__lt": end})
    exercises = (
        _readable(user, Exercise, all_channels)
        .filter(in_span)
        .exclude(phase__in=CLOSED_PHASES)
        .order_by("starts_on", "id")[:FEED_LIMIT]
    )
    entries = []
    for exercise in exercises:
        common = {"category": "Exercise", "path": exercise.get_absolute_url(), "marking": exercise.marking}
        for name in ("ipc_on", "mpc_on", "fpc_on"):
            on = getattr(exercise, name)
            if on is not None and start <= on < end:
                label = Exercise._meta.get_field(name).verbose_name
                entries.append(
                    Entry(
                        uid=f"exercise-{exercise.pk}-{name}",
                        summary=f"({exercise.marking}) {exercise.name}: {label}",
                        start=on,
                        end=on + dt.timedelta(days=1),
                        **common,
                    )
                )
        entries.append(
            Entry(
                uid=f"exercise-{exercise.pk}",
                summary=f"({exercise.marking}) {exercise.name}",
                start=exercise.starts_on,
                end=exercise.ends_on + dt.timedelta(days=1),
                location=exercise.location,
                **common,
            )
        )
    return entries


def _follow_ups(user, all_channels: bool, start: dt.date, end: dt.date) -> list[Entry]:
    items = (
        _readable(user, ActionItem, all_channels)
        .filter(status=ActionStatus.OPEN, due_on__gte=start, due_on__lt=end)
        .order_by("due_on", "id")[:FEED_LIMIT]
    )
    return [
        Entry(
            uid=f"follow-up-{item.pk}",
            summary=f"({item.marking}) Due: {item.description}",
            start=item.due_on,
            end=item.due_on + dt.timedelta(days=1),
            category="Follow-up",
            path=reverse("action_list"),
            marking=item.marking,
        )
        for item in items
    ]


def _clearances(user, all_channels: bool, start: dt.date, end: dt.date) -> list[Entry]:
    """Travel under a clearance not denied nor cancelled, and the last day to submit a draft."""
    clearances = (
        _readable(user, Clearance, all_channels)
        .filter(Q(starts_on__lt=end, ends_on__gte=start) | Q(submit_by__gte=start, submit_by__lt=end))
        .exclude(status__in=CLOSED_CLEARANCES)
        .order_by("starts_on", "id")[:FEED_LIMIT]
    )
    entries = []
    for clearance in clearances:
        common = {"category": "Clearance", "path": clearance.get_absolute_url(), "marking": clearance.marking}
        entries.append(
            Entry(
                uid=f"clearance-{clearance.pk}",
                summary=f"({clearance.marking}) {clearance} ({clearance.get_status_display().lower()})",
                start=clearance.starts_on,
                end=clearance.ends_on + dt.timedelta(days=1),
                **common,
            )
        )
        if clearance.status == ClearanceStatus.DRAFT and clearance.submit_by and start <= clearance.submit_by < end:
            entries.append(
                Entry(
                    uid=f"clearance-{clearance.pk}-submit-by",
                    summary=f"({clearance.marking}) Submit by: {clearance}",
                    start=clearance.submit_by,
                    end=clearance.submit_by + dt.timedelta(days=1),
                    **common,
                )
            )
    return entries


def calendar_entries(user, *, all_channels: bool) -> list[Entry]:
    """The entries of a user's feed: meetings, exercise milestones, follow-up due dates, clearances."""
    now = timezone.now()
    today = timezone.localdate(now)
    first_day, last_day = today - FEED_PAST, today + FEED_AHEAD
    return [
        *_meetings(user, all_channels, now - FEED_PAST, now + FEED_AHEAD),
        *_exercise_milestones(user, all_channels, first_day, last_day),
        *_follow_ups(user, all_channels, first_day, last_day),
        *_clearances(user, all_channels, first_day, last_day),
    ]
