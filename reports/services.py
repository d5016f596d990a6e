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
from tenancy.markings import CHANNEL_RANK, Channel, narrowest_channel
from tenancy.models import Post

from . import drafting, redraft, selectors, weeks
from .models import Cable, CableFrozen, CableKind, CableParagraph, CableStatus, ParagraphOrigin
from .rendering import document_for, render

EDITABLE_CABLE_FIELDS = {"subject", "precedence", "tags"}
WIDEN_REASON_MIN, WIDEN_REASON_MAX = 10, 250
EARLY_REASON_MIN, EARLY_REASON_MAX = 10, 250
CORRECTED_COPY = "CORRECTED COPY"
PARAGRAPH_FIELDS = ("heading", "block", "marking", "channel", "text")
COPIED_PARAGRAPH_FIELDS = (*PARAGRAPH_FIELDS, "position", "origin", "source")


def _create_from_draft(*, post, draft: drafting.Draft, by=None, **fields) -> Cable:
    """Insert a cable and its paragraphs (the caller holds the transaction)."""
    cable = Cable(
        post=post,
        created_by=by,
        drafted_by=by,
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
        if existing.status == CableStatus.DRAFT and not existing.touched_by_person:
            # Meetings logged after the first drafting reach a draft nobody has touched yet; a draft
            # a person has edited or redrafted is theirs, and only they redraft it.
            return _refresh(existing)
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


def weekly_summaries_to_refresh() -> list[tuple[int, dt.date]]:
    """(post id, period_start) of every weekly summary still in draft that no person has touched."""
    return list(
        Cable.objects.filter(
            kind=CableKind.WEEKLY_SUMMARY, corrects__isnull=True, status=CableStatus.DRAFT, drafted_by__isnull=True
        )
        .order_by("post_id", "period_start")
        .values_list("post_id", "period_start")
    )


def contact_report_draft(*, meeting: Meeting, by) -> Cable:
    """Draft a contact report of one meeting; returns the meeting's existing report if there is one."""
    policy.require(by, "add", model=Cable, post=meeting.post)
    if not policy.reportable(Meeting, meeting.post).filter(pk=meeting.pk).exists():
        raise ValidationError("Restricted-channel meetings do not go into cables.", code="restricted")
    lookup = {"meeting": meeting, "kind": CableKind.CONTACT_REPORT, "corrects__isnull": True}
    existing = Cable.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    draft = _contact_report_from_records(meeting)
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


def _contact_report_from_records(meeting: Meeting) -> drafting.Draft:
    meeting = (
        Meeting.objects.select_related("post").prefetch_related(selectors.participants_prefetch()).get(pk=meeting.pk)
    )
    follow_ups = list(
        policy.reportable(ActionItem, meeting.post)
        .filter(meeting=meeting)
        .exclude(status=ActionStatus.DROPPED)
        .order_by("due_on", "id")
    )
    return drafting.contact_report(meeting.post, meeting, follow_ups)


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
            paragraph = existing.get(values.get("id")) or CableParagraph(cable=cable, origin=ParagraphOrigin.WRITTEN)
            new_channel = values.get("channel", paragraph.channel)
            if paragraph.pk and CHANNEL_RANK[new_channel] < CHANNEL_RANK[paragraph.channel]:
                raise ValidationError(
                    {"channel": "A paragraph cannot move to a wider channel than the records it was drafted from."}
                )
            before = [getattr(paragraph, name) for name in PARAGRAPH_FIELDS]
            for name in PARAGRAPH_FIELDS:
                if name in values:
                    setattr(paragraph, name, values[name])
            if paragraph.origin == ParagraphOrigin.DRAFTED and before != [
                getattr(paragraph, n) for n in PARAGRAPH_FIELDS
            ]:
                # A person's words now: a redraft keeps them instead of the records' text.
                paragraph.origin = ParagraphOrigin.EDITED
            paragraph.position = position
            paragraph.full_clean(exclude=["cable"])
            kept.append(paragraph)
        kept_ids = {p.pk for p in kept if p.pk}
        CableParagraph.objects.filter(cable=cable).exclude(pk__in=kept_ids).delete()
        for paragraph in kept:
            paragraph.save()
        for name, value in fields.items():
            setattr(cable, name, value)
        cable.drafted_by = cable.drafted_by or by
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


def release_opens_at(cable: Cable) -> dt.datetime | None:
    """When a cable may be released without a stated reason: a weekly summary from its period's
    cutoff (it reports a week that is over); any other cable at once (None)."""
    if cable.kind != CableKind.WEEKLY_SUMMARY or cable.is_correction:
        return None
    return weeks.cutoff(cable.post, cable.period_start)


def is_early(cable: Cable, now: dt.datetime | None = None) -> bool:
    opens = release_opens_at(cable)
    return opens is not None and (now or timezone.now()) < opens


def _early_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < EARLY_REASON_MIN:
        raise ValidationError(
            {
                "reason": f"The week's cutoff has not passed: say why it goes now ({EARLY_REASON_MIN} characters at least)."
            }
        )
    if len(reason) > EARLY_REASON_MAX:
        raise ValidationError({"reason": f"At most {EARLY_REASON_MAX} characters."})
    spill.check(reason=reason)
    return reason


def cable_release(*, cable: Cable, by, request=None, at: dt.datetime | None = None, reason: str = "") -> Cable:
    """The chief releases (approves) a cable: serial of the year assigned, text frozen, sha256 stored, audited.

    A weekly summary released before its period's cutoff needs a stated `reason`, kept in the audit
    event. `at` backdates the release (demo data only); it defaults to now.
    """
    now = at or timezone.now()
    early = ""
    if is_early(cable, now):
        policy.require(by, "release", cable, request=request)
        early = _early_reason(reason)
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
                detail = f"{locked.serial}; before the cutoff: {early}" if early else locked.serial
                audit.record(action="release", user=by, request=request, obj=locked, detail=detail)
                return locked
        except IntegrityError:
            # A serial taken by a release that did not take the post lock: take the next one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- redraft


def _draft_from_records(cable: Cable) -> drafting.Draft:
    """What the drafting would write for this cable from the records as they are now."""
    if cable.is_correction:
        raise ValidationError("A correction is written by hand from the released text; it is not redrafted.")
    if cable.kind == CableKind.CONTACT_REPORT:
        if cable.meeting is None or not policy.reportable(Meeting, cable.post).filter(pk=cable.meeting_id).exists():
            raise ValidationError("The meeting of this report is gone or restricted: it cannot be redrafted.")
        return _contact_report_from_records(cable.meeting)
    period = weeks.period(cable.post, cable.period_start)
    return drafting.weekly_summary(cable.post, period, selectors.weekly_sources(post=cable.post, period=period))


def cable_redraft_plan(*, cable: Cable, by) -> redraft.Plan:
    """What "Redraft from records" would change in a draft, shown before anything is saved."""
    policy.require(by, "change", cable)
    return redraft.plan(list(cable.paragraphs.all()), _draft_from_records(cable))


def _apply(cable: Cable, plan: redraft.Plan) -> None:
    """Write a plan: generated paragraphs replaced, added or removed; people's paragraphs kept."""
    removed = [s.existing.pk for s in plan.steps if s.change == redraft.REMOVED]
    CableParagraph.objects.filter(pk__in=removed).delete()
    paragraphs = []
    for position, step in enumerate(plan.kept_steps, start=1):
        paragraph = step.existing or CableParagraph(cable=cable)
        if step.change in (redraft.ADDED, redraft.UPDATED):
            for name, value in step.new.as_fields().items():
                setattr(paragraph, name, value)
        paragraph.position = position
        paragraph.full_clean(exclude=["cable"])
        paragraph.save()
        paragraphs.append(paragraph)
    cable.subject, cable.tags = plan.draft.subject, plan.draft.tags
    cable.channel_floor = narrowest_channel([cable.channel_floor, plan.draft.subject_channel])
    cable.drafted_at = timezone.now()
    cable.settle(paragraphs)
    cable.full_clean(validate_unique=False, validate_constraints=False)
    cable.save()


def cable_redraft(*, cable: Cable, by, fingerprint: str = "") -> Cable:
    """Regenerate a draft's paragraphs from the records, keeping what people wrote or edited.

    `fingerprint` (from the preview) makes sure what is saved is what the person was shown: if the
    records changed in between, nothing is saved and they look again.
    """
    with transaction.atomic():
        cable = _lock_editable(cable)
        plan = cable_redraft_plan(cable=cable, by=by)
        if fingerprint and fingerprint != plan.fingerprint:
            raise ValidationError(
                "The records changed since the preview: look at the changes again.", code="stale_preview"
            )
        _apply(cable, plan)
        cable.drafted_by = cable.drafted_by or by
        cable.save(update_fields=["drafted_by"])
        counts = {
            c: sum(1 for s in plan.steps if s.change == c)
            for c in (redraft.ADDED, redraft.UPDATED, redraft.REMOVED, redraft.KEPT)
        }
        audit.record(
            action="redraft",
            user=by,
            obj=cable,
            detail=", ".join(f"{n} {change}" for change, n in counts.items()),
        )
    return cable


def _refresh(cable: Cable) -> Cable:
    """The scheduler's redraft of a draft no person has touched (checked again under the lock).

    The plan is read first without a transaction: a repeated run that finds nothing new (the usual
    case, and a redelivered message) takes no lock at all.
    """
    plan = redraft.plan(list(cable.paragraphs.all()), _draft_from_records(cable))
    if not plan.changed and (cable.subject, cable.tags) == (plan.draft.subject, plan.draft.tags):
        return cable
    with transaction.atomic():
        cable = Cable.objects.select_for_update().select_related("post").get(pk=cable.pk)
        if cable.status != CableStatus.DRAFT or cable.touched_by_person:
            return cable
        _apply(cable, redraft.plan(list(cable.paragraphs.all()), _draft_from_records(cable)))
        audit.record(action="redraft", obj=cable, detail="refreshed by the scheduler")
    return cable


# ---------------------------------------------------------------- corrections


def cable_correct(*, cable: Cable, by) -> Cable:
    """Start the correction of a released cable: a new draft that refers to it, with its text.

    The original stays frozen; the correction takes its own serial when the chief releases it.
    An unreleased correction of the same cable is returned rather than a second one started.
    """
    with transaction.atomic():
        original = Cable.objects.select_for_update().select_related("post").get(pk=cable.pk)
        policy.require(by, "correct", original)
        pending = original.corrections.exclude(status=CableStatus.RELEASED).first()
        if pending is not None:
            return pending
        subject = original.subject
        if not subject.upper().startswith(CORRECTED_COPY):
            subject = f"{CORRECTED_COPY}: {subject}"[:250]
        correction = Cable(
            post=original.post,
            kind=original.kind,
            corrects=original,
            meeting=original.meeting,
            period_start=original.period_start,
            period_end=original.period_end,
            precedence=original.precedence,
            tags=original.tags,
            subject=subject,
            marking=original.marking,
            channel=original.channel,
            channel_floor=original.channel_floor,
            created_by=by,
            drafted_by=by,
        )
        correction.full_clean(validate_unique=False, validate_constraints=False)
        correction.save()
        CableParagraph.objects.bulk_create(
            CableParagraph(cable=correction, **{name: getattr(p, name) for name in COPIED_PARAGRAPH_FIELDS})
            for p in original.paragraphs.all()
        )
        audit.record(action="create", user=by, obj=correction, detail=f"correction of {original.serial}")
    return correction


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
