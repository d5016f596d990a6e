"""The clearance chain of a draft: who drafted it, who was asked to clear it and when they did.

The chief (or an attaché the chief names as coordinator) asks colleagues to clear; each clearance
is a dated record; the chief's release is the approval, and the released text names all three.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tenancy import audit, policy
from tenancy.choices import Role
from tenancy.models import Membership

from .models import Cable, CableFrozen, Clearance

CLEARERS_MAX = 20


def candidates(cable: Cable) -> QuerySet:
    """Who may be asked to clear: the post's attachés and chief (the readers of drafts)."""
    members = Membership.objects.filter(post=cable.post, role__in=policy.CABLE_EDITORS, user__is_active=True)
    return get_user_model().objects.filter(pk__in=members.values("user_id")).order_by("last_name", "username")


def coordinators(cable: Cable) -> QuerySet:
    """Whom the chief may name to gather clearances: the post's attachés."""
    members = Membership.objects.filter(post=cable.post, role=Role.ATTACHE, user__is_active=True)
    return get_user_model().objects.filter(pk__in=members.values("user_id")).order_by("last_name", "username")


def _lock_draft(cable: Cable) -> Cable:
    cable = Cable.objects.select_for_update().select_related("post").get(pk=cable.pk)
    if cable.is_released:
        raise CableFrozen()
    return cable


def coordinator_name(*, cable: Cable, by, coordinator, request=None) -> Cable:
    """The chief names (or, with None, stops naming) the attaché who gathers clearances."""
    with transaction.atomic():
        cable = _lock_draft(cable)
        policy.require(by, "release", cable, request=request)
        if coordinator is not None and not coordinators(cable).filter(pk=coordinator.pk).exists():
            raise ValidationError({"coordinator": "Only an attaché of this post can gather clearances."})
        cable.clearance_coordinator = coordinator
        cable.save(update_fields=["clearance_coordinator", "updated_at"])
        who = coordinator.get_username() if coordinator is not None else "nobody"
        audit.record(action="clearance", user=by, request=request, obj=cable, detail=f"coordinator: {who}")
    return cable


def clearance_request(*, cable: Cable, by, clearers, request=None) -> list[Clearance]:
    """Ask colleagues to clear a draft; someone already asked is not asked twice."""
    clearers = list(clearers)
    if not clearers:
        raise ValidationError({"clearers": "Choose at least one colleague."})
    if len(clearers) > CLEARERS_MAX:
        raise ValidationError({"clearers": f"At most {CLEARERS_MAX} at a time."})
    with transaction.atomic():
        cable = _lock_draft(cable)
        policy.require(by, "request_clearance", cable, request=request)
        allowed = set(candidates(cable).filter(pk__in=[u.pk for u in clearers]).values_list("pk", flat=True))
        if any(user.pk not in allowed for user in clearers):
            raise ValidationError({"clearers": "Only the post's attachés and chief clear a draft."})
        asked = set(cable.clearances.values_list("clearer_id", flat=True))
        created = []
        for user in clearers:
            if user.pk in asked:
                continue
            created.append(Clearance.objects.create(cable=cable, clearer=user, requested_by=by))
            asked.add(user.pk)
            audit.record(action="clearance", user=by, request=request, obj=cable, detail=f"asked {user.get_username()}")
    return created


def clearance_give(*, cable: Cable, by, request=None) -> Clearance:
    """A colleague asked to clear the draft clears it (dated)."""
    with transaction.atomic():
        cable = _lock_draft(cable)
        policy.require(by, "clear", cable, request=request)
        clearance = cable.clearances.select_for_update().get(clearer=by, cleared_at__isnull=True)
        clearance.cleared_at = timezone.now()
        clearance.save(update_fields=["cleared_at"])
        audit.record(action="clearance", user=by, request=request, obj=cable, detail="cleared")
    return clearance


def pending(cable: Cable) -> list[Clearance]:
    """Who was asked and has not cleared yet (what the chief looks at before releasing)."""
    return [c for c in cable.clearances.all() if not c.is_cleared]
