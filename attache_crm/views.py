"""Site-wide pages: the dashboard, the health check and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from attache_crm import kept_panels
from attache_crm.api.errors import is_api_request, json_error
from engagements import selectors as engagement_selectors
from office import alerts as office_alerts
from operations import health
from reports import selectors as report_selectors
from tenancy import policy
from tenancy.markings import highest_marking


@login_required
@require_GET
def dashboard(request):
    if not policy.has_role(request.user, policy.CONTENT_READERS):
        # The post administrator: their work (people, lockouts, the audit log), no content panels.
        return render(request, "dashboard_admin.html")
    page = kept_panels.kept("dashboard", request, lambda: _dashboard_panels(request))
    return render(request, "dashboard.html", page)


def _dashboard_panels(request) -> dict:
    """The dashboard's panels as HTML, with the marking of what they show and whether the quick
    capture form goes above them; kept per user (attache_crm.kept_panels)."""
    context = engagement_selectors.dashboard_for(request.user)
    office = office_alerts.dashboard(request.user, today=context["today"])
    context |= office
    context["page_marking"] = highest_marking(
        [context["page_marking"], engagement_selectors.page_marking(*office.values())]
    )
    # The cable panel is drawn below the top banner, so its cable's marking is counted here.
    if policy.has_role(request.user, policy.CABLE_EDITORS):
        cable = report_selectors.current_weekly_summary(request.user)
        # The panel (reports' weekly_cable_panel tag) shows this one: not read a second time.
        context["weekly_cable"] = cable
        if cable is not None:
            context["page_marking"] = highest_marking([context["page_marking"], cable.marking])
    return {
        "panels": render_to_string("dashboard_panels.html", context, request=request),
        "page_marking": context["page_marking"],
        "can_log_meeting": context["can_log_meeting"],
    }


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


# Under /api/ every error, including those Django answers before or after DRF's views (an
# oversized body, a session that needs a second factor, a server error), keeps the API's JSON shape.


def bad_request(request, exception=None):
    if is_api_request(request):
        return json_error(400, "bad_request", "The request could not be read.")
    return render(request, "400.html", {"message": "The request could not be read."}, status=400)


def page_not_found(request, exception=None):
    refusal = _refusal(exception, policy.NotFound)
    if is_api_request(request):
        return json_error(404, "not_found", refusal or policy.NO_SUCH_RECORD)
    return render(request, "404.html", {"refusal": refusal}, status=404)


def permission_denied(request, exception=None):
    refusal = _refusal(exception, policy.Denied)
    if is_api_request(request):
        return json_error(403, "permission_denied", refusal or "You do not have permission to do this.")
    return render(request, "403.html", {"refusal": refusal}, status=403)


def server_error(request):
    if is_api_request(request):
        return json_error(500, "server_error", "Something went wrong; the error has been logged.")
    return render(request, "500.html", status=500)
