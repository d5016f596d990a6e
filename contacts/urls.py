from django.urls import path

from . import views

urlpatterns = [
    path("counterparts/", views.counterpart_list, name="counterpart_list"),
    path("counterparts/<int:pk>/", views.counterpart_detail, name="counterpart_detail"),
]
