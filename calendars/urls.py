from django.urls import path

from . import views

urlpatterns = [
    path("accounts/calendar/", views.feed_list, name="calendar_feeds"),
    path("accounts/calendar/<int:pk>/revoke/", views.feed_revoke, name="calendar_feed_revoke"),
    path("calendar/<str:token>.ics", views.feed_ics, name="calendar_feed"),
]
