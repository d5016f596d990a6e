"""Django's PostgreSQL backend (psycopg2), its persistent connection checked at most every few seconds.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request: one more
round trip to the database on every page, the cost of a whole query on the lightest ones. Here a
connection is checked again only when its last check is HEALTH_CHECK_SECONDS old.

What that leaves: after the database restarts, a request within those seconds may meet the dead
connection and fail (a 500 page, or a 503 from /healthz); Django then closes the connection at
the end of that request (a connection error marks it unusable), and the next request opens a
new one.
"""

import time

from django.db.backends.postgresql import base

HEALTH_CHECK_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    checked_at = float("-inf")

    def connect(self):
        super().connect()
        self.checked_at = time.monotonic()

    def close_if_health_check_failed(self):
        if self.connection is not None and time.monotonic() - self.checked_at < HEALTH_CHECK_SECONDS:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
        if self.connection is not None:
            self.checked_at = time.monotonic()
