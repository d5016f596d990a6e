"""Reads of the reports app: a week's sources for drafting, and the cable pages, through the policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import F, Prefetch, Q, QuerySet

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

from .models import Cable, CableKind, CableStatus, PostReporting
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
    follow_ups: list = field(default_factory=list)
    clearances: ClearanceWeek = field(default_factory=lambda: ClearanceWeek())


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
        clearances=clearance_week(post, since=period.date_after, until=period.end),
        follow_ups=week_follow_ups(post=post, period=period) if reports_follow_ups(post) else [],
    )


def reports_follow_ups(post) -> bool:
    """Whether the post's weekly summary reports follow-ups (off unless the post turned it on)."""
    return PostReporting.objects.filter(post=post, weekly_follow_ups=True).exists()


def week_follow_ups(*, post, period: Period) -> list:
    """Follow-ups due in the reporting week, or become overdue in it (due the day before it began):
    what happened this week, not the office's whole backlog of to-dos."""
    return list(
        policy.reportable(ActionItem, post)
        .filter(due_on__gte=period.date_after - dt.timedelta(days=1), due_on__lte=period.end)
        .exclude(status=ActionStatus.DROPPED)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gt=period.window_start))
        .order_by("due_on", "id")
    )


# ---------------------------------------------------------------- clearances (office app)
# The office app sits above reports and hands its model down by label, as the policy does: the
# weekly summary reads the clearances without importing the app.


@dataclass
class ClearanceWeek:
    """What the CLEARANCES section reports: answered by the host nation in the week (approved,
    denied), and pending past their lead time at its end."""

    approved: list = field(default_factory=list)
    late: list = field(default_factory=list)
    denied: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.approved or self.late or self.denied)

    @property
    def records(self) -> list:
        return [*self.approved, *self.late, *self.denied]


def clearance_week(post, *, since: dt.date, until: dt.date) -> ClearanceWeek:
    """Approved and denied with a reply dated `since`..`until`; pending past their lead time on
    `until`: still a draft after the submit-by day, or submitted after it and not yet answered,
    for travel not yet over. Never the restricted channel (policy.reportable)."""
    clearances = policy.reportable(apps.get_model("office", "Clearance"), post).order_by("starts_on", "id")
    answered = clearances.filter(replied_on__gte=since, replied_on__lte=until)
    late = clearances.filter(submit_by__lt=until, ends_on__gte=until).filter(
        Q(status="draft") | Q(status="submitted", submitted_on__gt=F("submit_by"))
    )
    return ClearanceWeek(
        approved=list(answered.filter(status="approved")),
        late=list(late),
        denied=list(answered.filter(status="denied")),
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


def corrections_of(user, cable: Cable) -> list[Cable]:
    """The corrections of a cable that this user may see, oldest first."""
    return list(policy.visible(user, Cable).filter(corrects=cable).order_by("id"))
