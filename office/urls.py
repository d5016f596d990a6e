from django.urls import path

from attache_crm.lifecycle.views import step

from . import selectors, views
from .lifecycles import CLEARANCE_LIFECYCLE

# A refused step shows the request's page again, with the form's errors.
CLEARANCE_STEP = {
    "lifecycle": CLEARANCE_LIFECYCLE,
    "template": "office/clearance_detail.html",
    "page": selectors.clearance_detail,
}

urlpatterns = [
    path("clearances/", views.clearance_list, name="clearance_list"),
    path("clearances/export/", views.clearance_export, name="clearance_export"),
    path("clearances/new/", views.clearance_new, name="clearance_new"),
    path("clearances/<int:pk>/", views.clearance_detail, name="clearance_detail"),
    path("clearances/<int:pk>/edit/", views.clearance_edit, name="clearance_edit"),
    path("clearances/<int:pk>/status/", step, CLEARANCE_STEP, name="clearance_change_status"),
    path("gifts/", views.gift_list, name="gift_list"),
    path("gifts/export/", views.gift_export, name="gift_export"),
    path("gifts/new/", views.gift_new, name="gift_new"),
    path("gifts/report/", views.gift_report, name="gift_report"),
    path("gifts/<int:pk>/", views.gift_detail, name="gift_detail"),
    path("gifts/<int:pk>/edit/", views.gift_edit, name="gift_edit"),
]
