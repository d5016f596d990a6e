"""The counterpart page's stay-in-touch line and meeting sparkline, as one tag: the page adds it
with one line and the counterpart view needs no change."""

from django import template

from engagements import charts, stay_in_touch

register = template.Library()


@register.inclusion_tag("engagements/_contact_rhythm.html", takes_context=True)
def contact_rhythm(context, counterpart):
    """Cadence, last contact and status (stay_in_touch), and meetings per month over a year
    (charts): two queries, both through the policy for the reader of the page."""
    user = context["request"].user
    today = context.get("today")
    stay_in_touch.attach(user, [counterpart], today)
    return {
        "counterpart": counterpart,
        "rhythm": counterpart.stay_in_touch,
        "chart": charts.meetings_per_month(user, counterpart, today),
    }
