"""Session hardening that Django does not provide out of the box."""

import time

from django.conf import settings
from django.contrib.auth import logout

SESSION_STARTED_AT = "_started_at"


class AbsoluteSessionLimitMiddleware:
    """End a session a fixed time after login, however active it has been.

    The idle timeout is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST);
    this adds the absolute limit on top of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        started_at = session.get(SESSION_STARTED_AT)
        limit = settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
        if started_at is not None and time.time() - started_at > limit:
            # logout() flushes the session; the auth middleware then sees an anonymous user.
            from django.contrib.auth.models import AnonymousUser

            request.user = AnonymousUser()
            logout(request)
        return self.get_response(request)
