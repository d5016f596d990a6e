"""Template tags that let other apps' pages show cable panels without knowing the cable rules."""

from django import template

from reports import selectors
from reports.models import Cable
from tenancy import policy
from tenancy.markings import Channel

register = template.Library()


@register.inclusion_tag("reports/_dashboard_cable_panel.html", takes_context=True)
def weekly_cable_panel(context):
    """'This week's cable' on the dashboard, for those who draft or release cables."""
    user = context["request"].user
    editor = policy.has_role(user, policy.CABLE_EDITORS)
    if not editor:
        return {"show": False, "cable": None}
    # The page may have read it already (the dashboard, for its marking banner).
    cable = context["weekly_cable"] if "weekly_cable" in context else selectors.current_weekly_summary(user)
    return {"show": True, "cable": cable}


@register.simple_tag(takes_context=True)
def can_draft_contact_report(context, meeting) -> bool:
    """May the user draft a contact report from this meeting (never from a restricted one)?"""
    user = context["request"].user
    return meeting.channel != Channel.RESTRICTED and policy.can(user, "add", model=Cable, post=meeting.post_id)
