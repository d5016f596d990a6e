"""The columns of the meeting, agreement, exercise and follow-up lists' exports (attache_crm.exports
writes them). Only the record's own fields: no linked counterpart, organization or meeting, which
the reader may not see, and never restricted notes."""

from __future__ import annotations

from django.utils import timezone

from attache_crm.exports import Columns


def day(value) -> str:
    return value.isoformat() if value else ""


def local_time(value, post) -> str:
    """A moment as the post's clock shows it, to the minute."""
    return timezone.localtime(value, post.tzinfo).strftime("%Y-%m-%d %H:%M") if value else ""


HANDLING: Columns = [
    ("Post", lambda r: r.post.code),
    ("Marking", lambda r: r.marking),
    ("Channel", lambda r: r.channel),
]

MEETING_COLUMNS: Columns = [
    ("Title", lambda m: m.title),
    ("Kind", lambda m: m.get_kind_display()),
    ("Status", lambda m: m.get_status_display()),
    ("Starts (post time)", lambda m: local_time(m.starts_at, m.post)),
    ("Ends (post time)", lambda m: local_time(m.ends_at, m.post)),
    ("Location", lambda m: m.location),
    ("Objectives", lambda m: m.objectives),
    ("Summary", lambda m: m.summary),
    ("Outcome", lambda m: m.outcome),
    *HANDLING,
]

AGREEMENT_COLUMNS: Columns = [
    ("Title", lambda a: a.title),
    ("Kind", lambda a: a.get_kind_display()),
    ("Status", lambda a: a.get_status_display()),
    ("Signed", lambda a: day(a.signed_on)),
    ("Effective", lambda a: day(a.effective_on)),
    ("Expires", lambda a: day(a.expires_on)),
    ("Review", lambda a: day(a.review_on)),
    ("Summary", lambda a: a.summary),
    *HANDLING,
]

EXERCISE_COLUMNS: Columns = [
    ("Name", lambda e: e.name),
    ("Kind", lambda e: e.get_kind_display()),
    ("Phase", lambda e: e.get_phase_display()),
    ("Host country", lambda e: e.host_country.code),
    ("Starts", lambda e: day(e.starts_on)),
    ("Ends", lambda e: day(e.ends_on)),
    ("Location", lambda e: e.location),
    ("Summary", lambda e: e.summary),
    *HANDLING,
]

ACTION_COLUMNS: Columns = [
    ("Description", lambda a: a.description),
    ("Assignee", lambda a: a.assignee.get_username() if a.assignee else ""),
    ("Due", lambda a: day(a.due_on)),
    ("Status", lambda a: a.get_status_display()),
    ("Completed (post time)", lambda a: local_time(a.completed_at, a.post)),
    *HANDLING,
]
