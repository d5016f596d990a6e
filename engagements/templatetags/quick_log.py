"""{% quick_log_form counterpart %}: the short "log a meeting" form, on the counterpart page and the dashboard."""

from django import template
from django.urls import reverse

from engagements.models import Meeting
from engagements.quick import QuickMeetingForm, quick_initial
from tenancy import policy

register = template.Library()


@register.inclusion_tag("engagements/_quick_log.html", takes_context=True)
def quick_log_form(context, counterpart=None):
    """Drawn only for someone who may log a meeting there (the dashboard: at their first such post)."""
    user = context["request"].user
    if counterpart is not None:
        post = counterpart.post
        action = reverse("counterpart_meeting_quick", args=[counterpart.pk])
        full = reverse("counterpart_meeting_new", args=[counterpart.pk])
    else:
        posts = policy.writable_posts(user, Meeting)
        post = next((m.post for m in policy.memberships(user) if m.post_id in posts), None) if posts else None
        action, full = reverse("meeting_quick"), reverse("meeting_new")
    if post is None or not policy.can(user, "add", model=Meeting, post=post):
        return {"quick": None}
    form = QuickMeetingForm(initial=quick_initial(counterpart), user=user, post=post, shown=counterpart)
    return {"quick": form, "action": action, "full_form_url": full, "post": post, "next": context["request"].path}
