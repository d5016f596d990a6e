"""The counterpart and organization pages: a contact with the engagements it takes part in.

They live here, above contacts, because they show both: contacts knows nothing of engagements.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contacts import selectors as contact_selectors
from contacts import services as contact_services
from tenancy import audit, policy

from . import selectors
from .models import Meeting
from .timeline import counterpart_timeline


@login_required
@require_GET
def counterpart_detail(request, pk):
    counterpart = contact_selectors.counterpart_detail(request.user, pk)
    appointments = contact_selectors.counterpart_appointments(request.user, counterpart)
    timeline = counterpart_timeline(request.user, counterpart, request.GET.get("page"))
    context = {
        "counterpart": counterpart,
        "appointments": appointments,
        "timeline": timeline,
        "show_restricted_notes": policy.can_see_restricted_notes(request.user, counterpart.post),
        "can_change": policy.can(request.user, "change", counterpart),
        "can_log_meeting": policy.can(request.user, "add", model=Meeting, post=counterpart.post),
        "today": contact_services.post_today(counterpart.post),
        "page_marking": contact_selectors.page_marking(counterpart, counterpart.organization, timeline),
    }
    audit.viewed(request, counterpart)
    return render(request, "contacts/counterpart_detail.html", context)


@login_required
@require_GET
def organization_detail(request, pk):
    organization = contact_selectors.organization_detail(request.user, pk)
    relations = {
        **contact_selectors.organization_relations(request.user, organization),
        "agreements": selectors.organization_agreements(request.user, organization),
    }
    context = {
        "organization": organization,
        **relations,
        "can_change": policy.can(request.user, "change", organization),
        "page_marking": contact_selectors.page_marking(organization, organization.parent, *relations.values()),
    }
    audit.viewed(request, organization)
    return render(request, "contacts/organization_detail.html", context)
