"""Dates coming up that the dashboard warns about: exercise milestones in the next weeks and
agreements nearing expiry (or past it while still recorded as active). Read through the policy:
a reader is warned only about records they may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from tenancy import policy

from .choices import AgreementStatus, ExercisePhase
from .models import Agreement, Exercise

MILESTONE_DAYS = 30
EXPIRY_DAYS = 90
PANEL_SIZE = 10
# Exercises read to find the next milestones: more than a page could show, whatever the post.
EXERCISES_READ = 50
# Dates an exercise moves through, in the order they fall.
EXERCISE_DATES = (
    ("ipc_on", "Initial planning conference"),
    ("mpc_on", "Main planning conference"),
    ("fpc_on", "Final planning conference"),
    ("starts_on", "Starts"),
    ("ends_on", "Ends"),
)
FINISHED_PHASES = [ExercisePhase.AFTER_ACTION, ExercisePhase.CLOSED, ExercisePhase.CANCELLED]
# An agreement in one of these is one someone relies on: its expiry needs a decision.
ACTIVE_AGREEMENT_STATUSES = [AgreementStatus.SIGNED, AgreementStatus.IN_FORCE]


@dataclass(frozen=True)
class ExerciseMilestone:
    exercise: Exercise
    label: str
    on: dt.date


def exercise_milestones(user, today: dt.date, days: int = MILESTONE_DAYS, size: int = PANEL_SIZE) -> list:
    """Planning conferences, starts and ends of unfinished exercises within `days`, soonest first."""
    end = today + dt.timedelta(days=days)
    within = Q()
    for field, _ in EXERCISE_DATES:
        within |= Q(**{f"{field}__gte": today, f"{field}__lte": end})
    exercises = (
        policy.visible(user, Exercise)
        .exclude(phase__in=FINISHED_PHASES)
        .filter(within)
        .order_by("starts_on", "id")[:EXERCISES_READ]
    )
    milestones = [
        ExerciseMilestone(exercise, label, getattr(exercise, field))
        for exercise in exercises
        for field, label in EXERCISE_DATES
        if getattr(exercise, field) is not None and today <= getattr(exercise, field) <= end
    ]
    return sorted(milestones, key=lambda m: (m.on, m.exercise.pk))[:size]


def expiring_agreements(user, today: dt.date, days: int = EXPIRY_DAYS, size: int = PANEL_SIZE) -> list[Agreement]:
    """Signed or in-force agreements expiring within `days`, and those already past their expiry
    but still recorded as active (the longest expired first)."""
    agreements = list(
        policy.visible(user, Agreement)
        .filter(status__in=ACTIVE_AGREEMENT_STATUSES, expires_on__lte=today + dt.timedelta(days=days))
        .order_by("expires_on", "id")[:size]
    )
    for agreement in agreements:
        agreement.expired = agreement.expires_on < today
        agreement.days_left = (agreement.expires_on - today).days
    return agreements
