"""Times as the people of a post read them: in the post's own time zone, always with the zone named.

One middleware activates the zone for every page; every page, form and the audit log then show
times through the `when` and `day` template filters (attache_crm/timefilters.py), so that one
format holds everywhere and a local time is never mistaken for UTC.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone

from tenancy import policy

# Month names written out here rather than by strftime("%b"), which follows the process locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def home_timezone(user) -> dt.tzinfo:
    """The time zone a user reads times in: their post's, or UTC when they work at several posts."""
    cached = getattr(user, "_home_timezone", None)
    if cached is None:
        # From the memberships the page's header shows anyway (no query of its own).
        memberships = policy.memberships(user) if len(policy.roles(user)) == 1 else []
        name = memberships[0].post.timezone if len(memberships) == 1 else None
        cached = zoneinfo.ZoneInfo(name) if name else dt.UTC
        user._home_timezone = cached
    return cached


def remember_home_timezone(user, name: str | None) -> None:
    """Take the zone read with the user (attache_crm.accounts.backends): no query of its own."""
    user._home_timezone = zoneinfo.ZoneInfo(name) if name else dt.UTC


class PostTimezoneMiddleware:
    """Pages are read and forms typed in the signed-in user's post time zone.

    The API is left in UTC: it speaks ISO 8601 with offsets, the same for every client.
    A page about one record of another post may still override the zone with that post's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith("/api/"):
            zone = dt.UTC  # said, not assumed: nothing set earlier in this thread leaks into the API
        elif user is None or not user.is_authenticated:
            return self.get_response(request)
        else:
            zone = home_timezone(user)
        with timezone.override(zone):
            return self.get_response(request)


def zone_label(value: dt.datetime) -> str:
    """The zone of an aware local time as people write it: "Z" for UTC, "CET", or "UTC+4" where
    the time zone database has no letters for it (it writes "+04")."""
    offset = value.utcoffset() or dt.timedelta(0)
    if not offset and value.tzname() in {"UTC", "GMT", "Z", None}:
        return "Z"
    name = value.tzname() or ""
    if name and name[0] not in "+-":
        return f" {name}"
    minutes = int(offset.total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f" UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def format_datetime(value: dt.datetime | None) -> str:
    """A moment as "1 Dec 2026 15:01 UTC+4" in the active time zone ("1 Dec 2026 11:01Z" in UTC)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
    return f"{_day(local)} {local:%H:%M}{zone_label(local)}"


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A calendar day as "1 Dec 2026" (a moment is first put in the active time zone)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return _day(value)


def _day(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
