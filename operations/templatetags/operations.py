"""The scheduler panel of the dashboard, for the chief of mission and the post administrator."""

from django import template

from operations.selectors import scheduler_status
from tenancy import policy

register = template.Library()


@register.inclusion_tag("operations/_scheduler_panel.html", takes_context=True)
def scheduler_panel(context):
    """When the scheduler last ran, with a warning when it is late (one query, only for those who watch it)."""
    user = context["request"].user
    watcher = policy.has_role(user, policy.SCHEDULER_WATCHERS)
    return {"show": watcher, "status": scheduler_status() if watcher else None}
