"""HTML views of cables and the audit log."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attache_crm import policy

from .models import AuditEvent, Cable


@login_required
@require_GET
def cable_list(request):
    cables = policy.visible(request.user, Cable).select_related("post")[:50]
    return render(request, "reports/cable_list.html", {"cables": cables})


@login_required
@require_GET
def audit_list(request):
    policy.require(request.user, "view_audit", request=request)
    events = policy.visible(request.user, AuditEvent).select_related("user")[:100]
    return render(request, "reports/audit_list.html", {"events": events})
