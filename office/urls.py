from django.urls import path

from . import views

urlpatterns = [
    path("clearances/", views.clearance_list, name="clearance_list"),
    path("clearances/new/", views.clearance_new, name="clearance_new"),
    path("clearances/<int:pk>/", views.clearance_detail, name="clearance_detail"),
    path("clearances/<int:pk>/edit/", views.clearance_edit, name="clearance_edit"),
    path("clearances/<int:pk>/status/", views.clearance_change_status, name="clearance_change_status"),
    path("gifts/", views.gift_list, name="gift_list"),
    path("gifts/new/", views.gift_new, name="gift_new"),
    path("gifts/report/", views.gift_report, name="gift_report"),
    path("gifts/<int:pk>/", views.gift_detail, name="gift_detail"),
    path("gifts/<int:pk>/edit/", views.gift_edit, name="gift_edit"),
]
