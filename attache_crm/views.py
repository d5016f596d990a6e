"""Site-wide pages: the dashboard, the health check and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from engagements import selectors as engagement_selectors
from operations import health
from reports import selectors as report_selectors
from tenancy import policy
from tenancy.markings import highest_marking


@login_required
@require_GET
def dashboard(request):
    context = engagement_selectors.dashboard_for(request.user)
    # The cable panel is drawn below the top banner, so its cable's marking is counted here.
    if policy.has_role(request.user, policy.CABLE_EDITORS):
        cable = report_selectors.current_weekly_summary(request.user)
        # The panel (reports' weekly_cable_panel tag) shows this one: not read a second time.
        context["weekly_cable"] = cable
        if cable is not None:
            context["page_marking"] = highest_marking([context["page_marking"], cable.marking])
    return render(request, "dashboard.html", context)


@require_GET
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; the scheduler's last runs in the body."""
    status, body = health.report()
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _refusal(exception, kinds) -> str:
    """The message of a refusal the policy or a service raised (the API answers with the same
    words); other 404s and 403s (an unknown address, a CSRF failure) keep the page's own text."""
    return str(exception) if isinstance(exception, kinds) else ""


def page_not_found(request, exception=None):
    return render(request, "404.html", {"refusal": _refusal(exception, policy.NotFound)}, status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"refusal": _refusal(exception, policy.Denied)}, status=403)


def server_error(request):
    return render(request, "500.html", status=500)
