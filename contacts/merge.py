"""Two records of one person become one — the contacts' part (engagements.merge is the service
that runs a whole merge, meetings and exercises included): the survivor takes the fields chosen
from the other, then everything that pointed at the other, with one audit event.

What moves: meetings (each participation keeps the position and rank held at the time; a meeting
both records attended keeps the survivor's), appointments (an open one of the merged record is
closed), exercises, tags and grants; the merged record's names become the survivor's aliases. The
meetings and other records keep their own channel and marking: nothing is re-classified, and the
survivor's marking rises to the higher of the two. Records of different channels are not merged
(one person's restricted record would otherwise widen or hide the other's).

The merged record is deleted (its history keeps the deletion, by whom); a CounterpartMerge row sends
its old address to the survivor.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from tenancy import audit, policy
from tenancy.markings import highest_marking

from . import services
from .models import Counterpart, CounterpartMerge, CounterpartUserObjectPermission

# Fields the merge page offers to take from the merged record (aliases, owner, marking and channel
# follow rules of their own).
MERGE_FIELDS = (
    "family_name", "given_names", "native_name", "country", "service", "rank_title", "nato_grade",
    "position", "organization", "languages", "education", "email", "phone", "biography",
    "protocol_notes", "restricted_notes", "status", "last_verified_on", "contact_every_days",
)  # fmt: skip
ALIASES_MAX = Counterpart._meta.get_field("aliases").max_length


def merged_aliases(survivor: Counterpart, merged: Counterpart) -> str:
    """The survivor's aliases, then the merged record's names and aliases, without repeats, cut
    at a whole alias to fit the field."""
    names = [*survivor.aliases.split(","), merged.display_name, merged.native_name, *merged.aliases.split(",")]
    own = {survivor.display_name.casefold(), survivor.native_name.casefold()}
    kept: list[str] = []
    for name in (n.strip() for n in names):
        if name and name.casefold() not in own and name.casefold() not in {k.casefold() for k in kept}:
            if len(", ".join([*kept, name])) > ALIASES_MAX:
                break
            kept.append(name)
    return ", ".join(kept)


def _check(by, survivor: Counterpart, merged: Counterpart) -> None:
    for counterpart in (survivor, merged):
        policy.check_write(by, "merge", counterpart)
    if survivor.pk == merged.pk:
        raise ValidationError("A counterpart cannot be merged with itself.")
    if survivor.post_id != merged.post_id:
        raise ValidationError("Only counterparts of the same post can be merged.")
    if survivor.channel != merged.channel:
        raise ValidationError(
            "These records are in different channels: change one record's channel first, so that nothing "
            "is widened or hidden by the merge."
        )


def _move_contact_relations(survivor: Counterpart, merged: Counterpart) -> None:
    today = services.post_today(survivor.post)
    if survivor.appointments.filter(end_on__isnull=True).exists():
        for appointment in merged.appointments.filter(end_on__isnull=True):
            appointment.end_on = max(today, appointment.start_on)
            appointment.save(update_fields=["end_on"])
    merged.appointments.update(counterpart=survivor)
    survivor.tags.add(*merged.tags.names())
    held = set(
        CounterpartUserObjectPermission.objects.filter(content_object=survivor).values_list("user_id", "permission_id")
    )
    for grant in CounterpartUserObjectPermission.objects.filter(content_object=merged):
        if (grant.user_id, grant.permission_id) not in held:
            grant.content_object = survivor
            grant.save(update_fields=["content_object"])


def lock_and_check(by, survivor: Counterpart, merged: Counterpart) -> tuple[Counterpart, Counterpart]:
    """Both records read afresh and locked, once `by` may merge them (inside the caller's transaction)."""
    locked = {
        c.pk: c
        for c in Counterpart.objects.select_for_update().select_related("post").filter(pk__in=[survivor.pk, merged.pk])
    }
    survivor, merged = locked.get(survivor.pk), locked.get(merged.pk)
    if survivor is None or merged is None:
        raise policy.NotFound(policy.NO_SUCH_RECORD)
    _check(by, survivor, merged)
    return survivor, merged


def absorb(*, survivor: Counterpart, merged: Counterpart, by, take: Iterable[str] = ()) -> Counterpart:
    """The contacts' part of a merge, once the engagements have moved (engagements.merge): fields,
    aliases, marking, appointments, tags, grants, the old address, the deletion and the audit event."""
    take = list(take)
    unknown = sorted(set(take) - set(MERGE_FIELDS))
    if unknown:
        raise TypeError(f"Fields that cannot be taken in a merge: {', '.join(unknown)}")
    for name in take:
        field = Counterpart._meta.get_field(name)
        setattr(survivor, field.attname, getattr(merged, field.attname))
    survivor.aliases = merged_aliases(survivor, merged)
    survivor.marking = highest_marking([survivor.marking, merged.marking])
    services.validate_counterpart(survivor, by)
    survivor._history_user = by
    survivor._change_reason = f"Merged with {merged.display_name} (#{merged.pk})"
    survivor.save()

    _move_contact_relations(survivor, merged)
    CounterpartMerge.objects.filter(survivor=merged).update(survivor=survivor)
    CounterpartMerge.objects.create(
        merged_id=merged.pk, merged_name=merged.display_name[:260], survivor=survivor, merged_by=by
    )
    merged_pk = merged.pk
    merged._history_user = by
    merged._change_reason = f"Merged into {survivor.display_name} (#{survivor.pk})"
    merged.delete()
    audit.record(
        action="merge",
        user=by,
        obj=survivor,
        post=survivor.post,
        detail=f"counterpart {merged_pk} merged into {survivor.pk}",
    )
    return survivor
