"""No copy of a page, an export or an API answer is kept by the browser or a proxy: on a shared
workstation, a cached restricted page would outlive the sign-out."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import MeetingFactory


@pytest.fixture
def restricted_meeting(post, attache):
    return MeetingFactory(post=post, created_by=attache, channel="restricted", title="Private dinner")


def _no_store(response) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives


def test_pages_exports_and_api_answers_are_not_stored(restricted_meeting, attache, client):
    client = client_for(attache)
    answers = {
        "page": client.get(restricted_meeting.get_absolute_url()),
        "list": client.get(reverse("meeting_list")),
        "export": client.get(reverse("meeting_export"), {"as": "csv"}),
        "api": client.get(f"/api/v1/meetings/{restricted_meeting.pk}/"),
    }
    answers["sign-in page"] = client.get(reverse("login"))
    for name, response in answers.items():
        assert response.status_code == 200, name
        assert _no_store(response), name


def test_a_view_that_sets_its_own_caching_keeps_it(client, db):
    assert client.get("/healthz")["Cache-Control"] == "no-store"
