"""{% grants_for record as g %}: what the grants panel of a record's page shows, if anything."""

from django import template

from tenancy import grants, policy

register = template.Library()


@register.simple_tag(takes_context=True)
def grants_for(context, record):
    """None unless the current user may grant this record (its owner or the chief, restricted channel)."""
    request = context.get("request")
    if record is None or request is None or not policy.can(request.user, "grant", record):
        return None
    given = list(grants.grantees(record))
    candidates = [u for u in grants.grant_candidates(record) if u not in given]
    return {"url": grants.grants_url(record), "grantees": given, "candidates": candidates}
