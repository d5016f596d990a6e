"""Nothing typed is lost when a session ends under a form.

A form sent after the session ended (the 15-minute idle limit, or the 12-hour one) meets the sign-in
redirect instead of its view. Its fields are kept in the new, anonymous session; once the same
person has accepted the notice and signed in, the request is sent again exactly as it was: saved
when it is valid, or shown again in its form with its errors.

The replay skips the CSRF check, which is safe because only a request that passed it is ever kept
(the CSRF middleware refuses a forged request before the view's sign-in redirect), it is replayed to
the same address only, and only for the person who last signed in on this browser (a signed cookie
names them: the session that would tell is gone by then), within KEEP_FOR.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import resolve_url

UNSENT = "_unsent_form"
KEEP_FOR = 60 * 60  # seconds
NOT_KEPT = ("/api/", "/accounts/", "/admin/")
OWNER_COOKIE = "last_signed_in"
OWNER_SALT = "attache_crm.unsent"


class KeepUnsentFormMiddleware:
    """Keeps a form refused for want of a session; sends it again after sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.user.is_authenticated and UNSENT in request.session:
            self._replay(request)
        response = self.get_response(request)
        if self._refused_for_sign_in(request, response):
            self._keep(request)
        elif request.user.is_authenticated and _owner(request) != request.user.pk:
            response.set_signed_cookie(
                OWNER_COOKIE,
                str(request.user.pk),
                salt=OWNER_SALT,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    @staticmethod
    def _refused_for_sign_in(request, response) -> bool:
        login = resolve_url(settings.LOGIN_URL)
        return (
            request.method == "POST"
            and not request.user.is_authenticated
            and not request.path.startswith(NOT_KEPT)
            and response.status_code == 302
            and response.get("Location", "").startswith(login)
            and not request.FILES
        )

    @staticmethod
    def _keep(request) -> None:
        request.session[UNSENT] = {
            "path": request.path,
            "fields": {name: request.POST.getlist(name) for name in request.POST},
            "owner": _owner(request),
            "at": time.time(),
        }
        messages.info(request, "Your session had ended. What you sent is kept: sign in and it will be sent again.")

    @staticmethod
    def _replay(request) -> None:
        unsent = request.session[UNSENT]
        if unsent["path"] != request.path:
            return
        del request.session[UNSENT]
        fresh = time.time() - unsent["at"] < KEEP_FOR
        if not fresh or unsent["owner"] != request.user.pk:
            return
        data = QueryDict(mutable=True)
        for name, values in unsent["fields"].items():
            data.setlist(name, values)
        data._mutable = False
        request.method = "POST"
        request.POST = data
        request._dont_enforce_csrf_checks = True


def _owner(request) -> int | None:
    """The user who last signed in on this browser, from the signed cookie."""
    value = request.get_signed_cookie(OWNER_COOKIE, default=None, salt=OWNER_SALT)
    return int(value) if value and value.isdigit() else None
