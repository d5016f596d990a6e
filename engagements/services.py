"""Writes of engagements: one transaction each, validated by the models, recorded in history and audit.

HTML views, API views, commands and tasks all call these; no second copy of a rule lives elsewhere.
Each write enforces, for the acting user `by`: the post rule (`policy.check_write`: 404 when the post
or record is not theirs, 403 when they may read but not write), the owner rule
(`policy.check_handling`), links (each one a record of the post they may see, at most MAX_LINKS;
the links they cannot see are kept whatever the request says), and the models' own validation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from attache_crm.lifecycle import services as lifecycle
from contacts.models import Counterpart, Organization
from tenancy import audit, policy
from tenancy.choices import Role
from tenancy.markings import Channel
from tenancy.models import Membership
from tenancy.records import MAX_LINKS

from . import last_contact, meeting_weeks
from .choices import ActionStatus, MeetingStatus
from .lifecycles import AGREEMENT_LIFECYCLE, EXERCISE_LIFECYCLE
from .models import ActionItem, Agreement, Exercise, Meeting, MeetingParticipant

# Fields a caller may set through the *_update services; everything else (post, authorship,
# timestamps, lifecycle state) changes only through its own service or not at all.
MEETING_FIELDS = {
    "title", "kind", "starts_at", "ends_at", "location", "objectives", "summary", "outcome",
    "restricted_notes", "include_in_weekly", "status", "marking", "channel",
}  # fmt: skip
AGREEMENT_FIELDS = {
    "title", "kind", "signed_on", "effective_on", "expires_on", "review_on", "summary", "marking", "channel",
}  # fmt: skip
EXERCISE_FIELDS = {
    "name", "kind", "host_country", "participating_countries", "starts_on", "ends_on", "location", "summary",
    "ipc_on", "mpc_on", "fpc_on", "marking", "channel",
}  # fmt: skip
ACTION_ITEM_FIELDS = {
    "description",
    "assignee",
    "due_on",
    "status",
    "meeting",
    "agreement",
    "exercise",
    "marking",
    "channel",
}

# Roles whose holders may take part in meetings and be assigned follow-ups (admins hold no content).
CONTENT_ROLES = [Role.ATTACHE, Role.DIPLOMAT, Role.CHIEF]


# ---------------------------------------------------------------- helpers


def _assign(obj, fields: dict, allowed: set[str]) -> list[str]:
    """Set the allowed fields on obj; return the names whose value changed."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no editable field(s) {', '.join(sorted(unknown))}.")
    # Compare with the stored row: a ModelForm may already have copied its values onto obj.
    attnames = {name: obj._meta.get_field(name).attname for name in fields}
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*attnames.values()).first() or {}
    changed = []
    for name, value in fields.items():
        new = getattr(value, "pk", value) if attnames[name] != name else value
        if stored.get(attnames[name]) != new:
            changed.append(name)
        setattr(obj, name, value)
    return changed


def _save(obj, by, stored=None) -> None:
    """Validate with every model rule and the owner rule (`stored`: the record before this write,
    None for a new one), then save with `by` as the author of the history row."""
    obj.full_clean()
    policy.check_handling(by, obj, before=policy.handling(stored) if stored is not None else None)
    obj._history_user = by
    obj.save()


def _stored(obj):
    """The record as the database holds it, locked: a form may already have changed `obj` in memory."""
    return type(obj)._default_manager.select_for_update().select_related("post").get(pk=obj.pk)


def _same_post(post, objects: Iterable, field: str) -> list:
    """The objects, refused if any of them belongs to another post (data of posts stays apart)."""
    objects = list(objects)
    if any(o.post_id != post.pk for o in objects):
        raise ValidationError({field: "Only records of the same post can be linked."})
    return objects


def _too_many(objects: list, field: str) -> None:
    if len(objects) > MAX_LINKS:
        raise ValidationError({field: f"Ensure this field has no more than {MAX_LINKS} elements."})


def _distinct(objects: Iterable) -> list:
    return list({o.pk: o for o in objects if o is not None}.values())


def _chosen_links(by, post, model, objects: Iterable, field: str) -> list:
    """Records chosen as links: at most MAX_LINKS, each one visible to `by` (a hidden id is refused
    exactly as an absent one, before anything that could tell them apart) and of the same post."""
    objects = _distinct(objects)
    _too_many(objects, field)
    seen = set(policy.visible(by, model).filter(pk__in=[o.pk for o in objects]).values_list("pk", flat=True))
    for obj in objects:
        if obj.pk not in seen:
            raise ValidationError({field: policy.NO_SUCH_RECORD_ID.format(id=obj.pk)})
    return _same_post(post, objects, field)


def _hidden_ids(by, model, ids: Iterable[int]) -> set[int]:
    """Of these linked ids, those `by` may not see: an editor keeps links they cannot see."""
    ids = set(ids)
    if not ids:
        return set()
    return ids - set(policy.visible(by, model).filter(pk__in=ids).values_list("pk", flat=True))


def _members(post, users: Iterable, field: str) -> list:
    """The users, refused unless each one holds a content role at the post."""
    users = _distinct(users)
    _too_many(users, field)
    if users:
        ids = {u.pk for u in users}
        if _content_members(post, ids) != ids:
            raise ValidationError({field: "Only people working at this post can be chosen."})
    return users


def _content_members(post, ids: Iterable[int]) -> set[int]:
    return set(
        Membership.objects.filter(post=post, user_id__in=list(ids), role__in=CONTENT_ROLES).values_list(
            "user_id", flat=True
        )
    )


def _replace_links(by, obj, field: str, model, chosen: list) -> bool:
    """Set a many-to-many link to the chosen records (checked by _chosen_links) plus the current
    ones `by` cannot see; True when what `by` can see of it changed."""
    related = getattr(obj, field)
    current = set(related.values_list("pk", flat=True))
    kept = _hidden_ids(by, model, current)
    related.set([*chosen, *kept])
    return {o.pk for o in chosen} != current - kept


def _replace_attendees(obj, users: Iterable) -> bool:
    """Set the attendees; those no longer working at the post (nobody can choose them) stay."""
    users = _members(obj.post, users, "attendees")
    current = set(obj.attendees.values_list("pk", flat=True))
    kept = current - _content_members(obj.post, current)
    obj.attendees.set([*(u.pk for u in users), *kept])
    return {u.pk for u in users} != current - kept


def _snapshot(meeting, counterpart) -> MeetingParticipant:
    """A participation that keeps the counterpart's position and rank as they are now."""
    return MeetingParticipant(
        meeting=meeting,
        counterpart=counterpart,
        position_at_time=counterpart.position,
        rank_title_at_time=counterpart.rank_title,
        nato_grade_at_time=counterpart.nato_grade,
    )


# ---------------------------------------------------------------- meetings


@transaction.atomic
def meeting_log(
    *, post, by, counterparts=(), attendees=(), agreements=(), exercises=(), follow_ups=(), **fields
) -> Meeting:
    """Log a meeting with its participants (rank and position at the time), links and follow-ups."""
    policy.check_write(by, "add", model=Meeting, post=post)
    fields = meeting_defaults(fields)
    counterparts = _chosen_links(by, post, Counterpart, counterparts, "counterparts")
    agreements = _chosen_links(by, post, Agreement, agreements, "agreements")
    exercises = _chosen_links(by, post, Exercise, exercises, "exercises")
    attendees = _members(post, attendees, "attendees")
    meeting = Meeting(post=post, created_by=by, **fields)
    _save(meeting, by)
    MeetingParticipant.objects.bulk_create([_snapshot(meeting, c) for c in counterparts])
    last_contact.refresh(c.pk for c in counterparts)
    meeting_weeks.refresh(post, [meeting.starts_at])
    meeting.attendees.set(attendees)
    meeting.agreements.set(agreements)
    meeting.exercises.set(exercises)
    audit.record(action="create", user=by, obj=meeting)
    for follow_up in follow_ups:
        # A follow-up is handled like the meeting it came from.
        action_item_create(
            post=post, by=by, meeting=meeting, marking=meeting.marking, channel=meeting.channel, **follow_up
        )
    return meeting


def meeting_defaults(fields: dict) -> dict:
    """What a new meeting left unsaid, said safely, the same from every entry point:

    - the weekly summary takes a meeting by default only when everyone at the post may read it (a
      summary is read post-wide, so an attaché-channel dinner goes in only when asked for);
    - the status follows the date: conducted once it has begun, planned before.
    """
    fields = dict(fields)
    channel = fields.get("channel") or Channel.POST
    if fields.get("include_in_weekly") is None:
        fields["include_in_weekly"] = channel == Channel.POST
    if not fields.get("status") and fields.get("starts_at") is not None:
        fields["status"] = status_by_date(fields["starts_at"])
    return fields


def status_by_date(starts_at: dt.datetime) -> str:
    """Conducted when it has begun, planned when it is still to come."""
    return MeetingStatus.CONDUCTED if starts_at <= timezone.now() else MeetingStatus.PLANNED


@transaction.atomic
def meeting_update(
    *, meeting, by, counterparts=None, attendees=None, agreements=None, exercises=None, **fields
) -> Meeting:
    """Change a meeting; participants already recorded keep the rank and position they had then.

    Each list given replaces the links `by` can see; links to records they cannot see stay.
    """
    stored = _stored(meeting)
    policy.check_write(by, "change", stored)
    post = stored.post
    if counterparts is not None:
        counterparts = _chosen_links(by, post, Counterpart, counterparts, "counterparts")
    if agreements is not None:
        agreements = _chosen_links(by, post, Agreement, agreements, "agreements")
    if exercises is not None:
        exercises = _chosen_links(by, post, Exercise, exercises, "exercises")
    changed = _assign(meeting, fields, MEETING_FIELDS)
    _save(meeting, by, stored)
    current = set(meeting.participants.values_list("counterpart_id", flat=True))
    if counterparts is not None:
        wanted = {c.pk: c for c in counterparts}
        kept = _hidden_ids(by, Counterpart, current)
        if wanted.keys() != current - kept:
            changed.append("counterparts")
        meeting.participants.exclude(counterpart_id__in=[*wanted, *kept]).delete()
        MeetingParticipant.objects.bulk_create([_snapshot(meeting, c) for pk, c in wanted.items() if pk not in current])
        current |= wanted.keys()
    # Its status, start, channel or people may have changed: everyone it had or has now, the
    # week it was in and the week it is in.
    last_contact.refresh(current)
    meeting_weeks.refresh(post, [stored.starts_at, meeting.starts_at])
    if attendees is not None and _replace_attendees(meeting, attendees):
        changed.append("attendees")
    for name, values, model in (("agreements", agreements, Agreement), ("exercises", exercises, Exercise)):
        if values is not None and _replace_links(by, meeting, name, model, values):
            changed.append(name)
    audit.record(action="update", user=by, obj=meeting, detail="changed: " + ", ".join(changed))
    return meeting


# ---------------------------------------------------------------- agreements


@transaction.atomic
def agreement_create(*, post, by, parties=(), **fields) -> Agreement:
    """Record an agreement; its first status opens the dated status log."""
    policy.check_write(by, "add", model=Agreement, post=post)
    parties = _chosen_links(by, post, Organization, parties, "parties")
    agreement = Agreement(post=post, created_by=by, **fields)
    _save(agreement, by)
    agreement.parties.set(parties)
    lifecycle.open_log(AGREEMENT_LIFECYCLE, agreement, by=by)
    audit.record(action="create", user=by, obj=agreement)
    return agreement


@transaction.atomic
def agreement_update(*, agreement, by, parties=None, **fields) -> Agreement:
    """Change an agreement's details; a new status is a step of its lifecycle.
    `parties` replaces the parties `by` can see; those they cannot see stay."""
    stored = _stored(agreement)
    policy.check_write(by, "change", stored)
    to_status = fields.pop("status", stored.status)
    if parties is not None:
        parties = _chosen_links(by, stored.post, Organization, parties, "parties")
    changed = _assign(agreement, fields, AGREEMENT_FIELDS)
    _save(agreement, by, stored)
    if parties is not None and _replace_links(by, agreement, "parties", Organization, parties):
        changed.append("parties")
    audit.record(action="update", user=by, obj=agreement, detail="changed: " + ", ".join(changed))
    if to_status != agreement.status:
        agreement = lifecycle.step(AGREEMENT_LIFECYCLE, record=agreement, by=by, to=to_status)
    return agreement


# ---------------------------------------------------------------- exercises


@transaction.atomic
def exercise_create(*, post, by, counterparts=(), **fields) -> Exercise:
    """Record an exercise; its first phase opens the dated phase log."""
    policy.check_write(by, "add", model=Exercise, post=post)
    counterparts = _chosen_links(by, post, Counterpart, counterparts, "counterparts")
    exercise = Exercise(post=post, created_by=by, **fields)
    _save(exercise, by)
    exercise.counterparts.set(counterparts)
    lifecycle.open_log(EXERCISE_LIFECYCLE, exercise, by=by)
    audit.record(action="create", user=by, obj=exercise)
    return exercise


@transaction.atomic
def exercise_update(*, exercise, by, counterparts=None, **fields) -> Exercise:
    """Change an exercise's details; a new phase is a step of its lifecycle.
    `counterparts` replaces the counterparts `by` can see; those they cannot see stay."""
    stored = _stored(exercise)
    policy.check_write(by, "change", stored)
    to_phase = fields.pop("phase", stored.phase)
    if counterparts is not None:
        counterparts = _chosen_links(by, stored.post, Counterpart, counterparts, "counterparts")
    changed = _assign(exercise, fields, EXERCISE_FIELDS)
    _save(exercise, by, stored)
    if counterparts is not None and _replace_links(by, exercise, "counterparts", Counterpart, counterparts):
        changed.append("counterparts")
    audit.record(action="update", user=by, obj=exercise, detail="changed: " + ", ".join(changed))
    if to_phase != exercise.phase:
        exercise = lifecycle.step(EXERCISE_LIFECYCLE, record=exercise, by=by, to=to_phase)
    return exercise


# ---------------------------------------------------------------- follow-ups


ACTION_ITEM_SOURCES = (("meeting", Meeting), ("agreement", Agreement), ("exercise", Exercise))


def _check_action_item(item, by, stored=None) -> None:
    """The assignee works at the post; each source is a record of the post `by` may see. A stored
    source `by` cannot see is not theirs to clear: an empty value keeps it, a new one replaces it."""
    for field, model in ACTION_ITEM_SOURCES:
        source_id = getattr(item, f"{field}_id")
        stored_id = getattr(stored, f"{field}_id") if stored is not None else None
        if source_id is None and stored_id is not None and _hidden_ids(by, model, [stored_id]):
            setattr(item, f"{field}_id", stored_id)
        elif source_id is not None and source_id != stored_id:
            _chosen_links(by, item.post, model, [getattr(item, field)], field)
    if item.assignee_id is not None and (stored is None or item.assignee_id != stored.assignee_id):
        _members(item.post, [item.assignee], "assignee")
    # Closing stamps the time; reopening clears it.
    if item.status == ActionStatus.OPEN:
        item.completed_at = None
    elif item.completed_at is None:
        item.completed_at = timezone.now()


@transaction.atomic
def action_item_create(*, post, by, **fields) -> ActionItem:
    """Record a follow-up; without an explicit marking/channel it takes those of its source."""
    policy.check_write(by, "add", model=ActionItem, post=post)
    source = fields.get("meeting") or fields.get("agreement") or fields.get("exercise")
    if source is not None:
        fields.setdefault("marking", source.marking)
        fields.setdefault("channel", source.channel)
    item = ActionItem(post=post, created_by=by, **fields)
    _check_action_item(item, by)
    _save(item, by)
    audit.record(action="create", user=by, obj=item)
    return item


@transaction.atomic
def action_item_update(*, item, by, **fields) -> ActionItem:
    """Change a follow-up; moving it to done or dropped stamps completed_at."""
    stored = _stored(item)
    policy.check_write(by, "change", stored)
    changed = _assign(item, fields, ACTION_ITEM_FIELDS)
    _check_action_item(item, by, stored)
    _save(item, by, stored)
    audit.record(action="update", user=by, obj=item, detail="changed: " + ", ".join(changed))
    return item


@transaction.atomic
def action_item_close(*, item, by, status=ActionStatus.DONE) -> ActionItem:
    """Close an open follow-up as done or dropped."""
    item = _stored(item)
    policy.check_write(by, "change", item)
    if status not in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise ValidationError({"status": "A follow-up is closed as done or dropped."})
    if item.status != ActionStatus.OPEN:
        raise ValidationError({"status": "This follow-up is already closed."})
    item.status = status
    item.completed_at = timezone.now()
    _save(item, by)
    audit.record(action="update", user=by, obj=item, detail=f"closed as {status}")
    return item
