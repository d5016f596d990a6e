"""Stay in touch: when each counterpart was last met, and whether the next contact is due.

A counterpart's cadence is its own `contact_every_days`, or the post default (DEFAULT_CADENCE_DAYS)
when none is set. Last contact is the latest conducted meeting with the counterpart that the
reader may see: a hidden meeting neither shows nor moves the date, so two readers may be told
different things about the same counterpart. The dashboard, the counterpart page and the handover
pack all read it here, in a fixed number of queries whatever the number of counterparts.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from contacts.choices import CounterpartStatus
from contacts.models import Counterpart
from tenancy import policy
from tenancy.choices import Role

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
# The dashboard's order: what needs a call first.
URGENCY = {OVERDUE: 0, NEVER_MET: 1, DUE_SOON: 2, IN_TOUCH: 3}
STATUSES_BY_URGENCY = {urgency: status for status, urgency in URGENCY.items()}
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
    if due < today:
        return OVERDUE
    if due - dt.timedelta(days=DUE_SOON_DAYS) <= today:
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
    `counterparts` given as ids or as a queryset of counterparts (read as a subquery).

    One grouped query for all of them, read from the meetings' side so that the reader's
    visibility filters the meetings table once (a subquery per counterpart costs a scan of the
    post's meetings each).
    """
    rows = (
        conducted_meetings(user)
        .filter(participants__counterpart_id__in=counterparts)
        .values("participants__counterpart_id")
        .annotate(last=Max("starts_at"))
        .order_by()
    )
    return {row["participants__counterpart_id"]: row["last"] for row in rows}


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


def dashboard_panel(user, today: dt.date, size: int = PANEL_SIZE) -> dict:
    """The dashboard's 'Stay in touch' panel: up to `size` watched counterparts, overdue first
    (longest overdue at the top), then never met, due soon and in touch; with counts per status.

    Three queries whatever the number of counterparts: their ids and cadences, their last
    contacts (grouped), and the rows shown. A chief watches every counterpart of every post, so
    the loop over them does plain date arithmetic only.
    """
    watched = watched_counterparts(user).order_by()
    cadences = dict(watched.values_list("pk", "contact_every_days"))
    # The watched counterparts as a subquery: a chief watches thousands, too many to list as ids.
    last = last_contacts(user, watched.values("pk")) if cadences else {}
    # Local dates of the last contacts, converted once per counterpart with the zone read once.
    zone = timezone.get_current_timezone()
    last_days = {pk: when.astimezone(zone).date() for pk, when in last.items()}
    states = {}
    for pk, every in cadences.items():
        last_day = last_days.get(pk)
        due = last_day + dt.timedelta(days=every) if last_day else None
        states[pk] = (URGENCY[status_on(due, today)], due or today, pk)
    shown_ids = [pk for *_, pk in heapq.nsmallest(size, states.values())]
    counts = {status: 0 for status in STATUSES}
    for urgency, *_ in states.values():
        counts[STATUSES_BY_URGENCY[urgency]] += 1
    shown = {c.pk: c for c in Counterpart.objects.filter(pk__in=shown_ids)} if shown_ids else {}
    rows = []
    for pk in shown_ids:
        counterpart = shown[pk]
        counterpart.stay_in_touch = rhythm(counterpart, last.get(pk), today)
        rows.append(counterpart)
    return {
        "rows": rows,
        "total": len(cadences),
        "needing_contact": counts[OVERDUE] + counts[NEVER_MET],
        # Keyed for templates: "never_met", "due_soon" …
        "counts": {status.replace(" ", "_"): count for status, count in counts.items()},
    }
