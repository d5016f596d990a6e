"""Site-wide pages: the dashboard, the health check and the error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attache_crm import policy
from attache_crm.markings import highest_marking
from engagements import selectors as engagement_selectors
from engagements.views import in_home_timezone
from reports import selectors as report_selectors


@login_required
@in_home_timezone
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
    """200 when the database and the broker answer, 503 otherwise."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    status = 200 if all(checks.values()) else 503
    return JsonResponse({name: "ok" if ok else "unavailable" for name, ok in checks.items()}, status=status)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_ok() -> bool:
    from attache_crm.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return render(request, "500.html", status=500)
