"""Reads of the reports app: a week's sources for drafting, and the cable pages, through the policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from engagements.choices import ActionStatus, AgreementStatus, ExercisePhase, MeetingStatus
from engagements.models import (
    ActionItem,
    Agreement,
    AgreementStatusChange,
    Exercise,
    ExercisePhaseChange,
    Meeting,
    MeetingParticipant,
)
from tenancy import policy

from .models import Cable, CableKind, CableStatus
from .weeks import Period

LOOK_AHEAD_DAYS = 30
RELEASED_ON_LIST = 25


@dataclass
class WeeklySources:
    """What a weekly summary is drafted from; never a restricted-channel record."""

    meetings: list = field(default_factory=list)
    agreement_changes: list = field(default_factory=list)
    exercise_changes: list = field(default_factory=list)
    upcoming_exercises: list = field(default_factory=list)
    upcoming_meetings: list = field(default_factory=list)
    overdue_actions: list = field(default_factory=list)


def participants_prefetch() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=MeetingParticipant.objects.select_related("counterpart").order_by("id"),
    )


def weekly_sources(*, post, period: Period) -> WeeklySources:
    """The records of one post's reporting week, read without a user (for a task) via policy.reportable."""
    look_ahead = period.end + dt.timedelta(days=LOOK_AHEAD_DAYS)
    meetings = policy.reportable(Meeting, post)
    exercises = policy.reportable(Exercise, post)
    return WeeklySources(
        meetings=list(
            meetings.filter(
                status=MeetingStatus.CONDUCTED,
                include_in_weekly=True,
                starts_at__gt=period.window_start,
                starts_at__lte=period.window_end,
            )
            .prefetch_related(participants_prefetch())
            .order_by("starts_at", "id")
        ),
        agreement_changes=list(
            policy.reportable(AgreementStatusChange, post)
            .filter(changed_on__gte=period.date_after, changed_on__lte=period.end)
            .select_related("agreement")
            .order_by("changed_on", "id")
        ),
        exercise_changes=list(
            policy.reportable(ExercisePhaseChange, post)
            .filter(changed_on__gte=period.date_after, changed_on__lte=period.end)
            .select_related("exercise")
            .order_by("changed_on", "id")
        ),
        upcoming_exercises=list(
            exercises.filter(starts_on__gt=period.end, starts_on__lte=look_ahead)
            .exclude(phase__in=[ExercisePhase.CANCELLED, ExercisePhase.CLOSED])
            .order_by("starts_on", "id")
        ),
        upcoming_meetings=list(
            meetings.filter(
                status=MeetingStatus.PLANNED,
                include_in_weekly=True,
                starts_at__gt=period.window_end,
                starts_at__lte=period.window_end + dt.timedelta(days=7),
            )
            .prefetch_related(participants_prefetch())
            .order_by("starts_at", "id")
        ),
        # Open at the cutoff: still open now, or closed only after the cutoff.
        overdue_actions=list(
            policy.reportable(ActionItem, post)
            .filter(due_on__lt=period.end)
            .filter(Q(status=ActionStatus.OPEN) | Q(completed_at__gt=period.window_end))
            .order_by("due_on", "id")
        ),
    )


def expiring_agreements(user, *, post, on: dt.date) -> QuerySet:
    """Agreements in force or signed at `post`, visible to `user`, expiring within 90 days of `on`."""
    return (
        policy.visible(user, Agreement)
        .filter(post=post, status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE])
        .filter(expires_on__gte=on, expires_on__lte=on + dt.timedelta(days=90))
        .order_by("expires_on", "id")
    )


def due_follow_ups(user, *, on: dt.date) -> QuerySet:
    """Open follow-ups assigned to `user` (and visible to them) that are overdue or due the day after `on`."""
    return (
        policy.visible(user, ActionItem)
        .filter(assignee=user, status=ActionStatus.OPEN, due_on__lte=on + dt.timedelta(days=1))
        .order_by("due_on", "id")
    )


# ---------------------------------------------------------------- pages


def cable_pages(user) -> dict:
    """/cables/: drafts in progress (editors only see them) and released cables, newest first."""
    cables = policy.visible(user, Cable).select_related("post")
    drafts = cables.exclude(status=CableStatus.RELEASED).order_by("-period_start", "-id")
    released = cables.filter(status=CableStatus.RELEASED).order_by("-released_at", "-id")
    return {"drafts": list(drafts[:RELEASED_ON_LIST]), "released": list(released[:RELEASED_ON_LIST])}


def current_weekly_summary(user) -> Cable | None:
    """The newest weekly summary still in draft that this user may see (the dashboard panel)."""
    return (
        policy.visible(user, Cable)
        .filter(kind=CableKind.WEEKLY_SUMMARY)
        .exclude(status=CableStatus.RELEASED)
        .select_related("post")
        .order_by("-period_start", "-id")
        .first()
    )


def cable_with_paragraphs(user, pk) -> Cable:
    """One visible cable with its post and paragraphs (404 when hidden or absent)."""
    return policy.get_visible_or_404(
        user, Cable.objects.select_related("post", "released_by").prefetch_related("paragraphs"), pk=pk
    )
