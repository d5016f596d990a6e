"""The Django admin shows a released cable read-only and refuses every change to it."""

import datetime as dt

import pytest
from django.urls import reverse

from reports import services
from reports.models import Cable
from tests.conftest import client_for
from tests.factories import CableFactory, CableParagraphFactory, UserFactory


@pytest.fixture
def operator(db):
    user = UserFactory(username="operator", is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def released(post, chief):
    cable = CableFactory(post=post)
    CableParagraphFactory(cable=cable, text="Frozen words.")
    return services.cable_release(cable=cable, by=chief)


def admin_client(client, user):
    return client_for(user)  # signed in, second factor verified as operators must


def test_released_cable_change_page_is_read_only(client, operator, released):
    response = admin_client(client, operator).get(reverse("admin:reports_cable_change", args=[released.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="_save"' not in body and 'name="subject"' not in body and "Frozen words." in body


def test_released_cable_refuses_admin_post_and_delete(client, operator, released):
    client = admin_client(client, operator)
    data = {
        "subject": "Changed in the admin",
        "kind": "weekly_summary",
        "post": released.post_id,
        "period_start": "2026-06-15",
        "period_end": "2026-06-19",
        "precedence": "R",
        "tags": "",
        "paragraphs-TOTAL_FORMS": "1",
        "paragraphs-INITIAL_FORMS": "1",
        "paragraphs-0-id": str(released.paragraphs.first().pk),
        "paragraphs-0-cable": str(released.pk),
        "paragraphs-0-text": "Changed",
        "paragraphs-0-position": "1",
        "paragraphs-0-marking": "U",
    }
    assert client.post(reverse("admin:reports_cable_change", args=[released.pk]), data).status_code == 403
    assert client.post(reverse("admin:reports_cable_delete", args=[released.pk]), {"post": "yes"}).status_code == 403
    fresh = Cable.objects.get(pk=released.pk)
    assert fresh.subject != "Changed in the admin" and fresh.paragraphs.first().text == "Frozen words."


def test_draft_cable_stays_editable_for_operators(client, operator, post):
    cable = CableFactory(post=post, period_start=dt.date(2026, 6, 22), period_end=dt.date(2026, 6, 26))
    response = admin_client(client, operator).get(reverse("admin:reports_cable_change", args=[cable.pk]))
    assert response.status_code == 200 and 'name="_save"' in response.content.decode()


def test_role_users_do_not_reach_cables_in_the_admin(client, chief, released):
    chief.is_staff = True
    chief.save()
    response = admin_client(client, chief).get(reverse("admin:reports_cable_change", args=[released.pk]))
    assert response.status_code in (302, 403)
