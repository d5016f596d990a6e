"""The audit log page, for the chief and the admin of a post."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import audit, policy
from .models import AuditEvent


@login_required
@require_GET
def audit_list(request):
    """The audit log of the chief's or admin's post(s), filtered and paginated."""
    policy.require(request.user, "view_audit", request=request)
    events = policy.visible(request.user, AuditEvent)
    form = audit.filter_form(request.GET or None, events)
    if form.is_bound:
        form.is_valid()
        events = audit.filtered_events(events, form.cleaned_data)
    page = Paginator(events.select_related("post"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "events": page.object_list, "query": query.urlencode()}
    return render(request, "tenancy/audit_list.html", context, status=400 if form.errors else 200)
