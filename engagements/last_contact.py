"""Keeping each counterpart's last contacts true: the start of the latest conducted meeting with
them at their post, one column per channel (contacts.models.LAST_MET_FIELDS).

The columns are derived from meetings and participants alone. Whatever changes a meeting's
status, start, channel or participants — logging or editing a meeting, merging two counterparts,
the admin — calls `refresh` with the counterparts concerned, inside the same transaction; loading
data in bulk (demo, volume) and the migration that added the columns end with `refresh_all`.
Stay in touch reads them (engagements.stay_in_touch).

A meeting of another post than the counterpart's counts for none of them: the services never link
one, and a date in a column is read by whoever sees that channel at the counterpart's post.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max, OuterRef, QuerySet, Subquery

from contacts.models import LAST_MET_FIELDS, Counterpart

from .choices import MeetingStatus
from .models import MeetingParticipant


def _latest(participant_model, channel: str) -> Subquery:
    """The latest conducted meeting of the outer counterpart in `channel`, at its own post."""
    meetings = (
        participant_model.objects.filter(
            counterpart_id=OuterRef("pk"),
            meeting__status=MeetingStatus.CONDUCTED,
            meeting__channel=channel,
            meeting__post_id=OuterRef("post_id"),
        )
        .order_by()
        .values("counterpart_id")
        .annotate(latest=Max("meeting__starts_at"))
        .values("latest")
    )
    return Subquery(meetings)


def _rewrite(counterparts: QuerySet, participant_model=MeetingParticipant) -> int:
    return counterparts.update(
        **{field: _latest(participant_model, channel) for channel, field in LAST_MET_FIELDS.items()}
    )


def refresh(counterpart_ids: Iterable[int]) -> None:
    """Rewrite these counterparts' last contacts from their meetings (one statement)."""
    ids = {pk for pk in counterpart_ids if pk is not None}
    if ids:
        _rewrite(Counterpart.objects.filter(pk__in=ids))


def refresh_all(counterpart_model=Counterpart, participant_model=MeetingParticipant) -> int:
    """Rewrite every counterpart's last contacts (bulk loads; the migration passes its historical
    models); returns the number of counterparts."""
    return _rewrite(counterpart_model.objects.all(), participant_model)
