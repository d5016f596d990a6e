from django.urls import path

from . import views

urlpatterns = [
    path("counterparts/", views.counterpart_list, name="counterpart_list"),
    path("counterparts/new/", views.counterpart_create, name="counterpart_create"),
    path("counterparts/export/", views.counterpart_export, name="counterpart_export"),
    path("counterparts/import/", views.counterpart_import, name="counterpart_import"),
    path(
        "counterparts/typeahead/",
        views.counterpart_typeahead,
        name="counterpart_typeahead",
    ),
    path("counterparts/<int:pk>/edit/", views.counterpart_edit, name="counterpart_edit"),
    path("counterparts/<int:pk>/vcard/", views.counterpart_vcard, name="counterpart_vcard"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/export/", views.organization_export, name="organization_export"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/import/", views.organization_import, name="organization_import"),
    path(
        "organizations/<int:pk>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
]
