from django.contrib.auth import views as auth_views
from django.urls import path

from . import people_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("consent/", views.consent, name="consent"),
    path("keepalive/", views.keepalive, name="session_keepalive"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/setup/", views.otp_setup, name="otp_setup"),
    path("second-factor/remove/", views.otp_remove, name="otp_remove"),
    path("password/", people_views.password_change, name="password_change"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("people/", people_views.people_list, name="people_list"),
    path("people/new/", people_views.person_new, name="person_new"),
    path("people/<int:pk>/", people_views.person_detail, name="person_detail"),
    path("people/<int:pk>/role/", people_views.person_role, name="person_role"),
    path("people/<int:pk>/deactivate/", people_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people_views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/password/", people_views.person_password, name="person_password"),
    path(
        "people/<int:pk>/second-factor/reset/",
        people_views.person_second_factor_reset,
        name="person_second_factor_reset",
    ),
    path("people/<int:pk>/unlock/", people_views.person_unlock, name="person_unlock"),
]
