"""Django's database session store, refusing session keys that no session of ours can have.

Django reads the session cookie as given (its cookie parser even turns a quoted "\\000" into a
NUL character) and looks the key up in the database; PostgreSQL refuses a NUL in a query
parameter with an error that Django's store does not catch, so a forged cookie answered 500 on
every page. Our keys are 32 lower-case letters and digits (Django's default): anything else is
treated as no session at all, like an unknown key.
"""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

VALID_KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and VALID_KEY.fullmatch(key) is not None
