"""What every page's frame needs: the user's post and role (header) and the page marking (banners)."""

from attache_crm import policy
from attache_crm.markings import Marking


def post_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_memberships": []}
    from contacts.models import Membership

    memberships = list(Membership.objects.filter(user=user).select_related("post"))
    return {
        "current_memberships": memberships,
        "current_membership": memberships[0] if memberships else None,
        "user_roles": policy.roles(user),
        "MARKINGS": Marking,
        "can_view_audit": policy.can(user, "view_audit"),
        "can_manage_people": policy.can(user, "manage_users"),
    }
