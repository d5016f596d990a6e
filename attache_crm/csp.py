"""The Content-Security-Policy header, built once per process.

django-csp's middleware builds the policy from the settings on every response, and its
report-only twin too. Ours is the same for every response unless a view changes it (django-csp's
decorators) or a page takes a nonce, and no page does either; such a response would still be
handled by django-csp itself, unchanged.
"""

from functools import cache

from csp import middleware
from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings

# What a view can set on its response to change its policy (django-csp's decorators).
PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@cache
def site_policy() -> str:
    return build_policy()


class CSPMiddleware(middleware.CSPMiddleware):
    def process_response(self, request, response):
        if not self._is_site_policy(request, response):
            return super().process_response(request, response)
        if HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = site_policy()
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _is_site_policy(request, response) -> bool:
        return (
            getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in PER_RESPONSE)
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            and not settings.DEBUG
        )
