"""Panels kept per reader: the parts of a page that cost many queries (the dashboard's panels, a
counterpart's timeline), served again from the shared cache while nothing has been written.

A kept panel is the HTML (and the values the page around it needs, such as its marking) built for
one user by the same selectors and templates as always, through the access policy. It is served
again only to that user of that database, only under the write generation it was built at
(tenancy.writes: any committed write moves it on), and only within the minute it was built in,
so that what depends on the time (meetings ahead, what is overdue today) is never more than a
minute behind.

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
from redis.exceptions import RedisError

from tenancy import writes

T = TypeVar("T")
# Seconds a panel may be served: up to the end of the minute it was built in, plus slack.
LIFETIME = 120

logger = logging.getLogger(__name__)


def _key(name: str, user, variant: str, generation: int) -> str:
    minute = int(time.time() // 60)
    digest = hashlib.blake2b(variant.encode(), digest_size=12).hexdigest()
    return f"panel:{writes.database_id()}:{name}:{user.pk}:{generation}:{minute}:{digest}"


def kept(name: str, user, build: Callable[[], T], *, variant: str = "") -> T:
    """`build()`'s value for this user, kept until the next write or the next minute.

    `variant` names everything besides the user and the time that the value depends on (the
    record shown, the filters applied); `build` must read nothing else from the request."""
    cache = caches[writes.CACHE_ALIAS]
    if isinstance(cache, DummyCache):
        return build()
    try:
        key = _key(name, user, variant, writes.generation())
        value = cache.get(key)
    except RedisError:
        logger.warning("Kept panels unavailable: the cache did not answer.", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, LIFETIME)
        except RedisError:
            logger.warning("A panel could not be kept: the cache did not answer.", exc_info=True)
    return value
