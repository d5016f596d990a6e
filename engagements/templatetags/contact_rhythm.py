"""The counterpart page's stay-in-touch line and meeting sparkline, as one tag: the page adds it
with one line and the counterpart view needs no change."""

from django import template
from django.utils import timezone

from engagements import charts, stay_in_touch

register = template.Library()


@register.inclusion_tag("engagements/_contact_rhythm.html", takes_context=True)
def contact_rhythm(context, counterpart):
    """Cadence, last contact and status (stay_in_touch), and meetings per month over a year
    (charts), both counting the conducted meetings with the counterpart the reader may see.

    The page's timeline, when nothing narrows it, has already read those meetings
    (`conducted_meetings_at`): no query then. Otherwise two, both through the policy.
    """
    user = context["request"].user
    today = context.get("today")
    conducted_at = getattr(context.get("timeline"), "conducted_meetings_at", None)
    if conducted_at is None:
        stay_in_touch.attach(user, [counterpart], today)
        chart = charts.meetings_per_month(user, counterpart, today)
    else:
        last_contact = max(conducted_at, default=None)
        counterpart.stay_in_touch = stay_in_touch.rhythm(counterpart, last_contact, today or timezone.localdate())
        chart = charts.meetings_per_month_at(conducted_at, today)
    return {"counterpart": counterpart, "rhythm": counterpart.stay_in_touch, "chart": chart}
