from django.urls import path

from . import views

urlpatterns = [
    path("cables/", views.cable_list, name="cable_list"),
    path("audit/", views.audit_list, name="audit_list"),
]
