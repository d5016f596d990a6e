"""Addresses of DESIGN §6."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("attache_crm.accounts.urls")),
    path("", include("contacts.urls")),
    path("", include("engagements.urls")),
    path("", include("reports.urls")),
    path("api/", include("attache_crm.api_urls")),
    path("admin/", admin.site.urls),
]

handler404 = "attache_crm.views.page_not_found"
handler500 = "attache_crm.views.server_error"
handler403 = "attache_crm.views.permission_denied"
