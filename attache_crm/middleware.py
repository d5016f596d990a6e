"""Request bounds and session hardening that Django does not provide out of the box."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import LazyObject, empty
from django.utils.http import urlencode

from attache_crm.accounts import otp
from attache_crm.api.errors import is_api_request, json_error
from attache_crm.session_store import TOUCH_SECONDS

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

SESSION_STARTED_AT = "_started_at"
SESSION_LAST_SEEN = "_last_seen"
# Requests that a page makes on its own (htmx polling) send this header: they must not keep an
# idle session alive, or a dashboard left open would never time out.
BACKGROUND_HEADER = "X-Background-Request"


class NoStoreMiddleware:
    """Tell browsers and proxies to keep no copy of any page, export or API answer.

    Nearly every response of the application carries post content (some of it restricted to the
    attaché channel) or account details: on a shared embassy workstation, a copy kept in the
    browser's cache would outlive the sign-out. Static files never reach this (whitenoise answers
    them first, with their own long-lived headers); a view that sets its own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class MethodNotAllowedPageMiddleware:
    """A page instead of the empty body Django answers with when an address is opened with a
    method it does not take (a POST-only action opened from the address bar or reloaded). Under
    /api/ the API's own JSON answer stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "content", b"") or is_api_request(request):
            return response
        allowed = " or ".join(method.strip() for method in response.get("Allow", "").split(",") if method.strip())
        page = render(request, "405.html", {"allowed": allowed or "another method"}, status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class BoundedInputMiddleware:
    """Refuse, before anything reads them, requests that no page or endpoint can honestly need.

    - a body announced larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413 (Django itself would read up
      to that size and then answer 400; DRF reads the stream past Django's check);
    - a NUL character in the query string or a submitted form: 400. PostgreSQL refuses NUL in
      text, so it could only end as a server error; no browser sends one.

    Under /api/ the answer is in the API's JSON error shape, elsewhere a plain 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body at all then
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MiB"
            return self._refuse(request, 413, "payload_too_large", f"The request body is larger than {limit}.")
        if _has_nul(request.GET) or (request.content_type in FORM_CONTENT_TYPES and _has_nul(request.POST)):
            return self._refuse(request, 400, "invalid", "The request contains a NUL character.")
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, code: str, message: str):
        if is_api_request(request):
            return json_error(status, code, message)
        return render(request, "400.html", {"message": message}, status=status)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


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


class ResolvedUserMiddleware:
    """Replace the lazy `request.user` by the user it stands for, once authentication and the
    second factor's state are known.

    Authentication and django_otp each wrap the user in a lazy object, so every attribute a page
    reads of it (the access policy reads a few hundred) passes through two proxies. Almost every
    request needs the user anyway, and one without a session cookie resolves to the anonymous
    user without a query.
    Needs django_otp's OTPMiddleware before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        while isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        request.user = user
        return self.get_response(request)


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
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.url_name in self.OPEN_VIEWS:
            return None
        if not otp.is_required(user, request.session):
            return None
        if request.path.startswith("/api/"):
            return json_error(
                403, "second_factor_required", "A second factor is required: sign in through the web page."
            )
        step = "otp_verify" if otp.confirmed_devices(user).exists() else "otp_setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
