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
    path("cables/<int:pk>/redraft/", views.cable_redraft, name="cable_redraft"),
    path("cables/<int:pk>/correct/", views.cable_correct, name="cable_correct"),
    path("cables/<int:pk>/clearances/", views.cable_clearance_request, name="cable_clearance_request"),
    path("cables/<int:pk>/clear/", views.cable_clear, name="cable_clear"),
    path("cables/<int:pk>/coordinator/", views.cable_coordinator, name="cable_coordinator"),
    path("meetings/<int:meeting_pk>/contact-report/", views.contact_report_create, name="contact_report_create"),
]
