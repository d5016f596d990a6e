"""The counterpart and organization pages: a contact with the engagements it takes part in.

They live here, above contacts, because they show both: contacts knows nothing of engagements.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from attache_crm import kept_panels
from contacts import selectors as contact_selectors
from contacts import services as contact_services
from contacts.forms import CounterpartMergeForm
from contacts.models import Counterpart
from tenancy import audit, policy
from tenancy.history import history_for
from tenancy.markings import highest_marking

from . import merge, selectors
from .models import Meeting
from .timeline import counterpart_timeline
from .timeline_filter import TimelineFilterForm


@login_required
@require_GET
def counterpart_detail(request, pk):
    try:
        counterpart = contact_selectors.visible_counterpart(request.user, pk)
    except Http404:
        survivor = contact_selectors.merged_survivor(request.user, pk)
        if survivor is None:
            raise
        return redirect(survivor)
    page = kept_panels.kept(
        "counterpart",
        request,
        lambda: _counterpart_page(request, counterpart),
        variant=f"{pk}?{request.GET.urlencode()}",
    )
    audit.viewed(request, counterpart)
    context = {"counterpart": counterpart, **page}
    return render(request, "contacts/counterpart_detail.html", context, status=page["status"])


# The parts of the page kept per reader (attache_crm.kept_panels). The quick capture form and the
# grants panel carry the request's CSRF token: they are drawn for each request, around them.
KEPT_PARTS = {
    "top": "contacts/_counterpart_top.html",
    "timeline": "contacts/_counterpart_timeline.html",
    "history": "engagements/_history.html",
}


def _counterpart_page(request, counterpart) -> dict:
    """The page's kept parts as HTML, and what the page around them needs.

    Reads from the request only the user and the query string (the timeline's filters and page),
    which with the counterpart's id name the kept value."""
    appointments = contact_selectors.counterpart_page_top(request.user, counterpart)
    timeline_filter = TimelineFilterForm(request.GET)
    today = contact_services.post_today(counterpart.post)
    timeline = counterpart_timeline(
        request.user,
        counterpart,
        request.GET.get("page"),
        query=timeline_filter.query(),
        appointments=appointments,
        today=today,
    )
    context = {
        "counterpart": counterpart,
        "appointments": appointments,
        "timeline": timeline,
        "timeline_filter": timeline_filter,
        "show_restricted_notes": policy.can_see_restricted_notes(request.user, counterpart.post),
        "can_change": policy.can(request.user, "change", counterpart),
        "can_merge": policy.can(request.user, "merge", counterpart),
        "history": history_for(request.user, counterpart),
        "can_log_meeting": policy.can(request.user, "add", model=Meeting, post=counterpart.post),
        "today": today,
    }
    return {
        "kept": {part: render_to_string(template, context, request=request) for part, template in KEPT_PARTS.items()},
        "can_log_meeting": context["can_log_meeting"],
        "page_marking": contact_selectors.page_marking(counterpart, counterpart.organization, timeline),
        # A filter it cannot read is answered 400, with the reason beside it (everything is shown).
        "status": 400 if timeline_filter.errors else 200,
    }


@login_required
@require_http_methods(["GET", "POST"])
def counterpart_merge(request, pk):
    """Merge another record of the same person into this one: pick it (?with=<id>, found by name
    with ?q=), choose each differing field side by side, confirm."""
    counterpart = policy.get_visible_or_404(request.user, Counterpart, pk=pk)
    policy.require(request.user, "merge", counterpart, request=request)
    other_id = request.POST.get("with") or request.GET.get("with")
    if not (other_id or "").isdigit():
        query = request.GET.get("q", "").strip()[:100]
        context = {
            "counterpart": counterpart,
            "q": query,
            "choices": contact_selectors.merge_choices(request.user, counterpart, query),
            "page_marking": counterpart.marking,
        }
        status = 400 if request.method == "POST" else 200  # a merge posted without the other record
        return render(request, "contacts/counterpart_merge_pick.html", context, status=status)
    other = policy.get_visible_or_404(
        request.user, Counterpart.objects.filter(post_id=counterpart.post_id), pk=other_id
    )
    policy.require(request.user, "merge", other, request=request)
    form = CounterpartMergeForm(request.POST or None, survivor=counterpart, other=other, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            survivor = merge.counterpart_merge(survivor=counterpart, merged=other, by=request.user, take=form.taken())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(survivor)
    context = {
        "counterpart": counterpart,
        "other": other,
        "form": form,
        "page_marking": highest_marking([counterpart.marking, other.marking]),
    }
    return render(
        request, "contacts/counterpart_merge.html", context, status=400 if form.is_bound and form.errors else 200
    )


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
