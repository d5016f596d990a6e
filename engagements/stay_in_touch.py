"""Stay in touch: when each counterpart was last met, and whether the next contact is due.

A counterpart's cadence is its own `contact_every_days`, or the post default (DEFAULT_CADENCE_DAYS)
when none is set. Last contact is the latest conducted meeting with the counterpart that the
reader may see: a hidden meeting neither shows nor moves the date, so two readers may be told
different things about the same counterpart. The dashboard, the counterpart page and the handover
pack all read it here, in a fixed number of queries whatever the number of counterparts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    DateTimeField,
    Expression,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, NullIf, TruncDate
from django.utils import timezone

from attache_crm.wrapped_queries import rows_around
from contacts.choices import CounterpartStatus
from contacts.models import LAST_MET_FIELDS, Counterpart
from tenancy import policy
from tenancy.choices import Role
from tenancy.markings import Channel

from .choices import MeetingStatus
from .models import Meeting

# The post default: a counterpart with no cadence of its own is to be met every quarter.
DEFAULT_CADENCE_DAYS = 90
# How early contact is announced as due.
DUE_SOON_DAYS = 14

NEVER_MET = "never met"
OVERDUE = "overdue"
DUE_SOON = "due soon"
IN_TOUCH = "in touch"
STATUSES = [NEVER_MET, OVERDUE, DUE_SOON, IN_TOUCH]
PANEL_SIZE = 10


@dataclass(frozen=True)
class Rhythm:
    """One counterpart's stay-in-touch state as one reader sees it on `today`."""

    cadence_days: int
    own_cadence: bool
    last_contact: dt.datetime | None
    status: str
    due_on: dt.date | None
    days_to_due: int | None  # negative once the due day has passed; None when never met

    @property
    def overdue_days(self) -> int:
        return -self.days_to_due if self.status == OVERDUE else 0


def cadence_days(counterpart: Counterpart) -> int:
    return counterpart.contact_every_days or DEFAULT_CADENCE_DAYS


def status_for(last_contact: dt.datetime | None, every_days: int, today: dt.date) -> str:
    """'never met', 'overdue' (the due day has passed), 'due soon' (due within DUE_SOON_DAYS,
    the due day itself included) or 'in touch'."""
    if last_contact is None:
        return NEVER_MET
    return status_on(timezone.localdate(last_contact) + dt.timedelta(days=every_days), today)


def status_on(due: dt.date | None, today: dt.date) -> str:
    """The status of a counterpart due on `due` (None: never met), as status_for says."""
    if due is None:
        return NEVER_MET
    return status_by_day_number(due.toordinal(), today.toordinal())


def status_by_day_number(due: int, today: int) -> str:
    """status_on for days given as numbers (date.toordinal())."""
    if due < today:
        return OVERDUE
    if due - DUE_SOON_DAYS <= today:
        return DUE_SOON
    return IN_TOUCH


def rhythm(counterpart: Counterpart, last_contact: dt.datetime | None, today: dt.date) -> Rhythm:
    every = cadence_days(counterpart)
    due = timezone.localdate(last_contact) + dt.timedelta(days=every) if last_contact else None
    return Rhythm(
        cadence_days=every,
        own_cadence=counterpart.contact_every_days is not None,
        last_contact=last_contact,
        status=status_for(last_contact, every, today),
        due_on=due,
        days_to_due=(due - today).days if due else None,
    )


def conducted_meetings(user) -> QuerySet:
    """The meetings that count as contact for this reader: conducted and visible to them."""
    return policy.visible(user, Meeting).filter(status=MeetingStatus.CONDUCTED)


def last_contacts(user, counterparts) -> dict[int, dt.datetime]:
    """{counterpart id: start of the latest conducted meeting with them the reader may see}, for
    `counterparts` given as ids or as a queryset of counterparts; one query whatever their number."""
    if not isinstance(counterparts, QuerySet):
        counterparts = Counterpart.objects.filter(pk__in=list(counterparts))
    rows = counterparts.order_by().annotate(last=last_contact(user)).filter(last__isnull=False)
    return dict(rows.values_list("pk", "last"))


# "No meeting" inside GREATEST, which SQLite makes NULL as soon as one of its arguments is.
_NEVER = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


def last_contact(user) -> Expression:
    """The start of the latest conducted meeting with the (outer) counterpart that `user` may see,
    NULL when none, as an expression over the counterpart's columns.

    The stored last contacts (engagements.last_contact) of the channels the reader sees whole at
    the counterpart's post, and — at the posts where they are not the chief — the latest
    restricted meeting they see one by one, read alongside where the stored latest restricted
    meeting of all is later than the rest (elsewhere none of theirs can be the latest).
    """
    never = Value(_NEVER, output_field=DateTimeField())
    restricted_posts = policy.posts_read_one_by_one(user)
    restricted = (
        conducted_meetings(user)
        .filter(post_id__in=restricted_posts, channel=Channel.RESTRICTED, participants__counterpart_id=OuterRef("pk"))
        .order_by()
        .values("participants__counterpart_id")
        .annotate(latest=Max("starts_at"))
        .values("latest")
    )
    branches = []
    for channels, posts in policy.whole_channel_groups(user).items():
        dates = [Coalesce(LAST_MET_FIELDS[channel], never) for channel in channels]
        whole = Greatest(*dates) if len(dates) > 1 else dates[0]
        latest = whole
        if Channel.RESTRICTED not in channels:
            # Looked up only where one of them could be the latest: where the latest restricted
            # meeting of all (stored) is later than what the reader sees whole.
            later_restricted = Q(**{f"{LAST_MET_FIELDS[Channel.RESTRICTED]}__gt": whole})
            latest = Case(
                When(later_restricted, then=Greatest(whole, Coalesce(Subquery(restricted), never))),
                default=whole,
                output_field=DateTimeField(),
            )
        branches.append(When(post_id__in=posts, then=latest))
    if not branches:
        return Value(None, output_field=DateTimeField())
    return NullIf(Case(*branches, default=never, output_field=DateTimeField()), never)


def attach(user, counterparts, today: dt.date | None = None) -> list[Counterpart]:
    """Set `stay_in_touch` (a Rhythm) on each counterpart; one query for the lot."""
    counterparts = list(counterparts)
    today = today or timezone.localdate()
    last = last_contacts(user, [c.pk for c in counterparts]) if counterparts else {}
    for counterpart in counterparts:
        counterpart.stay_in_touch = rhythm(counterpart, last.get(counterpart.pk), today)
    return counterparts


def watched_counterparts(user) -> QuerySet:
    """Active counterparts with a cadence of their own that this user keeps, or, for the chief,
    every one at their post: setting a cadence is what puts a counterpart on someone's watch."""
    chief_posts = policy.posts_with(user, {Role.CHIEF})
    return (
        policy.visible(user, Counterpart)
        .filter(status=CounterpartStatus.ACTIVE, contact_every_days__isnull=False)
        .filter(Q(owner=user) | Q(post_id__in=chief_posts))
    )


class DayNumber(Func):
    """A date as its day number (Python's date.toordinal()), so that a cadence adds as days."""

    arity = 1
    output_field = IntegerField()
    template = "(%(expressions)s - DATE '0001-01-01' + 1)"

    def as_sqlite(self, compiler, connection, **extra):
        # julianday('0001-01-01') is 1721425.5.
        template = "CAST(julianday(%(expressions)s) - 1721424.5 AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)


# The panel's ranking, done by the database over every watched counterpart's last contact and
# due day (a day number, NULL when never met): the rows to show, most urgent first, each with its
# last contact and how many of the whole watch list are never met, overdue, due soon and in touch
# (as status_by_day_number reads a due day). The order is one number per row: twice the due day,
# and for never met twice today less one, which falls between yesterday's (the latest overdue) and
# today's: overdue first, longest overdue at the top, then never met, then the soonest due. The
# fences keep PostgreSQL from pulling the inner queries up into the ranking, which would copy their
# expressions (the last contact, with a subquery per row; the due day) into every use of them:
# twice as slow over a chief's 12,000 rows.
_FENCE = {"postgresql": " OFFSET 0"}
_PANEL_SQL = """
SELECT watched_id, last,
       COUNT(*) FILTER (WHERE due IS NULL) OVER (),
       COUNT(*) FILTER (WHERE due < %s) OVER (),
       COUNT(*) FILTER (WHERE due >= %s AND due <= %s) OVER (),
       COUNT(*) FILTER (WHERE due > %s) OVER ()
FROM (
    SELECT watched_id, last, {due_day} + every AS due
    FROM ({watched}{fence}) watched{fence}
) due_days
ORDER BY COALESCE(2 * due, %s), watched_id
LIMIT %s
"""


def _ranking(user, today: dt.date, size: int) -> tuple[list[tuple[int, dt.datetime | None]], dict[str, int]]:
    """([(counterpart id, last contact)] of the `size` most urgent watched counterparts, most
    urgent first; {status: how many of all watched counterparts have it}), in one query."""
    watched = (
        watched_counterparts(user)
        .order_by()
        .annotate(watched_id=F("pk"), last=last_contact(user), every=F("contact_every_days"))
        .values_list("watched_id", "last", "every")
    )
    compiler = watched.query.get_compiler(watched.db)
    sql, params = compiler.as_sql()
    # The due day of the column `last` above, in the post's calendar.
    last = RawSQL("watched.last", (), output_field=DateTimeField())
    due_sql, due_params = compiler.compile(DayNumber(TruncDate(last, tzinfo=timezone.get_current_timezone())))
    query = _PANEL_SQL.format(due_day=due_sql, watched=sql, fence=_FENCE.get(compiler.connection.vendor, ""))
    day, soon_end, never = today.toordinal(), today.toordinal() + DUE_SOON_DAYS, 2 * today.toordinal() - 1
    ranked = rows_around(compiler, query, (day, day, soon_end, soon_end, *due_params, *params, never, size))
    shown = [(watched_id, last_met) for watched_id, last_met, *_ in ranked]
    counts = ranked[0][2:] if ranked else (0,) * len(STATUSES)
    return shown, {status: int(count) for status, count in zip(STATUSES, counts, strict=True)}


def dashboard_panel(user, today: dt.date, size: int = PANEL_SIZE) -> dict:
    """The dashboard's 'Stay in touch' panel: up to `size` watched counterparts, overdue first
    (longest overdue at the top), then never met, due soon and in touch; with counts per status.

    Two queries whatever the number of counterparts: the ranking of every watched counterpart
    with the counts, and the rows shown. A chief watches thousands of counterparts: they are
    ranked and counted where their last contacts are computed, and only the rows shown come back.
    """
    shown, counts = _ranking(user, today, size)
    counterparts = Counterpart.objects.in_bulk([pk for pk, _ in shown]) if shown else {}
    rows = []
    for pk, last_met in shown:
        counterpart = counterparts[pk]
        counterpart.stay_in_touch = rhythm(counterpart, last_met, today)
        rows.append(counterpart)
    return {
        "rows": rows,
        "total": sum(counts.values()),
        "needing_contact": counts[OVERDUE] + counts[NEVER_MET],
        # Keyed for templates: "never_met", "due_soon" …
        "counts": {status.replace(" ", "_"): count for status, count in counts.items()},
    }
