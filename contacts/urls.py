from django.urls import path

from . import views

urlpatterns = [
    path("counterparts/", views.counterpart_list, name="counterpart_list"),
    path("counterparts/new/", views.counterpart_create, name="counterpart_create"),
    path(
        "counterparts/typeahead/",
        views.counterpart_typeahead,
        name="counterpart_typeahead",
    ),
    path("counterparts/<int:pk>/edit/", views.counterpart_edit, name="counterpart_edit"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path(
        "organizations/<int:pk>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
]
