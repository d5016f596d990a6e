"""Merging two counterparts of one person, in one transaction: the engagements move here (meetings
with each participation's position and rank of its time, exercises), then contacts.merge absorbs
the rest (fields, aliases, appointments, tags, grants, the old address, the audit event).

Meetings and exercises keep their own channel and marking: only their link to the person moves.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from contacts import merge as contact_merge
from contacts.models import Counterpart

from . import last_contact
from .models import Exercise, MeetingParticipant


@transaction.atomic
def counterpart_merge(*, survivor: Counterpart, merged: Counterpart, by, take: Iterable[str] = ()) -> Counterpart:
    """Merge `merged` into `survivor`, taking the fields named in `take` from `merged`."""
    survivor, merged = contact_merge.lock_and_check(by, survivor, merged)
    both = MeetingParticipant.objects.filter(counterpart=survivor).values("meeting_id")
    MeetingParticipant.objects.filter(counterpart=merged, meeting_id__in=both).delete()
    MeetingParticipant.objects.filter(counterpart=merged).update(counterpart=survivor)
    last_contact.refresh([survivor.pk, merged.pk])
    for exercise in Exercise.objects.filter(counterparts=merged):
        exercise.counterparts.add(survivor)
    return contact_merge.absorb(survivor=survivor, merged=merged, by=by, take=take)
