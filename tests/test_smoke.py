"""The frame of the application: the dashboard answers for a member and the health check reports."""

from django.urls import reverse

from .conftest import client_for


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_dashboard_shows_post_and_role_of_member(attache):
    response = client_for(attache).get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "BANDAR" in body and "Attaché" in body
    assert body.count("UNCLASSIFIED") >= 2  # banner at top and bottom


def test_healthz_reports_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.json()["database"] == "ok"


def test_the_navigation_marks_the_section_of_the_page(attache):
    body = client_for(attache).get(reverse("meeting_list")).content.decode()
    assert f'<a href="{reverse("meeting_list")}" aria-current="page">Meetings</a>' in body
    assert f'<a href="{reverse("dashboard")}">Dashboard</a>' in body
    assert 'rel="icon"' in body
