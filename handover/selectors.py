"""The handover pack: what a successor needs from one post's records, read through the access policy.

Every section holds only what the reader may see (policy.visible), so a pack printed by a diplomat
is a diplomat's pack. Sections are capped: the page shows the PAGE_SECTION_LIMIT most relevant rows
of each with a link to the whole filtered list (a page of 1,200 rows took longer to draw than
every other page of the application); the PDF and the API, read once for the successor's file,
hold up to SECTION_LIMIT. Each says how many more exist, counted among the visible ones only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from contacts.choices import GRADE_SENIORITY, CounterpartStatus, NatoGrade
from contacts.models import Counterpart
from contacts.selectors import visible_organizations
from engagements import stay_in_touch
from engagements.choices import ActionStatus, AgreementStatus, ExercisePhase
from engagements.models import ActionItem, Agreement, Exercise
from office.selectors import pending_clearances, undisposed_gifts
from tenancy import policy
from tenancy.markings import highest_marking
from tenancy.models import Post

SECTION_LIMIT = 200
PAGE_SECTION_LIMIT = 50
# Flag and general officers are key counterparts whoever keeps them.
KEY_SENIORITY = GRADE_SENIORITY[NatoGrade.OF6]
# Agreements that still need someone to watch them.
LIVE_AGREEMENT_STATUSES = [
    AgreementStatus.PROPOSED,
    AgreementStatus.NEGOTIATING,
    AgreementStatus.TEXT_AGREED,
    AgreementStatus.SIGNED,
    AgreementStatus.IN_FORCE,
]
PLANNING_PHASES = [ExercisePhase.CONCEPT, ExercisePhase.IPC, ExercisePhase.MPC, ExercisePhase.FPC]


@dataclass
class Section:
    """The first rows of one kind (up to the pack's limit), and how many more the reader may see."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


@dataclass
class Milestone:
    label: str
    on: dt.date | None


@dataclass
class HandoverPack:
    post: object
    reader: object
    prepared_at: dt.datetime
    today: dt.date
    counterparts: Section
    follow_ups: Section
    agreements: Section
    exercises: Section
    clearances: Section
    gifts: Section
    show_restricted_notes: bool
    # The post default: counterparts without a cadence of their own are due this often.
    cadence_days: int = stay_in_touch.DEFAULT_CADENCE_DAYS

    @property
    def marking(self) -> str:
        """The highest marking of everything the pack shows (its banners and the PDF's)."""
        shown = [
            *self.counterparts.rows,
            *[c.visible_organization for c in self.counterparts.rows if c.visible_organization],
            *self.follow_ups.rows,
            *self.agreements.rows,
            *self.exercises.rows,
            *self.clearances.rows,
            *self.gifts.rows,
        ]
        return highest_marking(record.marking for record in shown)


def _section(queryset: QuerySet, limit: int = SECTION_LIMIT) -> Section:
    rows = list(queryset[:limit])
    total = len(rows) if len(rows) < limit else queryset.count()
    return Section(rows=rows, total=total)


def key_counterparts(user, post, today: dt.date, limit: int = SECTION_LIMIT) -> Section:
    """Active counterparts the reader keeps, and flag and general officers, with their last contact."""
    queryset = (
        policy.visible(user, Counterpart)
        .filter(post=post, status=CounterpartStatus.ACTIVE)
        .filter(Q(owner=user) | Q(grade_seniority__gte=KEY_SENIORITY))
        .prefetch_related(
            Prefetch("organization", queryset=visible_organizations(user), to_attr="visible_organization")
        )
        .order_by("-grade_seniority", "family_name", "given_names", "id")
    )
    section = _section(queryset, limit)
    stay_in_touch.attach(user, section.rows, today)
    for counterpart in section.rows:
        counterpart.last_contact = counterpart.stay_in_touch.last_contact
        counterpart.cadence = counterpart.stay_in_touch.status
    return section


def open_follow_ups(user, post, limit: int = SECTION_LIMIT) -> Section:
    """Open follow-ups of the post the reader may see, soonest due first, with who holds them."""
    queryset = (
        policy.visible(user, ActionItem)
        .filter(post=post, status=ActionStatus.OPEN)
        .select_related("assignee")
        .order_by("due_on", "id")
    )
    return _section(queryset, limit)


def agreement_milestone(agreement: Agreement, today: dt.date) -> Milestone:
    """The next dated step of an agreement: its review, taking effect or expiry, whichever comes first."""
    ahead = [
        Milestone(label, on)
        for label, on in (
            ("review", agreement.review_on),
            ("takes effect", agreement.effective_on),
            ("expires", agreement.expires_on),
        )
        if on is not None and on >= today
    ]
    return min(ahead, key=lambda m: m.on, default=Milestone("no date ahead", None))


def live_agreements(user, post, today: dt.date, limit: int = SECTION_LIMIT) -> Section:
    """Agreements still in play, each with its next milestone or expiry."""
    queryset = (
        policy.visible(user, Agreement)
        .filter(post=post, status__in=LIVE_AGREEMENT_STATUSES)
        .order_by("expires_on", "title", "id")
    )
    section = _section(queryset, limit)
    for agreement in section.rows:
        agreement.next_milestone = agreement_milestone(agreement, today)
    return section


def exercise_next_conference(exercise: Exercise, today: dt.date) -> Milestone:
    """The next planning conference of an exercise (initial, main or final) not yet held."""
    for name in ("ipc_on", "mpc_on", "fpc_on"):
        on = getattr(exercise, name)
        if on is not None and on >= today:
            return Milestone(Exercise._meta.get_field(name).verbose_name, on)
    return Milestone("no conference ahead", None)


def exercises_in_planning(user, post, today: dt.date, limit: int = SECTION_LIMIT) -> Section:
    """Exercises still being planned, soonest first, each with its next planning conference."""
    queryset = (
        policy.visible(user, Exercise).filter(post=post, phase__in=PLANNING_PHASES).order_by("starts_on", "name", "id")
    )
    section = _section(queryset, limit)
    for exercise in section.rows:
        exercise.next_conference = exercise_next_conference(exercise, today)
    return section


def pack_post(user, wanted=None, *, request=None) -> Post:
    """The post of a pack: `wanted` (an id), else the first post where the reader may read content.

    NotFound (404) for a post where they hold no role, as for an absent one; Denied (403, audited)
    where their role reads no content (a post's admin).
    """
    if wanted:
        post = policy.get_visible_or_404(user, Post, pk=wanted)
    else:
        readable = policy.posts_with(user, policy.CONTENT_READERS) or list(policy.roles(user))
        post = Post.objects.filter(pk__in=readable).order_by("code").first()
        if post is None:
            raise policy.NotFound(policy.NO_SUCH_POST)
    policy.require(user, "view_content", post=post, request=request)
    return post


def handover_pack(user, post, *, limit: int = SECTION_LIMIT) -> HandoverPack:
    """The pack of one post for this reader, up to `limit` rows a section; the caller has checked
    the reader may read the post."""
    today = timezone.localdate()
    return HandoverPack(
        post=post,
        reader=user,
        prepared_at=timezone.now(),
        today=today,
        counterparts=key_counterparts(user, post, today, limit),
        follow_ups=open_follow_ups(user, post, limit),
        agreements=live_agreements(user, post, today, limit),
        exercises=exercises_in_planning(user, post, today, limit),
        clearances=_section(pending_clearances(user, post), limit),
        gifts=_section(undisposed_gifts(user, post), limit),
        show_restricted_notes=policy.can_see_restricted_notes(user, post),
    )
