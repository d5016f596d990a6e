from django.urls import path

from . import views

urlpatterns = [
    path("handover/", views.pack_page, name="handover_pack"),
    path("handover/pdf/", views.pack_pdf, name="handover_pack_pdf"),
]
