"""Reads of the people pages: only the accounts the services would let this administrator change."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apitokens.models import TokenScope
from tenancy.models import Membership

from . import services


def people(by) -> QuerySet:
    """The accounts `by` manages, with their memberships at `by`'s posts, device, live API token and
    live calendar feed counts."""
    memberships = Membership.objects.select_related("post").order_by("post__code")
    if not services.is_operator(by):
        memberships = memberships.filter(post_id__in=services.managed_post_ids(by))
    return (
        services.manageable_users(by)
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="managed_memberships"))
        .annotate(
            devices=Count("totpdevice", filter=Q(totpdevice__confirmed=True), distinct=True),
            live_tokens=_live_tokens(TokenScope.API),
            live_feeds=_live_tokens(TokenScope.CALENDAR),
        )
        .order_by("username")
    )


def _live_tokens(scope: str) -> Count:
    """The person's tokens of one scope (API, calendar feed) that are neither revoked nor expired."""
    live = Q(api_tokens__scope=scope, api_tokens__revoked_at__isnull=True, api_tokens__expires_at__gt=timezone.now())
    return Count("api_tokens", filter=live, distinct=True)


def locked_out(by) -> QuerySet:
    """Current lockouts of the accounts `by` manages."""
    return AccessAttempt.objects.filter(
        username__in=services.manageable_users(by).values("username"),
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    ).order_by("-attempt_time")
