"""Writes of counterparts and organizations: one transaction each, validated, audited, with history.

Every rule of a write lives here, whichever interface (HTML form, API, command) calls: the post
rule (`policy.check_write`: 404 not yours, 403 not allowed), the owner rule
(`policy.check_handling`), links to records the writer cannot see (refused when chosen, kept when
already there), and the model's own validation. Interfaces translate the refusals only.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tenancy import audit, policy, spill
from tenancy.models import Post

from .duplicates import Candidate, likely_duplicates
from .models import Appointment, Counterpart, Organization

# A change to any of these is a new step in the counterpart's career: a new `Appointment`.
APPOINTMENT_FIELDS = ("organization", "position", "rank_title", "nato_grade")

# Fields a caller may set; everything else (post, authorship, derived search columns) is ours.
COUNTERPART_FIELDS = frozenset(
    {
        "family_name",
        "given_names",
        "native_name",
        "aliases",
        "country",
        "service",
        "rank_title",
        "nato_grade",
        "position",
        "organization",
        "languages",
        "education",
        "email",
        "phone",
        "biography",
        "protocol_notes",
        "restricted_notes",
        "status",
        "last_verified_on",
        "contact_every_days",
        "owner",
        "marking",
        "channel",
    }
)
# A change to any of these is a rename: the duplicate check runs again.
NAME_FIELDS = ("family_name", "given_names", "native_name")
ORGANIZATION_FIELDS = frozenset({"name", "acronym", "kind", "parent", "country", "marking", "channel"})
# Single links to other records, checked against what the writer may see.
COUNTERPART_LINKS = (("organization", Organization),)
ORGANIZATION_LINKS = (("parent", Organization),)
# Rows per INSERT statement when many records are written at once.
BULK_BATCH = 500


class DuplicateSuspected(ValidationError):
    """The counterpart may already be on record; nothing was saved. The writer looks at the
    candidates and sends the write again with `confirm_duplicate=True` if it is someone else."""

    code = "duplicate"

    def __init__(self, candidates: list[Candidate]):
        self.candidates = candidates
        super().__init__(
            "This person may already be on record: check the counterparts listed, and confirm to "
            "save anyway if this is someone else.",
            code=self.code,
        )


def _check_duplicates(by, counterpart: Counterpart, confirmed: bool) -> None:
    if confirmed:
        return
    candidates = likely_duplicates(by, counterpart)
    if candidates:
        raise DuplicateSuspected(candidates)


def post_today(post: Post) -> dt.date:
    """Today's date where the post is: an appointment changes on the post's calendar, not UTC's."""
    return timezone.localdate(timezone=post.tzinfo)


def _check_field_names(fields: dict, allowed: frozenset, model) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise TypeError(f"{model.__name__} has no editable field(s): {', '.join(unknown)}")


def _value_key(obj, name: str):
    """Comparable value of a field (the id for a foreign key, so no query is needed)."""
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _check_link(by, obj, field: str, model, *, stored_id: int | None = None) -> None:
    """A single link (organization, parent): a record of the same post that `by` may see.

    A stored link `by` cannot see is not theirs to clear: an empty value keeps it (a form never
    shows it, an API client never reads it); a new value replaces it.
    """
    linked_id = getattr(obj, f"{field}_id")
    if linked_id is None:
        if stored_id is not None and not policy.visible(by, model).filter(pk=stored_id).exists():
            setattr(obj, f"{field}_id", stored_id)
        return
    if linked_id == stored_id:
        return  # unchanged: kept as it is, seen or not
    linked = policy.visible(by, model).filter(pk=linked_id).first()
    if linked is None:
        raise ValidationError({field: policy.NO_SUCH_RECORD_ID.format(id=linked_id)})
    if linked.post_id != obj.post_id:
        raise ValidationError({field: f"The {model._meta.verbose_name} belongs to another post."})


def _validate(obj, by, stored=None, *, links: tuple[tuple[str, type], ...]) -> None:
    """Links first (a hidden record must not be told apart from an absent one by a later message),
    then the model's own rules, then the owner rule."""
    for field, model in links:
        _check_link(by, obj, field, model, stored_id=getattr(stored, f"{field}_id") if stored else None)
    obj.full_clean()
    policy.check_handling(by, obj, before=policy.handling(stored) if stored else None)


def validate_counterpart(counterpart: Counterpart, by) -> None:
    """The checks of a counterpart update (links, model rules, owner rule) for a record changed
    by another service (the merge)."""
    stored = Counterpart.objects.get(pk=counterpart.pk)
    _validate(counterpart, by, stored, links=COUNTERPART_LINKS)


def _open_appointment(counterpart: Counterpart, start_on: dt.date) -> Appointment:
    appointment = Appointment(
        counterpart=counterpart,
        organization=counterpart.organization,
        position=counterpart.position,
        rank_title=counterpart.rank_title,
        nato_grade=counterpart.nato_grade,
        start_on=start_on,
    )
    appointment.full_clean()
    appointment.save()
    return appointment


def _has_appointment_data(counterpart: Counterpart) -> bool:
    return any(_value_key(counterpart, name) for name in APPOINTMENT_FIELDS)


@transaction.atomic
def counterpart_create(
    *, post: Post, by, tags: Iterable[str] = (), confirm_duplicate: bool = False, **fields
) -> Counterpart:
    """Create a counterpart at `post`; opens the first appointment when a position or rank is given.

    The owner defaults to the author (the attaché who keeps the relationship). Refused with
    DuplicateSuspected when it may be someone already on record, unless `confirm_duplicate`.
    """
    policy.check_write(by, "add", model=Counterpart, post=post)
    _check_field_names(fields, COUNTERPART_FIELDS, Counterpart)
    fields.setdefault("owner", by)
    fields.setdefault("country", post.host_country)
    counterpart = Counterpart(post=post, created_by=by, **fields)
    spill.check(tags=list(tags))  # tags are not a column: full_clean() does not see them
    _validate(counterpart, by, links=COUNTERPART_LINKS)
    _check_duplicates(by, counterpart, confirm_duplicate)
    counterpart._history_user = by
    counterpart.save()
    counterpart.tags.set(list(tags))
    if _has_appointment_data(counterpart):
        _open_appointment(counterpart, post_today(post))
    audit.record(action="create", user=by, obj=counterpart, post=post)
    return counterpart


# Columns validate_new_counterparts checks once for all rows rather than in each full_clean(): the
# links (a query each), and the country (a scan of every country's name, 7 ms a row).
_CHECKED_ONCE = ("post", "created_by", "owner", "organization", "country")


def _linked_posts(by, objects: list, links: tuple[tuple[str, type], ...]) -> dict[str, dict[int, int]]:
    """For each kind of link, the post of every linked record `by` may see: one query per kind."""
    posts = {}
    for field, model in links:
        wanted = {getattr(obj, f"{field}_id") for obj in objects} - {None}
        found = policy.visible(by, model).filter(pk__in=wanted).values_list("pk", "post_id") if wanted else []
        posts[field] = dict(found)
    return posts


def _check_links_known(obj, links: tuple[tuple[str, type], ...], posts: dict[str, dict[int, int]]) -> None:
    """_check_link for a new record, against `_linked_posts` read once for many."""
    for field, model in links:
        linked_id = getattr(obj, f"{field}_id")
        if linked_id is None:
            continue
        if linked_id not in posts[field]:
            raise ValidationError({field: policy.NO_SUCH_RECORD_ID.format(id=linked_id)})
        if posts[field][linked_id] != obj.post_id:
            raise ValidationError({field: f"The {model._meta.verbose_name} belongs to another post."})


def validate_new_counterparts(*, post: Post, by, rows: list[dict]) -> list[Counterpart | ValidationError]:
    """Each row as `counterpart_create` would build and check it (field names, links, the model's
    rules, the owner rule), with a few queries for all of them: the counterpart, or the
    ValidationError that refuses it. The duplicate check is the caller's (an import matches every
    row at once, contacts.duplicates.DuplicateIndex). Nothing is saved."""
    policy.check_write(by, "add", model=Counterpart, post=post)
    built = []
    for fields in rows:
        _check_field_names(fields, COUNTERPART_FIELDS, Counterpart)
        built.append(Counterpart(post=post, created_by=by, **{"owner": by, "country": post.host_country, **fields}))
    owners = {c.owner_id for c in built} - {None, by.pk}
    known_owners = set(get_user_model().objects.filter(pk__in=owners).values_list("pk", flat=True)) | {by.pk}
    return _check_built(by, built, COUNTERPART_LINKS, known_owners=known_owners)


def _check_built(by, built: list, links: tuple[tuple[str, type], ...], *, known_owners=frozenset()) -> list:
    """New records of one post checked as `_validate` checks one, with a few queries for all: the
    links read once, the country and the owner rule asked once per value. Each record, or the
    ValidationError that refuses it; the checked ones are marked for the bulk writer."""
    linked = _linked_posts(by, built, links)
    exclude = (*_CHECKED_ONCE, *(name for name, _ in links))
    owner_rule: dict[tuple, ValidationError | None] = {}
    countries: dict[str, ValidationError | None] = {}
    results: list = []
    for record in built:
        country_field = record._meta.get_field("country")
        try:
            code = country_field.value_from_object(record)
            if code not in countries:
                try:
                    country_field.clean(code, record)
                    countries[code] = None
                except ValidationError as refusal:
                    countries[code] = ValidationError({"country": refusal.messages})
            if countries[code] is not None:
                raise countries[code]
            _check_links_known(record, links, linked)
            owner_id = getattr(record, "owner_id", None)
            if owner_id is not None and owner_id not in known_owners:
                raise ValidationError({"owner": policy.NO_SUCH_RECORD_ID.format(id=owner_id)})
            record.full_clean(exclude=exclude)
            # The owner rule depends on the channel and the owner only: asked once per pair.
            key = (record.channel, owner_id)
            if key not in owner_rule:
                try:
                    policy.check_handling(by, record, before=None)
                    owner_rule[key] = None
                except ValidationError as refusal:
                    owner_rule[key] = refusal
            if owner_rule[key] is not None:
                raise owner_rule[key]
        except ValidationError as refusal:
            results.append(refusal)
        else:
            record._checked_for = (record.post_id, by.pk)  # see counterparts_create_many
            results.append(record)
    return results


@transaction.atomic
def counterparts_create_many(*, post: Post, by, rows: Iterable[dict] = (), checked: Iterable[Counterpart] = ()):
    """Create many counterparts at `post` (an import's new rows), checked as `counterpart_create`
    checks one, with a few statements whatever their number: the rows and their history, their
    first appointments and theirs, and one `create` audit event each — what `counterpart_create`
    writes for one. Returns the saved counterparts.

    `rows` are field values, checked here (`validate_new_counterparts`: the first refusal is
    raised, nothing is saved); `checked` are counterparts `validate_new_counterparts` has just
    returned for this post and writer (an import's run, which checked every row to plan it, so
    that 10,000 rows are not checked twice); any other instance is refused. Duplicates are not
    checked: the caller has matched the rows and had them confirmed."""
    policy.check_write(by, "add", model=Counterpart, post=post)
    counterparts = list(checked)
    if any(getattr(c, "_checked_for", None) != (post.pk, by.pk) or c.pk for c in counterparts):
        raise ValueError("Only new counterparts that validate_new_counterparts checked for this post and writer.")
    for result in validate_new_counterparts(post=post, by=by, rows=list(rows)) if rows else ():
        if isinstance(result, ValidationError):
            raise result
        counterparts.append(result)
    for counterpart in counterparts:
        counterpart.refresh_derived_fields()  # what save() does; bulk_create does not call it
    saved = bulk_create_with_history(counterparts, Counterpart, batch_size=BULK_BATCH, default_user=by)
    today = post_today(post)
    appointments = []
    for counterpart in saved:
        if _has_appointment_data(counterpart):
            appointment = Appointment(
                counterpart=counterpart,
                organization_id=counterpart.organization_id,
                position=counterpart.position,
                rank_title=counterpart.rank_title,
                nato_grade=counterpart.nato_grade,
                start_on=today,
            )
            # The counterpart is new (no other appointment to clash with), its links checked above.
            appointment.full_clean(exclude=("counterpart", "organization"), validate_constraints=False)
            appointments.append(appointment)
    bulk_create_with_history(appointments, Appointment, batch_size=BULK_BATCH, default_user=by)
    audit.record_many(action="create", user=by, objects=saved, post=post)
    return saved


@transaction.atomic
def counterpart_update(
    *,
    counterpart: Counterpart,
    by,
    tags: Iterable[str] | None = None,
    confirm_duplicate: bool = False,
    **fields,
) -> Counterpart:
    """Change a counterpart; a new position, rank, grade or organization closes the current
    appointment today and opens the next one. Returns the saved (freshly read) counterpart.
    A new name is checked for duplicates as a new counterpart is.
    """
    _check_field_names(fields, COUNTERPART_FIELDS, Counterpart)
    # Read the row afresh and lock it: a ModelForm has already written the new values into the
    # instance it was given, so only the database still knows what they were.
    current = Counterpart.objects.select_for_update().select_related("post").get(pk=counterpart.pk)
    policy.check_write(by, "change", current)
    stored = copy.copy(current)
    before = {name: _value_key(current, name) for name in fields}
    for name, value in fields.items():
        setattr(current, name, value)
    spill.check(tags=list(tags or []))
    _validate(current, by, stored, links=COUNTERPART_LINKS)
    changed = [name for name in fields if _value_key(current, name) != before[name]]
    if any(name in NAME_FIELDS for name in changed):
        _check_duplicates(by, current, confirm_duplicate)
    current._history_user = by
    current.save()
    if tags is not None:
        old_tags = set(current.tags.names())
        current.tags.set(list(tags))
        if set(current.tags.names()) != old_tags:
            changed.append("tags")
    if any(name in APPOINTMENT_FIELDS for name in changed):
        _move_appointment(current)
    audit.record(
        action="update",
        user=by,
        obj=current,
        post=current.post,
        detail=_changed_detail(changed),
    )
    return current


def _move_appointment(counterpart: Counterpart) -> None:
    """Close the open appointment today (never before it started) and open the new one."""
    today = post_today(counterpart.post)
    start_on = today
    open_appointment = counterpart.appointments.select_for_update().filter(end_on__isnull=True).first()
    if open_appointment is not None:
        # A future-dated appointment (entered ahead of a change of command) ends when it starts.
        open_appointment.end_on = max(today, open_appointment.start_on)
        open_appointment.full_clean(validate_constraints=False)
        open_appointment.save(update_fields=["end_on"])
        start_on = open_appointment.end_on
    _open_appointment(counterpart, start_on)


def _changed_detail(changed: list[str]) -> str:
    # Names of the fields only: the audit log must not copy sensitive text.
    return ("changed: " + ", ".join(changed)) if changed else "no change"


def validate_new_organizations(*, post: Post, by, rows: list[dict]) -> list[Organization | ValidationError]:
    """Each row as `organization_create` would build and check it, with a few queries for all of
    them (an import's preview): the organization, or the ValidationError that refuses it. A parent
    is given as an organization instance (or its id). Nothing is saved."""
    policy.check_write(by, "add", model=Organization, post=post)
    built = []
    for fields in rows:
        _check_field_names(fields, ORGANIZATION_FIELDS, Organization)
        built.append(Organization(post=post, created_by=by, **{"country": post.host_country, **fields}))
    return _check_built(by, built, ORGANIZATION_LINKS)


def validate_new_organization(*, post: Post, by, **fields) -> Organization:
    """The organization `organization_create` would save, checked as it checks one (the post rule,
    field names, links, the model's rules, the owner rule); raises its ValidationError. Nothing
    is saved: an import's preview asks this of every row."""
    policy.check_write(by, "add", model=Organization, post=post)
    _check_field_names(fields, ORGANIZATION_FIELDS, Organization)
    fields.setdefault("country", post.host_country)
    organization = Organization(post=post, created_by=by, **fields)
    _validate(organization, by, links=ORGANIZATION_LINKS)
    return organization


@transaction.atomic
def organization_create(*, post: Post, by, **fields) -> Organization:
    """Create a host-nation organization at `post`."""
    organization = validate_new_organization(post=post, by=by, **fields)
    organization._history_user = by
    organization.save()
    audit.record(action="create", user=by, obj=organization, post=post)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, by, **fields) -> Organization:
    """Change an organization; refuses a parent that would make the hierarchy a loop."""
    _check_field_names(fields, ORGANIZATION_FIELDS, Organization)
    current = Organization.objects.select_for_update().select_related("post").get(pk=organization.pk)
    policy.check_write(by, "change", current)
    stored = copy.copy(current)
    before = {name: _value_key(current, name) for name in fields}
    for name, value in fields.items():
        setattr(current, name, value)
    _validate(current, by, stored, links=ORGANIZATION_LINKS)
    changed = [name for name in fields if _value_key(current, name) != before[name]]
    if "parent" in changed and _would_loop(current):
        raise ValidationError({"parent": "An organization cannot sit under one of its own sub-organizations."})
    current._history_user = by
    current.save()
    audit.record(
        action="update",
        user=by,
        obj=current,
        post=current.post,
        detail=_changed_detail(changed),
    )
    return current


def _would_loop(organization: Organization) -> bool:
    """Walk up from the new parent; finding the organization itself means a loop."""
    seen = set()
    parent_id = organization.parent_id
    while parent_id is not None and parent_id not in seen:
        if parent_id == organization.pk:
            return True
        seen.add(parent_id)
        parent_id = Organization.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return False
