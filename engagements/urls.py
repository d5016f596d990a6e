from django.urls import path

from attache_crm.lifecycle.views import step

from . import contact_pages, selectors, views
from .lifecycles import AGREEMENT_LIFECYCLE, EXERCISE_LIFECYCLE

# A lifecycle step refused shows the record's page again, with the form's errors.
AGREEMENT_STEP = {
    "lifecycle": AGREEMENT_LIFECYCLE,
    "template": "engagements/agreement_detail.html",
    "page": selectors.agreement_detail,
}
EXERCISE_STEP = {
    "lifecycle": EXERCISE_LIFECYCLE,
    "template": "engagements/exercise_detail.html",
    "page": selectors.exercise_detail,
}

urlpatterns = [
    path("counterparts/<int:pk>/", contact_pages.counterpart_detail, name="counterpart_detail"),
    path("counterparts/<int:pk>/merge/", contact_pages.counterpart_merge, name="counterpart_merge"),
    path("organizations/<int:pk>/", contact_pages.organization_detail, name="organization_detail"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/export/", views.meeting_export, name="meeting_export"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/quick/", views.meeting_quick, name="meeting_quick"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("counterparts/<int:pk>/meetings/new/", views.counterpart_meeting_new, name="counterpart_meeting_new"),
    path("counterparts/<int:pk>/meetings/quick/", views.counterpart_meeting_quick, name="counterpart_meeting_quick"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export/", views.agreement_export, name="agreement_export"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/status/", step, AGREEMENT_STEP, name="agreement_change_status"),
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("exercises/export/", views.exercise_export, name="exercise_export"),
    path("exercises/new/", views.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", views.exercise_detail, name="exercise_detail"),
    path("exercises/<int:pk>/edit/", views.exercise_edit, name="exercise_edit"),
    path("exercises/<int:pk>/phase/", step, EXERCISE_STEP, name="exercise_change_phase"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/export/", views.action_export, name="action_export"),
    path("actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/close/", views.action_close, name="action_close"),
]
