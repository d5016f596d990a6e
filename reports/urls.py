from django.urls import path

from . import views

urlpatterns = [
    path("cables/", views.cable_list, name="cable_list"),
    path("cables/<int:pk>/", views.cable_detail, name="cable_detail"),
    path("cables/<int:pk>.txt", views.cable_text, name="cable_text"),
    path("cables/<int:pk>/print/", views.cable_print, name="cable_print"),
    path("cables/<int:pk>/edit/", views.cable_edit, name="cable_edit"),
    path("cables/<int:pk>/release/", views.cable_release, name="cable_release"),
    path("cables/<int:pk>/return/", views.cable_return, name="cable_return"),
    path("cables/<int:pk>/resubmit/", views.cable_resubmit, name="cable_resubmit"),
    path("cables/<int:pk>/widen/", views.cable_widen, name="cable_widen"),
    path("meetings/<int:meeting_pk>/contact-report/", views.contact_report_create, name="contact_report_create"),
]
