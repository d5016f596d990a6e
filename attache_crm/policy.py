"""The one access policy (DESIGN §3).

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
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from attache_crm.markings import Channel
from contacts.choices import Role

# Models governed by their own post and channel (DESIGN §2 "content records").
CHANNEL_MODELS = {
    "contacts.organization",
    "contacts.counterpart",
    "engagements.meeting",
    "engagements.agreement",
    "engagements.exercise",
    "engagements.actionitem",
}
# Records that exist only inside a parent record: visible when the parent is.
CHILD_MODELS = {
    "contacts.appointment": ("counterpart", "contacts.counterpart"),
    "engagements.meetingparticipant": ("meeting", "engagements.meeting"),
    "engagements.agreementstatuschange": ("agreement", "engagements.agreement"),
    "engagements.exercisephasechange": ("exercise", "engagements.exercise"),
    "reports.cableparagraph": ("cable", "reports.cable"),
}
# Grant tables (guardian direct foreign keys), by the model they grant.
GRANT_MODELS = {
    "contacts.counterpart": "contacts.CounterpartUserObjectPermission",
    "contacts.organization": "contacts.OrganizationUserObjectPermission",
    "engagements.meeting": "engagements.MeetingUserObjectPermission",
    "engagements.agreement": "engagements.AgreementUserObjectPermission",
    "engagements.exercise": "engagements.ExerciseUserObjectPermission",
    "engagements.actionitem": "engagements.ActionItemUserObjectPermission",
    "reports.cable": "reports.CableUserObjectPermission",
}

NOTHING = Q(pk__in=[])

# Who may write what, per role (DESIGN §3 table). Restricted records: only their owner writes.
CONTENT_WRITERS = {Role.ATTACHE}
ACTION_ITEM_WRITERS = {Role.ATTACHE}
CABLE_EDITORS = {Role.ATTACHE, Role.CHIEF}
CABLE_RELEASERS = {Role.CHIEF}
RESTRICTED_NOTES_READERS = {Role.ATTACHE, Role.CHIEF}
AUDIT_READERS = {Role.CHIEF, Role.ADMIN}
USER_MANAGERS = {Role.ADMIN}


# ---------------------------------------------------------------- roles


def roles(user) -> dict[int, str]:
    """{post_id: role} of a user, read once per user object (i.e. once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_policy_roles", None)
    if cached is None:
        from contacts.models import Membership

        cached = dict(Membership.objects.filter(user=user).values_list("post_id", "role"))
        user._policy_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles after a membership change."""
    if hasattr(user, "_policy_roles"):
        del user._policy_roles


def role_at(user, post_or_id) -> str | None:
    post_id = getattr(post_or_id, "pk", post_or_id)
    return roles(user).get(post_id)


def posts_with(user, allowed: Iterable[str]) -> list[int]:
    allowed = set(allowed)
    return [post_id for post_id, role in roles(user).items() if role in allowed]


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


def granted_ids(user, model) -> QuerySet:
    """Ids of the objects of this model granted to this user one by one (a subquery)."""
    grant_model = apps.get_model(GRANT_MODELS[_label(model)])
    return grant_model.objects.filter(user=user, permission__codename=f"view_{model._meta.model_name}").values(
        "content_object_id"
    )


def _channel_q(user, model) -> Q:
    by_role = {role: posts_with(user, [role]) for role in Role.values}
    chief, attache, diplomat = by_role[Role.CHIEF], by_role[Role.ATTACHE], by_role[Role.DIPLOMAT]
    q = NOTHING
    if chief:
        q |= Q(post_id__in=chief)
    if attache:
        q |= Q(post_id__in=attache, channel__in=[Channel.POST, Channel.ATTACHE])
        q |= Q(post_id__in=attache, channel=Channel.RESTRICTED, **{_owner_field(model): user})
    if diplomat:
        if _label(model) == "engagements.actionitem":
            # Diplomats read the follow-ups assigned to them, nothing else.
            q |= Q(post_id__in=diplomat, channel=Channel.POST, assignee=user)
        else:
            q |= Q(post_id__in=diplomat, channel=Channel.POST)
    if attache or diplomat:
        # Grants open restricted records only: a stale grant never widens another channel.
        q |= Q(post_id__in=attache + diplomat, channel=Channel.RESTRICTED, pk__in=granted_ids(user, model))
    return q


def _cable_q(user) -> Q:
    from reports.models import CableStatus

    q = NOTHING
    editors = posts_with(user, CABLE_EDITORS)
    if editors:
        q |= Q(post_id__in=posts_with(user, [Role.CHIEF]))
        q |= Q(post_id__in=posts_with(user, [Role.ATTACHE]), channel__in=[Channel.POST, Channel.ATTACHE])
    diplomat = posts_with(user, [Role.DIPLOMAT])
    if diplomat:
        q |= Q(post_id__in=diplomat, status=CableStatus.RELEASED, channel=Channel.POST)
    return q


def visible_q(user, model) -> Q:
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
        return _cable_q(user)
    if label == "contacts.post":
        return Q(pk__in=list(roles(user)))
    if label == "contacts.membership":
        return Q(post_id__in=posts_with(user, USER_MANAGERS)) | Q(user=user)
    if label == "reports.auditevent":
        # Events of the post, and the sign-in events (no post) of the post's members.
        from contacts.models import Membership

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


def reportable(model, post) -> QuerySet:
    """Records of `post` that may go into a cable drafted without a user (a Celery task).

    Never the restricted channel: a draft's readers are the post's attachés and chief, and a
    restricted record is for its owner and named grantees only. The cable then takes the
    narrowest channel of what it includes (DESIGN §3).
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
        raise Http404("No such record.") from exc
    except Exception as exc:
        if exc.__class__.__name__ in {"DoesNotExist", "MultipleObjectsReturned", "ValidationError"}:
            raise Http404("No such record.") from exc
        raise


def is_visible(user, obj: Model) -> bool:
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


# ---------------------------------------------------------------- what they may do


def _owns(user, obj) -> bool:
    return getattr(obj, f"{_owner_field(type(obj))}_id", None) == user.pk


def can(user, action: str, obj: Model | None = None, *, model=None, post=None) -> bool:
    """May this user do `action` to `obj` (or, for `add`, to a new `model` at `post`)?

    Actions: view, add, change, delete, grant, release, widen, view_restricted_notes,
    view_audit, manage_users. `obj` must already be visible for anything but `add`.
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
    if label == "reports.cable":
        if action in {"add", "change", "delete"}:
            return role in CABLE_EDITORS and (obj is None or not obj.is_released)
        if action in {"release", "widen"}:
            # Widening a cable's channel past its sources is the chief's decision, like release.
            return role in CABLE_RELEASERS and obj is not None and not obj.is_released
        return False
    if label in CHILD_MODELS:
        parent_field, _ = CHILD_MODELS[label]
        parent = getattr(obj, parent_field) if obj is not None else None
        return can(user, "change", parent) if parent is not None else role in CONTENT_WRITERS
    if action == "grant":
        return obj is not None and obj.channel == Channel.RESTRICTED and (role == Role.CHIEF or _owns(user, obj))
    if action in {"add", "change", "delete"}:
        writers = ACTION_ITEM_WRITERS if label == "engagements.actionitem" else CONTENT_WRITERS
        if role not in writers:
            return False
        if obj is not None and obj.channel == Channel.RESTRICTED and not _owns(user, obj):
            return False
        return True
    return False


def require(user, action: str, obj: Model | None = None, *, model=None, post=None, request=None) -> None:
    """Raise PermissionDenied (and audit it) unless `can(...)`."""
    if can(user, action, obj, model=model, post=post):
        return
    from attache_crm import audit

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
    raise PermissionDenied


def can_see_restricted_notes(user, post) -> bool:
    """restricted_notes are attaché channel whatever the record's channel."""
    return role_at(user, post) in RESTRICTED_NOTES_READERS


def writable_posts(user, model) -> list[int]:
    """Posts where this user may create records of this model."""
    return [post_id for post_id in roles(user) if can(user, "add", model=model, post=post_id)]
