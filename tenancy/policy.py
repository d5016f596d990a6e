"""The one access policy (docs/access.md).

Every HTML view, API endpoint, search, export, feed and Celery job asks this module:
- `visible(user, Model)`: which objects of this model may this user see (a queryset);
- `can(user, action, obj)` / `require(...)`: may this user do this to this object (or at this post);
- `get_visible_or_404(user, Model, **lookup)`: one object, or 404 when it is hidden or absent.

Roles come from Membership; channels are `post`, `attache` and `restricted`; single restricted
records are shared with single users through guardian's direct foreign-key grant tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from . import audit
from .channel_rule import ChannelRule, Clause
from .choices import Role
from .markings import Channel
from .models import Membership, Post
from .refusals import Denied, NotFound

# What an interface says about an id it cannot resolve: the same words for a hidden record and an
# absent one (forms and API serializers format {id} their own way).
NO_SUCH_RECORD_ID = "No such record: {id}."
NO_SUCH_PERSON_ID = "No such person: {id}."

# Models governed by their own post and channel: the content records (tenancy/records.py).
CHANNEL_MODELS = {
    "contacts.organization",
    "contacts.counterpart",
    "engagements.meeting",
    "engagements.agreement",
    "engagements.exercise",
    "engagements.actionitem",
    "office.clearance",
    "office.gift",
}
# Records that exist only inside a parent record: visible when the parent is.
CHILD_MODELS = {
    "contacts.appointment": ("counterpart", "contacts.counterpart"),
    "engagements.meetingparticipant": ("meeting", "engagements.meeting"),
    "engagements.agreementstatuschange": ("agreement", "engagements.agreement"),
    "engagements.exercisephasechange": ("exercise", "engagements.exercise"),
    "reports.cableparagraph": ("cable", "reports.cable"),
}
# Grant tables (guardian direct foreign keys), by the model they grant. Cables have none: who
# reads a cable follows from its status and channel alone.
GRANT_MODELS = {
    "contacts.counterpart": "contacts.CounterpartUserObjectPermission",
    "contacts.organization": "contacts.OrganizationUserObjectPermission",
    "engagements.meeting": "engagements.MeetingUserObjectPermission",
    "engagements.agreement": "engagements.AgreementUserObjectPermission",
    "engagements.exercise": "engagements.ExerciseUserObjectPermission",
    "engagements.actionitem": "engagements.ActionItemUserObjectPermission",
    "office.clearance": "office.ClearanceUserObjectPermission",
    "office.gift": "office.GiftUserObjectPermission",
}

NOTHING = Q(pk__in=[])
NO_SUCH_RECORD = "No such record."
NO_SUCH_POST = "No such post."


# Who may write what, per role (the table of docs/access.md). Restricted records: only their owner writes.
CONTENT_WRITERS = {Role.ATTACHE}
ACTION_ITEM_WRITERS = {Role.ATTACHE}
CABLE_EDITORS = {Role.ATTACHE, Role.CHIEF}
CABLE_RELEASERS = {Role.CHIEF}
RESTRICTED_NOTES_READERS = {Role.ATTACHE, Role.CHIEF}
# Who may read a post's content as a whole (a digest such as the handover pack): never its admin.
CONTENT_READERS = {Role.ATTACHE, Role.DIPLOMAT, Role.CHIEF}
AUDIT_READERS = {Role.CHIEF, Role.ADMIN}
USER_MANAGERS = {Role.ADMIN}
# Who is shown on the dashboard when the scheduler last ran (not post data: no channel applies).
SCHEDULER_WATCHERS = {Role.CHIEF, Role.ADMIN}


# ---------------------------------------------------------------- roles


def roles(user) -> dict[int, str]:
    """{post_id: role} of a user, read once per user object (i.e. once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_policy_roles", None)
    if cached is None:
        # Unordered: the model's default order joins the posts and users tables for nothing.
        cached = dict(Membership.objects.filter(user=user).order_by().values_list("post_id", "role"))
        user._policy_roles = cached
    return cached


def remember_memberships(user, roles: dict[int, str], memberships) -> None:
    """Take the user's {post_id: role} and a function that returns their memberships (read with
    the user, attache_crm.accounts.backends), instead of querying for them."""
    user._policy_roles = roles
    user._policy_memberships_read = memberships


def memberships(user) -> list:
    """The user's memberships with their posts (post code order), read once per user object."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_policy_memberships", None)
    if cached is None:
        read = getattr(user, "_policy_memberships_read", None)
        if read is not None:
            cached = read()
        else:
            cached = list(Membership.objects.filter(user=user).select_related("post").order_by("post__code"))
        user._policy_memberships = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles (and memberships) after a membership change."""
    for name in ("_policy_roles", "_policy_memberships", "_policy_memberships_read"):
        if hasattr(user, name):
            delattr(user, name)


def role_at(user, post_or_id) -> str | None:
    post_id = getattr(post_or_id, "pk", post_or_id)
    return roles(user).get(post_id)


def posts_with(user, allowed: Iterable[str]) -> list[int]:
    """The posts where the user holds one of these roles; worked out once per set of roles and
    user object (a page asks dozens of times, and a chief of every post holds 150 roles)."""
    held = roles(user)
    memo = getattr(user, "_policy_posts_with", None)
    if memo is None or memo[0] is not held:  # new roles read: the posts are worked out again
        memo = (held, {})
        if held:
            user._policy_posts_with = memo
    key = frozenset(allowed)
    if key not in memo[1]:
        memo[1][key] = [post_id for post_id, role in held.items() if role in key]
    return list(memo[1][key])


def has_role(user, allowed: Iterable[str], post=None) -> bool:
    """Has the user one of these roles (at this post, or at any post)?"""
    if post is not None:
        return role_at(user, post) in set(allowed)
    return bool(posts_with(user, allowed))


# ---------------------------------------------------------------- which objects


def _label(model) -> str:
    return model._meta.label_lower


def _owner_field(model) -> str:
    return getattr(model, "OWNER_FIELD", "created_by")


# The channels each role reads whole at its posts (every channel for the chief). What lies outside
# them a reader sees record by record: restricted records they own or were granted.
WHOLE_CHANNELS = {
    Role.CHIEF: (),
    Role.ATTACHE: (Channel.POST.value, Channel.ATTACHE.value),
    Role.DIPLOMAT: (Channel.POST.value,),
}


def _channel_q(user, model) -> Q | ChannelRule:
    by_role = {role: tuple(posts_with(user, [role])) for role in Role.values}
    chief, attache, diplomat = by_role[Role.CHIEF], by_role[Role.ATTACHE], by_role[Role.DIPLOMAT]
    clauses = []
    if chief:
        clauses.append(Clause(chief, WHOLE_CHANNELS[Role.CHIEF]))
    if attache:
        clauses.append(Clause(attache, WHOLE_CHANNELS[Role.ATTACHE]))
        clauses.append(Clause(attache, (Channel.RESTRICTED.value,), owned=True))
    if diplomat:
        # Diplomats read the follow-ups assigned to them, nothing else.
        follow_ups = _label(model) == "engagements.actionitem"
        clauses.append(Clause(diplomat, WHOLE_CHANNELS[Role.DIPLOMAT], assigned=follow_ups))
    if attache or diplomat:
        # Grants open restricted records only: a stale grant never widens another channel.
        clauses.append(Clause(attache + diplomat, (Channel.RESTRICTED.value,), granted=True))
    if not clauses:
        return NOTHING
    owner = model._meta.get_field(_owner_field(model)).attname
    grants = apps.get_model(GRANT_MODELS[_label(model)])
    return ChannelRule(tuple(clauses), user_id=user.pk, owner=owner, grants=grants)


def whole_channels(user) -> dict[int, tuple[str, ...]]:
    """{post id: the channels this user reads whole there}: every channel at a chief's posts,
    post and attaché at an attaché's, post at a diplomat's; for values kept per post and channel
    (a counterpart's last contact in each channel, say). Restricted records read one by one are
    not in it: ask `visible` for those."""
    every = tuple(Channel.values)
    return {post_id: WHOLE_CHANNELS[role] or every for post_id, role in roles(user).items() if role in WHOLE_CHANNELS}


def whole_channel_groups(user) -> dict[tuple[str, ...], list[int]]:
    """whole_channels by channels: {channels: the posts where this user reads those whole}, one
    entry per role at most, so that a condition on them stays short for a user of 150 posts."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for post_id, channels in whole_channels(user).items():
        groups.setdefault(channels, []).append(post_id)
    return groups


def whole_channels_q(user) -> Q:
    """The rows kept per post and channel that this user reads whole (see whole_channels)."""
    q = NOTHING
    for channels, posts in whole_channel_groups(user).items():
        q |= Q(post_id__in=posts, channel__in=channels)
    return q


def posts_read_one_by_one(user) -> list[int]:
    """Posts where some records this user may read are not in their whole channels: every post
    of theirs but the chief's ones."""
    chief = set(posts_with(user, [Role.CHIEF]))
    return [post_id for post_id in posts_with(user, WHOLE_CHANNELS) if post_id not in chief]


def _cable_q(user, model) -> Q:
    q = NOTHING
    editors = posts_with(user, CABLE_EDITORS)
    if editors:
        q |= Q(post_id__in=posts_with(user, [Role.CHIEF]))
        q |= Q(post_id__in=posts_with(user, [Role.ATTACHE]), channel__in=[Channel.POST, Channel.ATTACHE])
    diplomat = posts_with(user, [Role.DIPLOMAT])
    if diplomat:
        q |= Q(post_id__in=diplomat, status=model.Status.RELEASED, channel=Channel.POST)
    return q


def visible_q(user, model) -> Q | ChannelRule:
    """The filter of the objects of `model` this user may see."""
    label = _label(model)
    if not roles(user):
        return NOTHING
    if label in CHANNEL_MODELS:
        return _channel_q(user, model)
    if label in CHILD_MODELS:
        parent_field, parent_label = CHILD_MODELS[label]
        parent_model = apps.get_model(parent_label)
        return Q(**{f"{parent_field}__in": visible(user, parent_model).values("pk")})
    if label == "reports.cable":
        return _cable_q(user, model)
    if label == "tenancy.post":
        return Q(pk__in=list(roles(user)))
    if label == "tenancy.membership":
        return Q(post_id__in=posts_with(user, USER_MANAGERS)) | Q(user=user)
    if label == "tenancy.auditevent":
        # Events of the post, and the sign-in events (no post) of the post's members.
        readable = posts_with(user, AUDIT_READERS)
        if not readable:
            return NOTHING
        members = Membership.objects.filter(post_id__in=readable).values("user_id")
        return Q(post_id__in=readable) | Q(post__isnull=True, user_id__in=members)
    raise LookupError(f"The access policy has no rule for {label}.")


def visible(user, model_or_queryset) -> QuerySet:
    """The objects this user may see, as a queryset (nothing for anonymous users)."""
    if isinstance(model_or_queryset, QuerySet):
        queryset, model = model_or_queryset, model_or_queryset.model
    else:
        model = model_or_queryset
        queryset = model._default_manager.all()
    return queryset.filter(visible_q(user, model))


def visible_versions(user, obj: Model) -> QuerySet:
    """The past versions (history rows) of `obj` this user could have seen when each was current,
    and none unless the user may see the record now.

    Each version is judged by the post, channel, owner (and, for follow-ups, assignee) it had
    then: a diplomat reads the versions of the periods a record was in the post channel, never
    those of its attaché-channel or restricted periods. Grants are the ones held now, and open
    restricted versions only, as they open restricted records only.
    """
    label = _label(type(obj))
    if label not in CHANNEL_MODELS and label != "reports.cable":
        # The other rules name the current row (its pk, its parent): they do not apply to versions.
        raise LookupError(f"The access policy has no rule for past versions of {label}.")
    # Nothing at all of a record hidden now, however visible it once was (in the same query).
    now_visible = visible(user, type(obj)).filter(pk=obj.pk).values("pk")
    return obj.history.filter(visible_q(user, type(obj)), id__in=now_visible)


def reportable(model, post) -> QuerySet:
    """Records of `post` that may go into a cable drafted without a user (a Celery task).

    Never the restricted channel: a draft's readers are the post's attachés and chief, and a
    restricted record is for its owner and named grantees only. The cable then takes the
    narrowest channel of what it includes, so nobody reads a cable whose sources they could not read.
    """
    label = _label(model)
    post_id = getattr(post, "pk", post)
    allowed = [Channel.POST, Channel.ATTACHE]
    if label in CHANNEL_MODELS:
        return model._default_manager.filter(post_id=post_id, channel__in=allowed)
    if label in CHILD_MODELS and label != "reports.cableparagraph":
        parent_field, parent_label = CHILD_MODELS[label]
        parents = reportable(apps.get_model(parent_label), post_id)
        return model._default_manager.filter(**{f"{parent_field}__in": parents.values("pk")})
    raise LookupError(f"{label} records do not go into cables.")


def get_visible_or_404(user, model_or_queryset, **lookup) -> Model:
    """One visible object; 404 alike for an absent and a hidden one, so nothing leaks."""
    try:
        return visible(user, model_or_queryset).get(**lookup)
    except (ValueError, TypeError) as exc:  # a malformed id is as absent as a missing one
        raise NotFound(NO_SUCH_RECORD) from exc
    except Exception as exc:
        if exc.__class__.__name__ in {"DoesNotExist", "MultipleObjectsReturned", "ValidationError"}:
            raise NotFound(NO_SUCH_RECORD) from exc
        raise


def is_visible(user, obj: Model) -> bool:
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


# ---------------------------------------------------------------- what they may do


def _owns(user, obj) -> bool:
    return getattr(obj, f"{_owner_field(type(obj))}_id", None) == user.pk


def can(user, action: str, obj: Model | None = None, *, model=None, post=None) -> bool:
    """May this user do `action` to `obj` (or, for `add`, to a new `model` at `post`)?

    Actions: view, add, change, delete, grant, merge, release, widen, view_restricted_notes,
    Actions: view, add, change, delete, grant, merge, release, widen, view_restricted_notes,
    view_content (a post's records as a whole, e.g. the handover pack), view_audit, manage_users;
    for cables also correct, request_clearance and clear. `obj` must already be visible for
    anything but `add`.
    """
    if obj is not None:
        model = type(obj)
        post = getattr(obj, "post", None) if post is None else post
    role = role_at(user, post) if post is not None else None
    label = _label(model) if model is not None else ""

    if action == "view_audit":
        return role in AUDIT_READERS if post is not None else has_role(user, AUDIT_READERS)
    if action == "manage_users":
        return role in USER_MANAGERS if post is not None else has_role(user, USER_MANAGERS)
    if role is None:
        return False
    if action == "view":
        return obj is None or is_visible(user, obj)
    if action == "view_restricted_notes":
        return role in RESTRICTED_NOTES_READERS
    if action == "view_content":
        return role in CONTENT_READERS
    if label == "reports.cable":
        if action in {"add", "change", "delete"}:
            return role in CABLE_EDITORS and (obj is None or not obj.is_released)
        if action in {"release", "widen"}:
            # Widening a cable's channel past its sources is the chief's decision, like release.
            return role in CABLE_RELEASERS and obj is not None and not obj.is_released
        if action == "correct":
            # A released cable is corrected by a new one, drafted by those who draft cables.
            return role in CABLE_EDITORS and obj is not None and obj.is_released
        if action == "request_clearance":
            # The chief, or the attaché the chief named to gather the clearances of this draft.
            coordinator = obj is not None and obj.clearance_coordinator_id == user.pk
            return obj is not None and not obj.is_released and (role in CABLE_RELEASERS or coordinator)
        if action == "clear":
            return (
                role in CABLE_EDITORS
                and obj is not None
                and not obj.is_released
                and obj.clearances.filter(clearer=user, cleared_at__isnull=True).exists()
            )
        return False
    if label in CHILD_MODELS:
        parent_field, _ = CHILD_MODELS[label]
        parent = getattr(obj, parent_field) if obj is not None else None
        return can(user, "change", parent) if parent is not None else role in CONTENT_WRITERS
    if action == "grant":
        return obj is not None and obj.channel == Channel.RESTRICTED and (role == Role.CHIEF or _owns(user, obj))
    if action == "merge":
        # Two records of one person become one: the chief, or the attaché who keeps the record.
        return label == "contacts.counterpart" and (
            role == Role.CHIEF or (role in CONTENT_WRITERS and _owns(user, obj))
        )
    if action in {"add", "change", "delete"}:
        writers = ACTION_ITEM_WRITERS if label == "engagements.actionitem" else CONTENT_WRITERS
        if role not in writers:
            return False
        if obj is not None and obj.channel == Channel.RESTRICTED and not _owns(user, obj):
            return False
        return True
    return False


def denial_message(action: str, obj: Model | None = None, model=None) -> str:
    """What a 403 says: the same words whichever interface refused."""
    model = type(obj) if obj is not None else model
    if model is None:
        return "Your role does not allow this action."
    if action == "add":
        return f"You may not add {model._meta.verbose_name_plural} at this post."
    if action in {"change", "delete", "grant", "release", "merge", "correct", "clear"}:
        return f"You may not {action} this {model._meta.verbose_name}."
    if action == "request_clearance":
        return f"You may not ask for clearances on this {model._meta.verbose_name}."
    return "Your role does not allow this action."


def require(user, action: str, obj: Model | None = None, *, model=None, post=None, request=None) -> None:
    """Raise Denied (a PermissionDenied, audited) unless `can(...)`."""
    if can(user, action, obj, model=model, post=post):
        return
    target = obj if obj is not None else model
    audit.record(
        user=user,
        request=request,
        action="access_denied",
        obj=target,
        post=post if post is not None else getattr(obj, "post", None),
        outcome="denied",
        detail=action,
    )
    raise Denied(denial_message(action, obj, model))


# ---------------------------------------------------------------- the write rules services enforce


def check_write(user, action: str, obj: Model | None = None, *, model=None, post=None, request=None) -> None:
    """The post rule, one answer whichever interface asks.

    NotFound (404) when the post or the record is not the user's: no role at the post, or a record
    hidden from them, exactly as if it did not exist. Denied (403, audited) when they may read
    there but may not do `action`. Services call it with the stored record (never one a form has
    already changed in memory); views and API views call it first to refuse before reading input.
    """
    if obj is not None:
        if not is_visible(user, obj):
            raise NotFound(NO_SUCH_RECORD)
    elif post is None or role_at(user, post) is None:
        raise NotFound(NO_SUCH_POST)
    require(user, action, obj, model=model, post=post, request=request)


def _as_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def post_for_new(user, model, wanted=None, *, request=None):
    """The post a new record goes to, checked by the post rule.

    `wanted` (an id) when the request names one: 404 unless the user has a role there, 403 unless
    that role may add this model there. Without one, the first post where the user may add it.
    """
    if wanted is None or wanted == "":
        post = Post.objects.filter(pk__in=writable_posts(user, model)).first()
        if post is None:  # nowhere to add it: refused at the first post they work at (or none)
            post = Post.objects.filter(pk__in=list(roles(user))).first()
            require(user, "add", model=model, post=post, request=request)
        return post
    post_id = _as_id(wanted)
    post = Post.objects.filter(pk=post_id).first() if post_id in roles(user) else None
    check_write(user, "add", model=model, post=post, request=request)
    return post


# Who may keep (own) a record: never a diplomat or a post administrator.
OWNER_ROLES = {Role.ATTACHE, Role.CHIEF}
OWNER_NOT_ELIGIBLE = "The owner must be an attaché or the chief of this post."
OWNER_REQUIRED = "A restricted record needs an owner: an attaché or the chief of this post."
ONLY_OWNER_CHANGES = "Only the owner of this record or the chief can change its {what}."


def owner_id(obj: Model) -> int | None:
    """The id of a record's owner: its `owner` where the model has one, else its author."""
    return getattr(obj, f"{_owner_field(type(obj))}_id", None)


def handling(obj: Model) -> dict:
    """The channel and owner of a record as stored, for check_handling's `before`."""
    return {"channel": obj.channel, "owner_id": owner_id(obj)}


def check_handling(user, obj: Model, *, before: dict | None) -> None:
    """The owner rule, raised as field errors (ValidationError).

    - The owner of a record is an attaché or the chief of its post, and a restricted record has one.
    - Only the current owner or the chief changes a record's channel or its owner: an attaché
      cannot narrow a colleague's record, nor take it into the restricted channel as its owner.
    `before` is `handling()` of the stored record, None for a new one.
    """
    owner_field = _owner_field(type(obj))
    new_owner = owner_id(obj)
    errors: dict[str, str] = {}
    channel_changed = before is None or before["channel"] != obj.channel
    owner_changed = before is None or before["owner_id"] != new_owner
    if before is not None and (channel_changed or owner_changed):
        may_change = user.pk == before["owner_id"] or role_at(user, obj.post_id) == Role.CHIEF
        if not may_change:
            if channel_changed:
                errors["channel"] = ONLY_OWNER_CHANGES.format(what="channel")
            if owner_changed:
                errors[owner_field] = ONLY_OWNER_CHANGES.format(what="owner")
    if not errors and (channel_changed or owner_changed):
        if new_owner is None:
            if obj.channel == Channel.RESTRICTED:
                errors[owner_field] = OWNER_REQUIRED
        elif not _holds_role(new_owner, obj.post_id, OWNER_ROLES):
            errors[owner_field] = OWNER_NOT_ELIGIBLE
    if errors:
        raise ValidationError(errors)


def _holds_role(user_id: int, post_id: int, allowed: Iterable[str]) -> bool:
    return Membership.objects.filter(user_id=user_id, post_id=post_id, role__in=list(allowed)).exists()


def choosable_people(user) -> QuerySet:
    """Users an interface resolves a person id among: the members of the requesting user's posts.
    Whether one may be chosen for a record (owner, attendee, assignee) is the service's decision."""
    members = Membership.objects.filter(post_id__in=list(roles(user))).values("user_id")
    return get_user_model().objects.filter(pk__in=members)


def can_see_restricted_notes(user, post) -> bool:
    """restricted_notes are attaché channel whatever the record's channel."""
    return role_at(user, post) in RESTRICTED_NOTES_READERS


def writable_posts(user, model) -> list[int]:
    """Posts where this user may create records of this model."""
    return [post_id for post_id in roles(user) if can(user, "add", model=model, post=post_id)]
