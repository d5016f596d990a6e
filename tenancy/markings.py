"""Markings (what information is) and channels (who may see it): docs/design.md, "Markings and channels"."""

from django.core.exceptions import ValidationError
from django.db import models

from . import spill


class Marking(models.TextChoices):
    U = "U", "UNCLASSIFIED"
    SBU = "SBU", "SENSITIVE BUT UNCLASSIFIED"
    SBU_NF = "SBU-NF", "SENSITIVE BUT UNCLASSIFIED // NOFORN"


# Higher number, more sensitive: the banner of a page shows the highest of what it displays.
MARKING_RANK = {Marking.U: 0, Marking.SBU: 1, Marking.SBU_NF: 2}

# Portion marks used in cables, e.g. "(SBU)".
PORTION_MARK = {Marking.U: "U", Marking.SBU: "SBU", Marking.SBU_NF: "SBU/N"}


class Channel(models.TextChoices):
    POST = "post", "Post"
    ATTACHE = "attache", "Attaché channel"
    RESTRICTED = "restricted", "Restricted"


# Who reads a record of each channel, and who does not: the channel field's help and the ribbon
# of every page showing an attaché-channel or restricted record say it in these words.
CHANNEL_AUDIENCE = {
    Channel.POST: ("everyone with a role at the post", ""),
    Channel.ATTACHE: (
        "attachés and the chief of mission",
        "diplomats and administrators cannot see it",
    ),
    Channel.RESTRICTED: (
        "its owner, the chief of mission and the people it is shared with one by one",
        "other attachés, diplomats and administrators cannot see it",
    ),
}
CHANNEL_HELP = (
    "Who may see this record. Post: "
    + CHANNEL_AUDIENCE[Channel.POST][0]
    + ". Attaché channel: "
    + CHANNEL_AUDIENCE[Channel.ATTACHE][0]
    + " only. Restricted: "
    + CHANNEL_AUDIENCE[Channel.RESTRICTED][0]
    + "."
)

# Narrower channel, higher number: a cable takes the narrowest channel of its sources.
CHANNEL_RANK = {Channel.POST: 0, Channel.ATTACHE: 1, Channel.RESTRICTED: 2}


class ClassifiedMarkingError(ValidationError):
    """Somebody tried to store a classified marking in this unclassified system."""


def is_classified_marking(value: str) -> bool:
    """True when a value names a classified level (CONFIDENTIAL, SECRET, TOP SECRET, C, S, TS), in
    any spelling the spill guard sees through (look-alike letters, invisible characters …)."""
    return bool(value) and spill.find(value, kind="marking") is not None


def validate_marking(value: str) -> None:
    """Refuse classified markings with their own message; refuse anything else unknown."""
    if is_classified_marking(value):
        raise ClassifiedMarkingError(spill.MESSAGE, code=spill.CLASSIFIED)
    if value not in Marking.values:
        raise ValidationError(
            "Unknown marking %(value)s: use U, SBU or SBU-NF.", code="invalid_marking", params={"value": value}
        )


def highest_marking(markings) -> str:
    """The most sensitive marking of an iterable of markings (U when empty)."""
    return max(markings, key=lambda m: MARKING_RANK[m], default=Marking.U)


def narrowest_channel(channels) -> str:
    """The narrowest channel of an iterable of channels (post when empty)."""
    return max(channels, key=lambda c: CHANNEL_RANK[c], default=Channel.POST)
