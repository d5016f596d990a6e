"""Addresses of DESIGN §6."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/tokens/", include("apitokens.urls")),
    path("accounts/", include("attache_crm.accounts.urls")),
    path("grants/", include("tenancy.grants")),
    path("", include("tenancy.urls")),
    path("", include("contacts.urls")),
    path("", include("engagements.urls")),
    path("", include("reports.urls")),
    path("api/", include("attache_crm.api_urls")),
    # The admin signs in through the one login page (notice and consent, lockout, second factor).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler404 = "attache_crm.views.page_not_found"
handler500 = "attache_crm.views.server_error"
handler403 = "attache_crm.views.permission_denied"
