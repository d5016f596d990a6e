"""The counterpart timeline: every visible meeting, agreement, exercise and follow-up a
counterpart appears in, newest first, page by page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import DateTimeField, F, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce

from contacts.models import Counterpart
from tenancy import policy

from .models import ActionItem, Agreement, AgreementStatusChange, Exercise, Meeting, MeetingParticipant

PAGE_SIZE = 25


@dataclass
class TimelineEntry:
    """One line of a counterpart's timeline: what it is, when, and the record itself."""

    kind: str  # meeting, agreement, exercise, follow_up
    at: dt.datetime  # for the date-only kinds, midnight UTC of that date: show it as a UTC date
    obj: Any

    @property
    def is_date_only(self) -> bool:
        return self.kind in {"agreement", "exercise"}

    @property
    def on(self) -> dt.date:
        """The calendar day of a date-only entry."""
        return self.at.astimezone(dt.UTC).date()


def _as_datetime(expression):
    return Cast(expression, output_field=DateTimeField())


def counterpart_timeline_sources(user, counterpart: Counterpart) -> dict[str, QuerySet]:
    """The visible records of each kind the counterpart appears in, each annotated with `item_at`.

    - meetings: the counterpart is a participant (MeetingParticipant); at = starts_at;
    - agreements: a meeting above links the agreement, or the counterpart's current organization
      (when the user may see it) is a party; at = the date of the latest status change, else the
      day it was entered;
    - exercises: the counterpart is listed among the exercise's counterparts; at = starts_on;
    - follow-ups: action items of the meetings above; at = the meeting they came from, listed
      just under it (their due date shows in the entry).
    Only records the user may see count, and links through hidden records do not: an agreement
    linked only by an attaché-channel meeting stays off a diplomat's timeline.
    """

    meetings = policy.visible(user, Meeting).filter(participants__counterpart=counterpart)
    meeting_ids = meetings.values("pk")

    agreement_links = Q(
        pk__in=Meeting.agreements.through.objects.filter(meeting_id__in=meeting_ids).values("agreement_id")
    )
    organization = counterpart.organization  # already None when hidden from this user
    if organization is not None:
        # A semi-join on the link table, not a join across `parties` inside an OR: that form made
        # PostgreSQL scan every agreement and every party row of the database for each page.
        agreement_links |= Q(
            pk__in=Agreement.parties.through.objects.filter(organization=organization).values("agreement_id")
        )
    latest_change = (
        AgreementStatusChange.objects.filter(agreement=OuterRef("pk"))
        .order_by("-changed_on", "-id")
        .values("changed_on")[:1]
    )
    agreements = (
        policy.visible(user, Agreement)
        .filter(agreement_links)
        .annotate(item_at=Coalesce(_as_datetime(Subquery(latest_change)), F("created_at")))
    )
    exercises = (
        policy.visible(user, Exercise)
        .filter(pk__in=Exercise.counterparts.through.objects.filter(counterpart=counterpart).values("exercise_id"))
        .annotate(item_at=_as_datetime(F("starts_on")))
    )
    follow_ups = (
        policy.visible(user, ActionItem).filter(meeting_id__in=meeting_ids).annotate(item_at=F("meeting__starts_at"))
    )
    return {
        "meeting": meetings.annotate(item_at=F("starts_at")),
        "agreement": agreements,
        "exercise": exercises,
        "follow_up": follow_ups,
    }


def _timeline_keys(sources: dict[str, QuerySet]) -> QuerySet:
    """(kind, id, at) of every entry, as one UNION query ordered newest first."""
    parts = [
        queryset.order_by()
        .annotate(item_kind=Value(kind), item_rank=Value(rank))
        .values_list("item_kind", "id", "item_at", "item_rank")
        for rank, (kind, queryset) in enumerate(sources.items())
    ]
    # Newest first; entries of the same moment in a fixed order (a meeting above its follow-ups)
    # so that pages never overlap.
    return parts[0].union(*parts[1:], all=True).order_by("-item_at", "item_rank", "-id")


def _hydrate(user, counterpart: Counterpart, keys: list[tuple]) -> dict[tuple[str, int], Model]:
    """Load the records of one page: one query per kind present, whatever the page size."""

    wanted: dict[str, list[int]] = {}
    for kind, pk, *_ in keys:
        wanted.setdefault(kind, []).append(pk)
    loaded: dict[tuple[str, int], Model] = {}
    loaders = {
        "meeting": lambda ids: Meeting.objects.filter(pk__in=ids).prefetch_related(
            Prefetch(
                "participants",
                queryset=MeetingParticipant.objects.filter(counterpart=counterpart),
                to_attr="this_participation",
            )
        ),
        "agreement": lambda ids: Agreement.objects.filter(pk__in=ids),
        "exercise": lambda ids: Exercise.objects.filter(pk__in=ids),
        "follow_up": lambda ids: ActionItem.objects.filter(pk__in=ids).select_related("assignee", "meeting"),
    }
    for kind, ids in wanted.items():
        for obj in loaders[kind](ids):
            loaded[(kind, obj.pk)] = obj
    return loaded


def counterpart_timeline(user, counterpart: Counterpart, page=1) -> Page:
    """One page (25 entries) of every visible meeting, agreement, exercise and follow-up the
    counterpart appears in, newest first; `page.object_list` holds TimelineEntry items.

    The count of queries is fixed: one UNION for the keys, one load per kind. The keys of every
    entry are read at once — a few hundred small rows even for a chief of defence — and paged
    here: that costs less than a second run of the UNION for COUNT(*), which was a third of
    the page's time on the benchmark volume (bench/README.md).
    """
    paginator = Paginator(list(_timeline_keys(counterpart_timeline_sources(user, counterpart))), PAGE_SIZE)
    page_obj = paginator.get_page(page)
    keys = list(page_obj.object_list)
    loaded = _hydrate(user, counterpart, keys)
    page_obj.object_list = [
        TimelineEntry(kind=kind, at=at, obj=loaded[(kind, pk)]) for kind, pk, at, _ in keys if (kind, pk) in loaded
    ]
    return page_obj
