"""Session hardening that Django does not provide out of the box."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from attache_crm.session_store import TOUCH_SECONDS

SESSION_STARTED_AT = "_started_at"
SESSION_LAST_SEEN = "_last_seen"
# Requests that a page makes on its own (htmx polling) send this header: they must not keep an
# idle session alive, or a dashboard left open would never time out.
BACKGROUND_HEADER = "X-Background-Request"


class AbsoluteSessionLimitMiddleware:
    """End a session 12 hours after login however active it was, and 15 minutes after the last request.

    Django's own idle expiry (SESSION_COOKIE_AGE renewed by SESSION_SAVE_EVERY_REQUEST) already
    drops an idle session row; the last-seen stamp repeats that check so that background requests,
    which renew the row, still do not count as activity. The stamp moves once a minute at most
    (TOUCH_SECONDS), so that a session is not written on every request: the idle timeout then
    ends a session between 14 and 15 minutes after its last request. Placed after the
    authentication middleware so that the logout is audited with its user and its reason.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request):
        session, now = request.session, time.time()
        started_at = session.setdefault(SESSION_STARTED_AT, now)
        last_seen = session.get(SESSION_LAST_SEEN, now)
        if now - started_at > settings.SESSION_ABSOLUTE_LIMIT.total_seconds():
            reason = "absolute session limit"
        elif now - last_seen > settings.SESSION_COOKIE_AGE:
            reason = "idle timeout"
        else:
            # Kept to the minute, as the session store writes: a request within a minute of the
            # recorded one changes nothing, and the session is not written again.
            if not request.headers.get(BACKGROUND_HEADER) and now - last_seen >= TOUCH_SECONDS:
                session[SESSION_LAST_SEEN] = now
            return
        request.session_end_reason = reason
        # logout() flushes the session and sets request.user to AnonymousUser; the audit
        # receiver of user_logged_out reads the reason from the request.
        logout(request)


class SecondFactorMiddleware:
    """Until the second factor is verified, a user who needs one reaches only the sign-in pages.

    Required for the `admin` role and for operators (superusers), and for anyone who enrolled an
    authenticator app (it is optional for everyone else). Needs django_otp's OTPMiddleware before it.
    """

    OPEN_VIEWS = {"login", "logout", "consent", "otp_verify", "otp_setup", "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from attache_crm.accounts import otp

        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.url_name in self.OPEN_VIEWS:
            return None
        if not otp.is_required(user, request.session):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "A second factor is required: sign in through the web page."}, status=403)
        step = "otp_verify" if otp.confirmed_devices(user).exists() else "otp_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
