"""The counterpart timeline: every visible meeting, agreement, exercise and follow-up a
counterpart appears in, page by page: what is planned first (nearest first), then today and the
past, newest first, with a marker wherever the counterpart's position changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import DateTimeField, F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

from attache_crm.wrapped_queries import rows_around
from contacts.models import Appointment, Counterpart
from tenancy import policy

from .choices import MeetingStatus
from .models import ActionItem, Agreement, AgreementStatusChange, Exercise, Meeting, MeetingParticipant

PAGE_SIZE = 25
KINDS = {"meeting": "Meetings", "agreement": "Agreements", "exercise": "Exercises", "follow_up": "Follow-ups"}
DATE_ONLY_KINDS = frozenset({"agreement", "exercise"})


@dataclass(frozen=True)
class TimelineQuery:
    """What the reader asked to see: some kinds only (none named: all), days from/to (inclusive)."""

    kinds: frozenset[str] = frozenset()
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def is_filtered(self) -> bool:
        return bool(self.kinds or self.date_from or self.date_to)


@dataclass(frozen=True)
class PositionMarker:
    """The counterpart's position from some day on, shown once above the entries it applies to."""

    label: str
    since: dt.date | None = None


@dataclass
class TimelineEntry:
    """One line of a counterpart's timeline: what it is, when, and the record itself."""

    kind: str  # meeting, agreement, exercise, follow_up
    at: dt.datetime  # for the date-only kinds, midnight UTC of that date: show it as a UTC date
    obj: Any
    upcoming: bool = False
    position: PositionMarker | None = field(default=None)  # set where the position changes

    @property
    def is_date_only(self) -> bool:
        return self.kind in DATE_ONLY_KINDS

    @property
    def on(self) -> dt.date:
        """The calendar day of a date-only entry."""
        return self.at.astimezone(dt.UTC).date()


def _as_datetime(expression):
    return Cast(expression, output_field=DateTimeField())


# The reader's visible meetings with the counterpart, as the timeline's query names them: read
# once in a WITH clause and shared by the parts that need them (meetings, the agreements they
# link, their follow-ups). As three subqueries, PostgreSQL read them three times: for a
# counterpart met 600 times, three passes over the post's 10,000 meetings: 19 ms, 10 with one.
MEETINGS_WITH = "timeline_meetings"


def visible_meetings_with(user, counterpart: Counterpart) -> QuerySet:
    """The ids of the meetings with the counterpart that the user may see (MEETINGS_WITH)."""
    return policy.visible(user, Meeting).filter(participants__counterpart=counterpart).order_by().values("id")


def counterpart_timeline_sources(user, counterpart: Counterpart) -> dict[str, QuerySet]:
    """The visible records of each kind the counterpart appears in, each annotated with `item_at`;
    to be run with visible_meetings_with() as MEETINGS_WITH (_timeline_keys does).

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

    meeting_ids = RawSQL(f"SELECT {MEETINGS_WITH}.id FROM {MEETINGS_WITH}", ())
    meetings = Meeting.objects.filter(pk__in=meeting_ids)

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


def _day_start(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def _narrowed(sources: dict[str, QuerySet], query: TimelineQuery, post_tz: dt.tzinfo) -> dict[str, QuerySet]:
    """The sources of the kinds asked for, each limited to the days asked for.

    Days are whole days where the post is for meetings and follow-ups, and calendar dates (stored
    as midnight UTC) for agreements and exercises, so that an exercise starting on the 1st is in a
    range from the 1st wherever the reader sits.
    """
    narrowed = {}
    for kind, queryset in sources.items():
        if query.kinds and kind not in query.kinds:
            continue
        tz = dt.UTC if kind in DATE_ONLY_KINDS else post_tz
        if query.date_from:
            queryset = queryset.filter(item_at__gte=_day_start(query.date_from, tz))
        if query.date_to:
            queryset = queryset.filter(item_at__lt=_day_start(query.date_to + dt.timedelta(days=1), tz))
        narrowed[kind] = queryset
    return narrowed


def _timeline_keys(user, counterpart: Counterpart, sources: dict[str, QuerySet]) -> list[tuple]:
    """(kind, id, at, rank, status) of every entry, as one UNION query ordered newest first.

    The status is a meeting's (empty for the other kinds): the conducted meetings among the keys
    are the counterpart's contacts, which the page's stay-in-touch line and sparkline count
    without reading the meetings again.
    """
    parts = [
        queryset.order_by()
        .annotate(
            item_kind=Value(kind),
            item_rank=Value(list(KINDS).index(kind)),
            item_status=F("status") if kind == "meeting" else Value(""),
        )
        .values_list("item_kind", "id", "item_at", "item_rank", "item_status")
        for kind, queryset in sources.items()
    ]
    # Newest first; entries of the same moment in a fixed order (a meeting above its follow-ups)
    # so that pages never overlap.
    keys = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    keys = keys.order_by("-item_at", "item_rank", "-id")
    compiler = keys.query.get_compiler(keys.db)
    sql, params = compiler.as_sql()
    with_sql, with_params = visible_meetings_with(user, counterpart).query.get_compiler(keys.db).as_sql()
    return rows_around(compiler, f"WITH {MEETINGS_WITH} AS ({with_sql}) {sql}", (*with_params, *params))


def _hydrate(user, counterpart: Counterpart, keys: list[tuple]) -> dict[tuple[str, int], Model]:
    """Load the records of one page: one query per kind present, whatever the page size."""

    wanted: dict[str, list[int]] = {}
    for kind, pk, *_ in keys:
        wanted.setdefault(kind, []).append(pk)
    loaded: dict[tuple[str, int], Model] = {}
    loaders = {
        "meeting": lambda ids: _meetings_with_participation(counterpart, ids),
        "agreement": lambda ids: Agreement.objects.filter(pk__in=ids),
        "exercise": lambda ids: Exercise.objects.filter(pk__in=ids),
        "follow_up": lambda ids: ActionItem.objects.filter(pk__in=ids).select_related("assignee", "meeting"),
    }
    for kind, ids in wanted.items():
        for obj in loaders[kind](ids):
            loaded[(kind, obj.pk)] = obj
    return loaded


def _meetings_with_participation(counterpart: Counterpart, ids: list[int]) -> list[Meeting]:
    """The meetings, each with `this_participation` (the counterpart's row, as a one-item list):
    read from the participation side with its meeting joined, one query for both."""
    meetings = []
    for participation in MeetingParticipant.objects.filter(counterpart=counterpart, meeting_id__in=ids).select_related(
        "meeting"
    ):
        meeting = participation.meeting
        meeting.this_participation = [participation]
        meetings.append(meeting)
    return meetings


def _conducted_meeting_times(keys: list[tuple]) -> list[dt.datetime]:
    """When each conducted meeting among the keys started."""
    return [at for kind, _, at, _, status in keys if kind == "meeting" and status == MeetingStatus.CONDUCTED]


def _entry_day(kind: str, at: dt.datetime, post_tz: dt.tzinfo) -> dt.date:
    return at.astimezone(dt.UTC if kind in DATE_ONLY_KINDS else post_tz).date()


def _upcoming_first(keys: list[tuple], today: dt.date, post_tz: dt.tzinfo) -> tuple[list[tuple], int]:
    """The keys re-ordered: days after today nearest first, then today and the past newest first
    (as they come); and how many are upcoming. A meeting logged after the fact thus never sits
    under the ones still planned."""
    # After today: from the start of tomorrow in the zone each kind's day is read in (_entry_day),
    # as UTC like the keys, which then compare without a time zone lookup.
    tomorrow = today + dt.timedelta(days=1)
    upcoming_from = {
        kind: _day_start(tomorrow, dt.UTC if kind in DATE_ONLY_KINDS else post_tz).astimezone(dt.UTC) for kind in KINDS
    }
    upcoming, past = [], []
    for key in keys:
        (upcoming if key[2] >= upcoming_from[key[0]] else past).append(key)
    upcoming.sort(key=lambda key: (key[2], key[3], key[1]))
    return upcoming + past, len(upcoming)


def _appointment_label(appointment: Appointment) -> str:
    parts = [appointment.rank_title, appointment.position, str(appointment.organization or "")]
    return ", ".join(part for part in parts if part)


def _position_on(entry: TimelineEntry, day: dt.date, appointments: list[Appointment]) -> PositionMarker | None:
    """The appointment covering the day; failing that, what a meeting recorded of the counterpart."""
    for appointment in appointments:
        if appointment.start_on <= day and (appointment.end_on is None or day <= appointment.end_on):
            label = _appointment_label(appointment)
            return PositionMarker(label, appointment.start_on) if label else None
    for participation in getattr(entry.obj, "this_participation", ()):
        label = ", ".join(part for part in (participation.rank_title_at_time, participation.position_at_time) if part)
        if label:
            return PositionMarker(label)
    return None


def _mark_position_changes(entries: list[TimelineEntry], appointments: list[Appointment], post_tz) -> None:
    """Set `position` on each past entry whose position differs from the entry above it (the
    first past entry of a page always shows it): the position reads once per change, not on
    every line."""
    shown = None
    for entry in entries:
        if entry.upcoming:
            continue
        position = _position_on(entry, _entry_day(entry.kind, entry.at, post_tz), appointments)
        if position is not None and position != shown:
            entry.position = position
        shown = position


def counterpart_timeline(
    user,
    counterpart: Counterpart,
    page=1,
    *,
    query: TimelineQuery | None = None,
    appointments: list[Appointment] | None = None,
    today: dt.date | None = None,
) -> Page:
    """One page (25 entries) of every visible meeting, agreement, exercise and follow-up the
    counterpart appears in, as `query` narrows them: upcoming ones first (nearest first), then
    today's and the past ones newest first; `page.object_list` holds TimelineEntry items, and
    `page.upcoming` / `page.past` the same entries split in two. When nothing narrows the
    timeline, `page.conducted_meetings_at` holds when each visible conducted meeting with the
    counterpart started (every page's, not this page's): the counterpart's contacts, read with
    the keys (None when a filter leaves some out).

    The count of queries is fixed: one UNION for the keys, one load per kind. The keys of every
    entry are read at once — a few hundred small rows even for a chief of defence — and paged
    here: that costs less than a second run of the UNION for COUNT(*), which was a third of
    the page's time on the benchmark volume (bench/README.md). `appointments` (the counterpart's,
    as the page already holds them) place the position markers without a query of their own.
    """
    query = query or TimelineQuery()
    post_tz = counterpart.post.tzinfo
    today = today or dt.datetime.now(tz=post_tz).date()
    sources = _narrowed(counterpart_timeline_sources(user, counterpart), query, post_tz)
    keys = _timeline_keys(user, counterpart, sources) if sources else []
    conducted_at = None if query.is_filtered else _conducted_meeting_times(keys)
    keys, upcoming_count = _upcoming_first(keys, today, post_tz)
    paginator = Paginator(keys, PAGE_SIZE)
    page_obj = paginator.get_page(page)
    first_index = page_obj.start_index() - 1 if keys else 0
    keys = list(page_obj.object_list)
    loaded = _hydrate(user, counterpart, keys)
    page_obj.object_list = [
        TimelineEntry(kind=kind, at=at, obj=loaded[(kind, pk)], upcoming=first_index + i < upcoming_count)
        for i, (kind, pk, at, *_) in enumerate(keys)
        if (kind, pk) in loaded
    ]
    _mark_position_changes(page_obj.object_list, appointments or [], post_tz)
    page_obj.upcoming = [entry for entry in page_obj.object_list if entry.upcoming]
    page_obj.past = [entry for entry in page_obj.object_list if not entry.upcoming]
    page_obj.conducted_meetings_at = conducted_at
    return page_obj
