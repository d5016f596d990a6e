"""Optimistic concurrency: an ETag on every detail, If-Match on every change.

- GET of a record answers `ETag: "<version tag>"`, a digest of the record's identity and its
  `updated_at` (plus, for records edited through child rows such as cable paragraphs, of those).
- PUT, PATCH and the state-changing actions (agreement status, exercise phase, follow-up close,
  cable release) REQUIRE `If-Match` with that tag:
    * absent  -> 428 Precondition Required (nothing is changed);
    * stale   -> 412 Precondition Failed (nothing is changed);
    * `*`     -> matches any existing version (an explicit "overwrite whatever is there").
- The comparison happens inside the write's transaction, on the row locked with
  SELECT … FOR UPDATE, so two writers holding the same tag cannot both win.
"""

from __future__ import annotations

import hashlib

from django.db import transaction

from .errors import PreconditionFailed, PreconditionRequired


def etag_for(obj, extra: str = "") -> str:
    """A strong entity tag (quoted) for the current version of `obj`."""
    updated = getattr(obj, "updated_at", None)
    seed = f"{obj._meta.label_lower}:{obj.pk}:{updated.isoformat() if updated else ''}:{extra}"
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def parse_if_match(value: str) -> list[str]:
    """The entity tags of an If-Match header, quotes kept; weak tags never match (strong comparison)."""
    tags = [part.strip() for part in value.split(",") if part.strip()]
    return [tag for tag in tags if not tag.startswith("W/")]


def require_if_match(request) -> list[str]:
    """The If-Match tags of the request, or 428 when the header is missing."""
    value = request.headers.get("If-Match")
    if value is None or not value.strip():
        raise PreconditionRequired()
    return parse_if_match(value)


def check_if_match(tags: list[str], current: str) -> None:
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed()


def lock(obj):
    """The same row, re-read under SELECT … FOR UPDATE (call inside transaction.atomic)."""
    assert transaction.get_connection().in_atomic_block, "lock() must run inside a transaction"
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)
