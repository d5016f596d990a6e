"""Calendar entries as an RFC 5545 document, written by the icalendar library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from tenancy.markings import Marking

from .selectors import Entry

PRODID = "-//Attache CRM//Calendar feed//EN"
UID_DOMAIN = "attache-crm"
# RFC 5545 CLASS: what a calendar app may share; nothing here is for publication.
CLASS = {Marking.U: "PRIVATE"}
DEFAULT_CLASS = "CONFIDENTIAL"


def to_ics(entries: Iterable[Entry], *, name: str, absolute: Callable[[str], str]) -> bytes:
    """The feed's text; `absolute` turns a path into the address of the record's page."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC)
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(entry.start))
        event.add("dtend", _utc(entry.end))
        event.add("summary", entry.summary)
        event.add("categories", [entry.category])
        event.add("class", CLASS.get(entry.marking, DEFAULT_CLASS))
        event.add("url", absolute(entry.path))
        if entry.location:
            event.add("location", entry.location)
        calendar.add_component(event)
    return calendar.to_ical()


def _utc(value):
    """Times in UTC (no VTIMEZONE needed); all-day dates as they are."""
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value
