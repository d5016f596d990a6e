"""{% badges record %}: a record's marking and channel badges, as every list and page shows them.

A tag rather than an included template: list pages draw it on every row, and an include costs
a template lookup and a new context each time.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tenancy.markings import CHANNEL_AUDIENCE, Channel

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


@register.simple_tag
def channel_ribbon(record):
    """On a page of an attaché-channel or restricted record: who can see it, and who cannot."""
    channel = getattr(record, "channel", Channel.POST)
    if channel == Channel.POST or channel not in CHANNEL_AUDIENCE:
        return ""
    readers, others = CHANNEL_AUDIENCE[channel]
    return format_html(
        '<p class="channel-ribbon channel-ribbon-{}" role="note"><strong>{}.</strong> Seen by {}; {}.</p>\n',
        channel,
        Channel(channel).label,
        readers,
        others,
    )
