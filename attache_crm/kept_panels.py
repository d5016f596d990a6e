"""Panels kept per reader: the parts of a page that cost many queries (the dashboard's panels, a
counterpart's timeline), served again from the shared cache while nothing has been written.

A kept panel is the HTML (and the values the page around it needs, such as its marking) built for
one user by the same selectors and templates as always, through the access policy. It is served
again only to that user of that database, only under the write generation it was built at
(tenancy.writes: any committed write moves it on), and only within the minute it was built in,
so that what depends on the time (meetings ahead, what is overdue today) is never more than a
minute behind.

The generation a panel is kept under is the one read when its request began
(GenerationSnapshotMiddleware), before the request read anything from the database — the user's
roles, the record shown. A write that commits while the request runs moves the generation past
that snapshot, so what the request built from the older rows is kept under a generation nobody
asks for again. Read later, the generation could already count a write that the rows read before
it do not show, and the page built from them would be served as current.

Panels are kept only in a cache every process shares (the "pages" alias: Redis when REDIS_URL is
set). Without one — the embedded defaults, the tests — nothing is kept and every panel is built
for its request, as it would be on a miss. When the cache fails, the panel is built and not kept.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import DatabaseError
from redis.exceptions import RedisError

from tenancy import writes

T = TypeVar("T")
# A panel is asked for under its minute's key only until that minute ends: it is kept that long,
# and this much longer for the clocks of the processes and of Redis to differ.
SLACK_SECONDS = 2

logger = logging.getLogger(__name__)


def _cache():
    """The shared cache panels are kept in, or None when there is none (a dummy)."""
    cache = caches[writes.CACHE_ALIAS]
    return None if isinstance(cache, DummyCache) else cache


class GenerationSnapshotMiddleware:
    """Reads the write generation as the request begins (`request.write_generation`; None when
    nothing can be kept: no shared cache, or the cache or the database did not answer). Placed
    before the session and authentication middleware, which read the user and their roles."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.write_generation = None
        if request.method in ("GET", "HEAD") and _cache() is not None:
            try:
                request.write_generation = writes.generation()
            except (RedisError, DatabaseError):
                logger.warning("Kept panels unavailable: the write generation could not be read.", exc_info=True)
        return self.get_response(request)


def _key(name: str, user, variant: str, generation: int, minute: int) -> str:
    digest = hashlib.blake2b(variant.encode(), digest_size=12).hexdigest()
    return f"panel:{writes.database_id()}:{name}:{user.pk}:{generation}:{minute}:{digest}"


def kept(name: str, request, build: Callable[[], T], *, variant: str = "") -> T:
    """`build()`'s value for the request's user, kept until the next write or the next minute.

    `variant` names everything besides the user and the time that the value depends on (the
    record shown, the filters applied); `build` must read nothing else from the request. A request
    without a generation snapshot (a method other than GET or HEAD, no shared cache, a cache or
    database that did not answer) builds and keeps nothing."""
    cache, generation = _cache(), getattr(request, "write_generation", None)
    if cache is None or generation is None:
        return build()
    now = time.time()
    minute = int(now // 60)
    key = _key(name, request.user, variant, generation, minute)
    try:
        value = cache.get(key)
    except RedisError:
        logger.warning("Kept panels unavailable: the cache did not answer.", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, (minute + 1) * 60 - int(now) + SLACK_SECONDS)
        except RedisError:
            logger.warning("A panel could not be kept: the cache did not answer.", exc_info=True)
    return value
