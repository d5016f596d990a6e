"""What every page's frame needs: the user's post and role (header) and the page marking (banners)."""

from django.conf import settings

from attache_crm.navigation import header_roles, main_nav
from tenancy import policy
from tenancy.markings import Marking


def post_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"header_roles": []}
    # Callables: read only by the pages that show them (a fragment such as the type-ahead's
    # list costs no query), and once per request (policy.memberships keeps them on the user).
    flags = {
        # The post administrator reads no content: the content pages are not offered to them.
        "can_read_content": policy.has_role(user, policy.CONTENT_READERS),
        "can_view_audit": policy.can(user, "view_audit"),
        "can_manage_people": policy.can(user, "manage_users"),
    }
    return {
        "main_nav": lambda: main_nav(request.path, flags),
        "header_roles": lambda: header_roles(user),
        "user_roles": policy.roles(user),
        "MARKINGS": Marking,
        **flags,
        # The page warns before the idle limit (static/js/app.js).
        "idle_limit_seconds": settings.SESSION_COOKIE_AGE,
    }
