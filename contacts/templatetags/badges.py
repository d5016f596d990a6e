"""{% badges record %}: a record's marking and channel badges, as every list and page shows them.

A tag rather than an included template: list pages draw it on every row, and an include costs
a template lookup and a new context each time.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

CHANNEL_BADGES = {
    "attache": mark_safe('<span class="badge badge-channel-attache">Attaché channel</span>'),
    "restricted": mark_safe('<span class="badge badge-channel-restricted">Restricted</span>'),
}


@register.simple_tag
def badges(record):
    """The marking unless unclassified (U), then the channel unless post."""
    marking = getattr(record, "marking", "")
    shown = (
        format_html('<span class="badge badge-marking" title="Marking">{}</span>', marking)
        if marking and marking != "U"
        else ""
    )
    return format_html("{}\n{}\n", shown, CHANNEL_BADGES.get(getattr(record, "channel", ""), ""))
