"""Template filters for every page (a built-in library): one way to show a time, one for a day."""

from django import template

from attache_crm.timezones import format_date, format_datetime

register = template.Library()


@register.filter(expects_localtime=False)
def when(value) -> str:
    """A moment, in the page's time zone, with the zone: "1 Dec 2026 15:01 UTC+4"."""
    return format_datetime(value) if value not in (None, "") else ""


@register.filter(expects_localtime=False)
def day(value) -> str:
    """A calendar day: "1 Dec 2026"."""
    return format_date(value) if value not in (None, "") else ""
