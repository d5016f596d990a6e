"""The application's addresses plus the two floors of the benchmark (bench settings only): /bench/ok
through every middleware, and /bench/bare, the same view served by Django without any middleware
(bench/wsgi.py routes it to a handler that has none)."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    """Through every middleware (session, auth, CSP …) but no query of its own and no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok", ok, name="bench_ok"),
    path("bench/bare", ok, name="bench_bare"),
    path("", include("attache_crm.urls")),
]

handler404 = "attache_crm.views.page_not_found"
handler500 = "attache_crm.views.server_error"
handler403 = "attache_crm.views.permission_denied"
