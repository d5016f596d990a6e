"""The application's addresses plus /bench/ok, the ceiling of the benchmark (bench settings only)."""

from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    """Through every middleware (session, auth, CSP …) but no query of its own and no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok", ok, name="bench_ok"),
    path("", include("attache_crm.urls")),
]

handler404 = "attache_crm.views.page_not_found"
handler500 = "attache_crm.views.server_error"
handler403 = "attache_crm.views.permission_denied"
