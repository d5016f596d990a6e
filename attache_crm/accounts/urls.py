from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("consent/", views.consent, name="consent"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/setup/", views.otp_setup, name="otp_setup"),
    path("second-factor/remove/", views.otp_remove, name="otp_remove"),
    path("lockouts/", views.lockouts, name="lockouts"),
]
