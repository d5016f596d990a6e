"""Taking a step of a lifecycle: the one write every record kind with a lifecycle goes through."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tenancy import audit, policy

from .table import Lifecycle


def post_today(post) -> dt.date:
    """Today at the post: steps are dated in the post's own calendar."""
    return timezone.localdate(timezone=post.tzinfo)


def open_log(lifecycle: Lifecycle, record, *, by) -> None:
    """The first row of a new record's log: the state it was recorded in, dated the day of recording."""
    lifecycle.log_model._default_manager.create(
        **{lifecycle.log_link: record, lifecycle.from_field: "", lifecycle.to_field: getattr(record, lifecycle.state)},
        changed_on=post_today(record.post),
        changed_by=by,
    )


@transaction.atomic
def step(lifecycle: Lifecycle, *, record, by, to: str, on: dt.date | None = None, note: str = "", **fields):
    """Move `record` to the state `to` for `by`, dated `on` (default: today at the post), and log it.

    The post rule and the owner rule of the policy, the transition table, the date (not in the
    future, not before the previous step) and every rule of the model hold; the step is logged
    (with its note where the log keeps one) and audited. `fields` are the lifecycle's
    `step_fields`, set on the record unless empty. Returns the record as saved.
    """
    if note and lifecycle.note_max_length is None:
        raise TypeError(f"A step of {lifecycle.model.__name__} takes no note.")
    unknown = set(fields) - set(lifecycle.step_fields)
    if unknown:
        raise TypeError(f"A step of {lifecycle.model.__name__} sets no {', '.join(sorted(unknown))}.")
    # Locked, so that two people moving the same record cannot both pass the check.
    record = lifecycle.model._default_manager.select_for_update().select_related("post").get(pk=record.pk)
    policy.check_write(by, "change", record)
    current = getattr(record, lifecycle.state)
    if to not in lifecycle.allowed(record):
        label = getattr(record, f"get_{lifecycle.state}_display")().lower()
        raise ValidationError({lifecycle.to_field: lifecycle.refusal.format(current=label, target=to)})
    on = on or post_today(record.post)
    _check_date(lifecycle, record, on)
    setattr(record, lifecycle.state, to)
    date_field = lifecycle.dates_on_entry.get(to)
    if date_field and not getattr(record, date_field):
        setattr(record, date_field, on)
    for name, value in fields.items():
        if value not in (None, ""):
            setattr(record, name, value)
    record.full_clean()
    policy.check_handling(by, record, before=None)
    record._history_user = by
    record.save()
    row = lifecycle.log_model(
        **{lifecycle.log_link: record, lifecycle.from_field: current, lifecycle.to_field: to},
        changed_on=on,
        changed_by=by,
        **({"note": note} if lifecycle.note_max_length is not None else {}),
    )
    row.full_clean()  # the spill guard reads the note
    row.save()
    audit.record(action="update", user=by, obj=record, detail=f"{lifecycle.state} {current} -> {to}")
    return record


def _check_date(lifecycle: Lifecycle, record, on: dt.date) -> None:
    """Not in the future at the post, and not before the previous step. The row written when the
    record was recorded dates the recording, not a step: an older step may still be entered."""
    if on > post_today(record.post):
        raise ValidationError({"on": "A change cannot be dated in the future."})
    last = lifecycle.log(record).exclude(**{lifecycle.from_field: ""}).order_by("-changed_on", "-id").first()
    if last is not None and on < last.changed_on:
        raise ValidationError(
            {"on": f"The previous change is dated {last.changed_on:%d %b %Y}; this one cannot be earlier."}
        )
