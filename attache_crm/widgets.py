"""Date and time inputs that read the same in every browser.

A browser's own date picker (`type=date`, `datetime-local`) shows and takes dates in the browser's
locale (12/01/2026, AM/PM on one machine, 01.12.2026 on another): at a post where people borrow each
other's machines, the same form reads differently. These are text inputs in one written form,
year-month-day and a 24-hour time, which the server parses whatever the browser.
"""

from django import forms
from django.utils import timezone
from django.utils.html import format_html

from attache_crm.timezones import zone_label

DAY_PATTERN = r"\d{4}-\d{1,2}-\d{1,2}"


class DayInput(forms.DateInput):
    """A day typed as 2026-12-01."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {
            "inputmode": "numeric",
            "placeholder": "YYYY-MM-DD",
            "pattern": DAY_PATTERN,
            "title": "Year-month-day, e.g. 2026-12-01",
            "autocomplete": "off",
            "size": 10,
        }
        super().__init__({**base, **(attrs or {})}, format="%Y-%m-%d")


class MomentInput(forms.DateTimeInput):
    """A day and a 24-hour time typed as 2026-12-01 15:30, in the page's time zone, which is named
    beside the input ("Asia/Dubai (UTC+4)"): the API takes times in UTC, a form in post time."""

    input_type = "text"

    def __init__(self, attrs=None):
        base = {
            "placeholder": "YYYY-MM-DD HH:MM",
            "pattern": DAY_PATTERN + r"[ T]\d{1,2}:\d{2}",
            "title": "Year-month-day and 24-hour time, e.g. 2026-12-01 15:30",
            "autocomplete": "off",
            "size": 16,
        }
        super().__init__({**base, **(attrs or {})}, format="%Y-%m-%d %H:%M")

    def render(self, name, value, attrs=None, renderer=None):
        return format_html("{} {}", super().render(name, value, attrs, renderer), _zone_hint())


def _zone_hint() -> str:
    zone = timezone.get_current_timezone()
    label = zone_label(timezone.localtime(timezone.now(), zone)).strip()
    if label == "Z":
        return format_html('<span class="input-zone">UTC</span>')
    return format_html('<span class="input-zone">{} ({})</span>', str(zone), label)
