"""Follow-up pages: the list (mine first), new, edit and close."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import ActionItem
from tenancy.markings import Channel
from tests.conftest import client_for
from tests.factories import ActionItemFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def row_order(body: str, descriptions) -> list[str]:
    return sorted(descriptions, key=body.index)


def test_list_puts_my_open_and_overdue_follow_ups_first(post, attache, second_attache):
    ActionItemFactory(post=post, assignee=second_attache, description="Theirs, overdue", due_on=days(-9))
    ActionItemFactory(post=post, assignee=attache, description="Mine, later", due_on=days(5))
    ActionItemFactory(post=post, assignee=attache, description="Mine, overdue", due_on=days(-2))
    ActionItemFactory(post=post, assignee=attache, description="Mine, done", due_on=days(-20), status="done")
    body = client_for(attache).get(reverse("action_list")).content.decode()
    assert row_order(body, ["Mine, done", "Theirs, overdue", "Mine, later", "Mine, overdue"]) == [
        "Mine, overdue",
        "Mine, later",
        "Theirs, overdue",
        "Mine, done",
    ]
    assert "badge-overdue" in body


def test_list_filters_status_assignee_and_overdue(post, attache, second_attache):
    ActionItemFactory(post=post, assignee=second_attache, description="Theirs, overdue", due_on=days(-9))
    ActionItemFactory(post=post, assignee=attache, description="Mine, later", due_on=days(5))
    ActionItemFactory(post=post, assignee=attache, description="Mine, done", status="done")
    client = client_for(attache)

    def shown(**params):
        body = client.get(reverse("action_list"), params).content.decode()
        return {d for d in ("Theirs, overdue", "Mine, later", "Mine, done") if d in body}

    assert shown(status="done") == {"Mine, done"}
    assert shown(assignee=second_attache.pk) == {"Theirs, overdue"}
    assert shown(overdue="on") == {"Theirs, overdue"}


def test_list_refuses_assignee_from_another_post(attache, outsider):
    assert client_for(attache).get(reverse("action_list"), {"assignee": outsider.pk}).status_code == 400


def test_diplomat_reads_only_follow_ups_assigned_to_them(post, diplomat, attache):
    own = ActionItemFactory(post=post, assignee=diplomat, description="Brief the DCM")
    ActionItemFactory(post=post, assignee=attache, description="Attaché task")
    body = client_for(diplomat).get(reverse("action_list")).content.decode()
    assert "Brief the DCM" in body and "Attaché task" not in body
    # Reading only: no close or edit controls on the row.
    assert reverse("action_close", args=[own.pk]) not in body and reverse("action_edit", args=[own.pk]) not in body


def test_list_does_not_link_to_sources_the_reader_cannot_see(post, diplomat, attache_meeting):
    ActionItemFactory(post=post, assignee=diplomat, meeting=attache_meeting, description="Odd one")
    body = client_for(diplomat).get(reverse("action_list")).content.decode()
    assert "Odd one" in body and attache_meeting.title not in body


def test_close_follow_up(attache, action_item):
    response = client_for(attache).post(
        reverse("action_close", args=[action_item.pk]), {"status": "done", "next": "/actions/?status=open"}
    )
    assert response.status_code == 302 and response["Location"] == "/actions/?status=open"
    action_item.refresh_from_db()
    assert action_item.status == "done" and action_item.completed_at is not None


def test_close_ignores_next_pointing_elsewhere(attache, action_item):
    response = client_for(attache).post(
        reverse("action_close", args=[action_item.pk]), {"status": "dropped", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("action_list")


@pytest.mark.parametrize("data", [{"status": "open"}, {"status": "finished"}, {}])
def test_close_refuses_bad_status(attache, action_item, data):
    response = client_for(attache).post(reverse("action_close", args=[action_item.pk]), data)
    assert response.status_code == 400
    action_item.refresh_from_db()
    assert action_item.status == "open"


def test_close_twice_is_refused(attache, action_item):
    url = reverse("action_close", args=[action_item.pk])
    client_for(attache).post(url, {"status": "done"})
    response = client_for(attache).post(url, {"status": "dropped"})
    assert response.status_code == 400 and "already closed" in response.content.decode()
    action_item.refresh_from_db()
    assert action_item.status == "done"


def test_close_needs_post_and_says_so_on_a_page(attache, action_item):
    response = client_for(attache).get(reverse("action_close", args=[action_item.pk]))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "This address is reached with POST" in response.content.decode()
    api = client_for(attache).put("/api/v1/action-items/")  # the API keeps its own JSON answer
    assert api.status_code == 405 and api["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("chief", 403), ("admin", 404), ("outsider", 404)])
def test_close_refusals(users_by_role, post, role, status):
    item = ActionItemFactory(post=post, assignee=users_by_role["diplomat"])
    response = client_for(users_by_role[role]).post(reverse("action_close", args=[item.pk]), {"status": "done"})
    assert response.status_code == status
    item.refresh_from_db()
    assert item.status == "open"


def test_edit_follow_up(attache, second_attache, action_item):
    url = reverse("action_edit", args=[action_item.pk])
    assert client_for(attache).get(url).status_code == 200
    data = {"description": "Send the visit request (revised)", "assignee": second_attache.pk, "due_on": "2027-01-05",
            "status": "open", "marking": "U", "channel": "post"}  # fmt: skip
    assert client_for(attache).post(url, data).status_code == 302
    action_item.refresh_from_db()
    assert (action_item.assignee, action_item.due_on) == (second_attache, dt.date(2027, 1, 5))


@pytest.mark.parametrize(
    "overrides",
    [{"description": ""}, {"description": "d" * 501}, {"due_on": "tomorrow"}, {"status": "maybe"},
     {"marking": "SECRET"}, {"assignee": "999999"}],
)  # fmt: skip
def test_edit_follow_up_refuses_bad_input(attache, action_item, overrides):
    data = {"description": "Changed", "assignee": attache.pk, "due_on": "2027-01-05", "status": "open",
            "marking": "U", "channel": "post"} | overrides  # fmt: skip
    assert client_for(attache).post(reverse("action_edit", args=[action_item.pk]), data).status_code == 400
    action_item.refresh_from_db()
    assert action_item.description == "Send the visit request"


def test_edit_refuses_an_assignee_from_another_post(attache, outsider, action_item):
    data = {"description": "Changed", "assignee": outsider.pk, "status": "open", "marking": "U", "channel": "post"}
    assert client_for(attache).post(reverse("action_edit", args=[action_item.pk]), data).status_code == 400


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("chief", 403), ("admin", 404), ("outsider", 404)])
def test_edit_refusals(users_by_role, post, role, status):
    item = ActionItemFactory(post=post, assignee=users_by_role["diplomat"], description="Original")
    url = reverse("action_edit", args=[item.pk])
    data = {"description": "Hijacked", "status": "open", "marking": "U", "channel": "post"}
    assert client_for(users_by_role[role]).post(url, data).status_code == status
    item.refresh_from_db()
    assert item.description == "Original"


def test_new_follow_up_from_a_meeting_takes_its_handling(attache, attache_meeting):
    url = reverse("action_new") + f"?meeting={attache_meeting.pk}"
    body = client_for(attache).get(url).content.decode()
    assert re.search(r'<option value="attache" selected>', body)
    data = {"meeting": attache_meeting.pk, "description": "Call the J5", "assignee": attache.pk, "due_on": "2027-01-05",
            "marking": "U", "channel": "attache"}  # fmt: skip
    response = client_for(attache).post(reverse("action_new"), data)
    assert response.status_code == 302 and response["Location"] == attache_meeting.get_absolute_url()
    item = ActionItem.objects.get()
    assert (item.meeting, item.channel, item.created_by) == (attache_meeting, Channel.ATTACHE, attache)


def test_new_follow_up_for_a_hidden_meeting_is_404(diplomat, outsider, attache_meeting):
    url = reverse("action_new") + f"?meeting={attache_meeting.pk}"
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(diplomat).get(url).status_code == 404


@pytest.mark.parametrize("role", ["diplomat", "chief", "admin"])
def test_only_attaches_create_follow_ups(users_by_role, role):
    data = {"description": "x", "marking": "U", "channel": "post"}
    assert client_for(users_by_role[role]).post(reverse("action_new"), data).status_code == 403
    assert not ActionItem.objects.exists()
