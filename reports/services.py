"""Writes of the reports app: drafting, editing, returning and releasing cables."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from engagements.choices import ActionStatus
from engagements.models import ActionItem, Meeting
from tenancy import audit, policy, spill
from tenancy.markings import CHANNEL_RANK, Channel
from tenancy.models import Post

from . import drafting, selectors, weeks
from .models import Cable, CableFrozen, CableKind, CableParagraph, CableStatus
from .rendering import document_for, render

EDITABLE_CABLE_FIELDS = {"subject", "precedence", "tags"}
WIDEN_REASON_MIN, WIDEN_REASON_MAX = 10, 250
PARAGRAPH_FIELDS = ("heading", "block", "marking", "channel", "text")


def _create_from_draft(*, post, draft: drafting.Draft, by=None, **fields) -> Cable:
    """Insert a cable and its paragraphs (the caller holds the transaction)."""
    cable = Cable(
        post=post,
        created_by=by,
        subject=draft.subject,
        tags=draft.tags,
        marking=draft.marking,
        channel=draft.channel,
        channel_floor=draft.channel,
        **fields,
    )
    # Uniqueness is left to the database: a racing duplicate must raise IntegrityError there.
    cable.full_clean(validate_unique=False, validate_constraints=False)
    cable.save()
    paragraphs = [
        CableParagraph(cable=cable, position=i, **p.as_fields()) for i, p in enumerate(draft.paragraphs, start=1)
    ]
    for paragraph in paragraphs:
        paragraph.full_clean(exclude=["cable"])
    CableParagraph.objects.bulk_create(paragraphs)
    audit.record(action="create", user=by, obj=cable, post=post, detail=f"{cable.kind} drafted")
    return cable


def weekly_summary_draft(*, post, period_start: dt.date) -> Cable:
    """Draft one post's weekly summary for the week named by `period_start`; returns the existing one if any.

    Safe to run twice, from two workers at once: the unique constraint on (post, kind,
    period_start) lets one insert win and the other return the winner's cable.
    """
    period = weeks.period(post, period_start)
    lookup = {"post": post, "kind": CableKind.WEEKLY_SUMMARY, "period_start": period.start, "corrects__isnull": True}
    existing = Cable.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    draft = drafting.weekly_summary(post, period, selectors.weekly_sources(post=post, period=period))
    try:
        with transaction.atomic():
            return _create_from_draft(
                post=post,
                draft=draft,
                kind=CableKind.WEEKLY_SUMMARY,
                period_start=period.start,
                period_end=period.end,
            )
    except IntegrityError:
        # Another worker (a second beat, a redelivered message) drafted it first.
        return Cable.objects.get(**lookup)


def weekly_summaries_due(*, now: dt.datetime | None = None, catch_up: int = 4) -> list[tuple[int, dt.date]]:
    """(post id, period_start) of every weekly summary due at `now` and missing, oldest first per post."""
    now = now or timezone.now()
    latest = dict(
        Cable.objects.filter(kind=CableKind.WEEKLY_SUMMARY, corrects__isnull=True)
        .values("post_id")
        .annotate(last=Max("period_start"))
        .values_list("post_id", "last")
    )
    due = []
    for post in Post.objects.order_by("pk"):
        for week in weeks.due_weeks(post, now, after=latest.get(post.pk), catch_up=catch_up):
            due.append((post.pk, week))
    return due


def contact_report_draft(*, meeting: Meeting, by) -> Cable:
    """Draft a contact report of one meeting; returns the meeting's existing report if there is one."""
    policy.require(by, "add", model=Cable, post=meeting.post)
    if not policy.reportable(Meeting, meeting.post).filter(pk=meeting.pk).exists():
        raise ValidationError("Restricted-channel meetings do not go into cables.", code="restricted")
    lookup = {"meeting": meeting, "kind": CableKind.CONTACT_REPORT, "corrects__isnull": True}
    existing = Cable.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    meeting = (
        Meeting.objects.select_related("post").prefetch_related(selectors.participants_prefetch()).get(pk=meeting.pk)
    )
    follow_ups = list(
        policy.reportable(ActionItem, meeting.post)
        .filter(meeting=meeting)
        .exclude(status=ActionStatus.DROPPED)
        .order_by("due_on", "id")
    )
    draft = drafting.contact_report(meeting.post, meeting, follow_ups)
    day = meeting.starts_at.astimezone(meeting.post.tzinfo).date()
    try:
        with transaction.atomic():
            return _create_from_draft(
                post=meeting.post,
                draft=draft,
                by=by,
                kind=CableKind.CONTACT_REPORT,
                meeting=meeting,
                period_start=day,
                period_end=day,
            )
    except IntegrityError:
        return Cable.objects.get(**lookup)


def _lock_editable(cable: Cable) -> Cable:
    cable = Cable.objects.select_for_update().select_related("post").get(pk=cable.pk)
    if cable.is_released:
        raise CableFrozen()
    return cable


def cable_update(*, cable: Cable, by, paragraphs: list[dict], **fields) -> Cable:
    """Replace a draft's paragraphs (in the order given) and header fields; released cables refuse.

    `paragraphs`: dicts of heading, block, marking, channel, text, and `id` for an existing
    paragraph; existing paragraphs left out are removed. A paragraph drafted from attaché-channel
    records cannot be moved to the post channel: its sources would reach readers they are not for.
    The cable's channel never widens here (`Cable.settle`: removing the attaché-channel paragraphs
    leaves it in the attaché channel); only the chief widens it, with `cable_widen`.
    """
    unknown = set(fields) - EDITABLE_CABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if not paragraphs:
        raise ValidationError("A cable needs at least one paragraph.", code="empty")
    with transaction.atomic():
        cable = _lock_editable(cable)
        policy.require(by, "change", cable)
        existing = {p.pk: p for p in cable.paragraphs.all()}
        kept = []
        for position, values in enumerate(paragraphs, start=1):
            paragraph = existing.get(values.get("id")) or CableParagraph(cable=cable)
            new_channel = values.get("channel", paragraph.channel)
            if paragraph.pk and CHANNEL_RANK[new_channel] < CHANNEL_RANK[paragraph.channel]:
                raise ValidationError(
                    {"channel": "A paragraph cannot move to a wider channel than the records it was drafted from."}
                )
            for name in PARAGRAPH_FIELDS:
                if name in values:
                    setattr(paragraph, name, values[name])
            paragraph.position = position
            paragraph.full_clean(exclude=["cable"])
            kept.append(paragraph)
        kept_ids = {p.pk for p in kept if p.pk}
        CableParagraph.objects.filter(cable=cable).exclude(pk__in=kept_ids).delete()
        for paragraph in kept:
            paragraph.save()
        for name, value in fields.items():
            setattr(cable, name, value)
        cable.settle(kept)
        cable.full_clean(validate_unique=False, validate_constraints=False)
        cable.save()
        audit.record(action="update", user=by, obj=cable, detail=f"{len(kept)} paragraphs")
    return cable


def cable_return(*, cable: Cable, by, note: str = "") -> Cable:
    """The chief returns a draft to its drafters for edits (with a note saying why)."""
    with transaction.atomic():
        cable = _lock_editable(cable)
        policy.require(by, "release", cable)
        cable.status = CableStatus.RETURNED
        cable.return_note = note.strip()[:500]
        cable.full_clean(validate_unique=False, validate_constraints=False)  # the spill guard reads the note
        cable.save()
        audit.record(action="update", user=by, obj=cable, detail="returned for edits")
    return cable


def cable_resubmit(*, cable: Cable, by) -> Cable:
    """Drafters send a returned cable back to the chief for release."""
    with transaction.atomic():
        cable = _lock_editable(cable)
        policy.require(by, "change", cable)
        cable.status = CableStatus.DRAFT
        cable.save()
        audit.record(action="update", user=by, obj=cable, detail="resubmitted for release")
    return cable


def cable_release(*, cable: Cable, by, request=None, at: dt.datetime | None = None) -> Cable:
    """The chief releases a cable: serial of the year assigned, text frozen, sha256 stored, audited.

    `at` backdates the release (demo data only); it defaults to now.
    """
    for attempt in range(3):
        try:
            with transaction.atomic():
                # One release at a time per post, so serials follow one another without a gap.
                Post.objects.select_for_update().filter(pk=cable.post_id).first()
                locked = _lock_editable(cable)
                policy.require(by, "release", locked, request=request)
                paragraphs = list(locked.paragraphs.all())
                if not paragraphs:
                    raise ValidationError("An empty cable cannot be released.", code="empty")
                now = at or timezone.now()
                last = Cable.objects.filter(post_id=locked.post_id, serial_year=now.year).aggregate(
                    last=Max("serial_number")
                )["last"]
                locked.serial_year, locked.serial_number = now.year, (last or 0) + 1
                locked.status, locked.released_by, locked.released_at = CableStatus.RELEASED, by, now
                locked.return_note = ""
                locked.settle(paragraphs)
                locked.released_text = render(document_for(locked, paragraphs))
                locked.sha256 = hashlib.sha256(locked.released_text.encode("utf-8")).hexdigest()
                locked.save()
                audit.record(action="release", user=by, request=request, obj=locked, detail=locked.serial)
                return locked
        except IntegrityError:
            # A serial taken by a release that did not take the post lock: take the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def cable_widen(*, cable: Cable, by, channel: str, reason: str, request=None) -> Cable:
    """The chief widens a draft's channel (e.g. attaché -> post), with a stated reason, audited.

    The only way a cable's channel ever becomes wider than what it was drafted from: the floor
    drops to `channel` and every narrower paragraph is widened with it.
    """
    policy.require(by, "widen", cable, request=request)  # outside the transaction: the refusal stays audited
    reason = " ".join((reason or "").split())
    errors = {}
    if channel not in (Channel.POST, Channel.ATTACHE):
        errors["channel"] = "A cable is in the post or the attaché channel."
    if len(reason) < WIDEN_REASON_MIN:
        errors["reason"] = f"Say why the wider readership may read it ({WIDEN_REASON_MIN} characters at least)."
    elif len(reason) > WIDEN_REASON_MAX:
        errors["reason"] = f"At most {WIDEN_REASON_MAX} characters."
    if errors:
        raise ValidationError(errors)
    spill.check(reason=reason)
    with transaction.atomic():
        cable = _lock_editable(cable)
        before = cable.channel
        if CHANNEL_RANK[channel] >= CHANNEL_RANK[before]:
            raise ValidationError({"channel": "The cable is already in this channel or a wider one."})
        paragraphs = list(cable.paragraphs.all())
        for paragraph in paragraphs:
            if CHANNEL_RANK[paragraph.channel] > CHANNEL_RANK[channel]:
                paragraph.channel = channel
                paragraph.save(update_fields=["channel"])
        cable.channel_floor = channel
        cable.settle(paragraphs)
        cable.save()
        audit.record(
            action="widen",
            user=by,
            request=request,
            obj=cable,
            detail=f"channel {before} -> {cable.channel}; reason: {reason}",
        )
    return cable
