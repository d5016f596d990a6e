from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("actions/", views.action_list, name="action_list"),
]
