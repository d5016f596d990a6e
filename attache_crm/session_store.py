"""The session store: read from a shared cache, written through to the database, and written at
most once a minute when nothing but the expiry would change.

- Idle timeout without a write per request. Sessions expire 15 minutes after their last write
  (SESSION_COOKIE_AGE, renewed by SESSION_SAVE_EVERY_REQUEST). A save that would change nothing
  but move the expiry by less than TOUCH_SECONDS is skipped, so a busy user costs one write a
  minute instead of one per request; the idle clock (attache_crm.middleware) is kept to the
  same minute. The session then ends between 14 and 15 minutes after the last request: early
  by under a minute, never late.
- Reads from the cache named by SESSION_CACHE_ALIAS (Redis in production, so every worker
  process sees a sign-out at once); the database stays the record, and a cache miss (Redis
  flushed or restarted) reads it from there. Without Redis the alias is a dummy cache: the
  database alone, since a per-process cache would keep a signed-out session alive in the other
  processes.
- Redis down or stalled: sessions are read from and written to the database alone, and signed-in
  pages keep working. Ending a session (signing out, or signing in, which replaces the session)
  needs the cache, though: it fails as a whole rather than leave the ended session in a cache
  that still serves it once Redis is back.
- A cached session is not trusted past its expiry by the cache's clock alone: the time of the
  last write is kept in the session and checked on every read.
- Malformed keys. Django reads the session cookie as given (its cookie parser even turns a
  quoted "\\000" into a NUL character) and looks the key up; PostgreSQL refuses a NUL in a query
  parameter with an error that Django's store does not catch, so a forged cookie answered 500
  on every page. Our keys are 32 lower-case letters and digits (Django's default): anything
  else is treated as no session at all, like an unknown key.
"""

import logging
import re
import time

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from redis.exceptions import RedisError

VALID_KEY = re.compile(r"[a-z0-9]{8,64}")
# An unchanged session is written again (its expiry renewed) only when its last write is this old.
TOUCH_SECONDS = 60
# When the session was last written (epoch seconds): kept inside the session itself.
SAVED_AT = "_saved_at"

logger = logging.getLogger(__name__)


class SessionStore(CachedDatabaseStore):
    cache_key_prefix = "attache_crm.session."

    def _validate_session_key(self, key):
        return bool(key) and VALID_KEY.fullmatch(key) is not None

    def load(self):
        data = self._cached_or_stored()
        saved_at = data.get(SAVED_AT)
        # The expiry passed explicitly: reading it from self would load the session again.
        if saved_at is not None and time.time() - saved_at >= self.get_expiry_age(expiry=data.get("_session_expiry")):
            self._session_key = None
            return {}
        return data

    def _cached_or_stored(self) -> dict:
        """The session's data from the cache, else from the database (then cached again); as
        Django's cached_db store reads it, with a cache that does not answer taken as a miss."""
        try:
            data = self._cache.get(self.cache_key)
        except RedisError:
            logger.warning("Sessions read from the database: the cache did not answer.", exc_info=True)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except RedisError:
            logger.warning("A session could not be cached: the cache did not answer.", exc_info=True)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except RedisError:
            logger.warning("Sessions read from the database: the cache did not answer.", exc_info=True)
        return DatabaseStore.exists(self, session_key)

    def save(self, must_create=False):
        now = time.time()
        if self.session_key and not must_create and not self.modified:
            saved_at = self._session.get(SAVED_AT)
            if saved_at is not None and 0 <= now - saved_at < TOUCH_SECONDS:
                return
        # Written into the data directly: the stamp alone does not make the session "modified".
        # A new session's data is not loaded (there is nothing to load yet), as Django does.
        self._get_session(no_load=must_create)[SAVED_AT] = now
        super().save(must_create)

    def delete(self, session_key=None):
        # The cache first: should it be unreachable, the sign-out fails as a whole rather than
        # leaving a session that the database no longer has but the cache still serves.
        session_key = session_key or self.session_key
        if session_key is None:
            return
        self._cache.delete(self.cache_key_prefix + session_key)
        DatabaseStore.delete(self, session_key)
