"""The write-rule attacks once seen, replayed through the interface where each was seen (rows 5, 6
and 7 of the issue), and the same refusals straight from the services, whoever calls them."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from contacts import services as contact_services
from contacts.models import Counterpart
from engagements import services as engagement_services
from engagements.models import Meeting
from tenancy import policy
from tenancy.choices import Role
from tenancy.markings import Channel

from ..api.conftest import issue_token
from ..conftest import client_for
from ..factories import (
    ActionItemFactory,
    CounterpartFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    UserFactory,
)


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_token(user)}"})


def _post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch_json(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json", headers={"If-Match": "*"})


# ---------------------------------------------------------------- row 5: owner rule bypass (API)


@pytest.mark.parametrize("owner_role", ["diplomat", "post_admin"])
def test_api_refuses_a_diplomat_or_the_post_admin_as_owner_of_a_restricted_record(request, post, attache, owner_role):
    owner = request.getfixturevalue(owner_role)
    client = _api(attache)
    created = _post_json(
        client, reverse("api-counterpart-list"), {"family_name": "Haddad", "channel": "restricted", "owner": owner.pk}
    )
    assert created.status_code == 400
    assert created.json()["fields"]["owner"][0]["message"] == policy.OWNER_NOT_ELIGIBLE
    assert not Counterpart.objects.filter(family_name="Haddad").exists()

    mine = CounterpartFactory(post=post, owner=attache, created_by=attache, channel=Channel.RESTRICTED)
    handed = _patch_json(client, reverse("api-counterpart-detail", args=[mine.pk]), {"owner": owner.pk})
    assert handed.status_code == 400
    mine.refresh_from_db()
    assert mine.owner == attache


def test_api_refuses_an_attache_taking_a_colleagues_record_restricted_as_its_owner(
    post, attache, second_attache, diplomat
):
    theirs = CounterpartFactory(post=post, owner=second_attache, created_by=second_attache, family_name="Colleague")
    response = _patch_json(
        _api(attache),
        reverse("api-counterpart-detail", args=[theirs.pk]),
        {"channel": "restricted", "owner": attache.pk},
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"channel", "owner"}
    theirs.refresh_from_db()
    assert (theirs.channel, theirs.owner) == (Channel.POST, second_attache)
    assert policy.is_visible(diplomat, theirs)  # still in the post channel for the post


def test_api_refuses_an_attache_narrowing_a_colleagues_meeting(post, attache, second_attache):
    theirs = MeetingFactory(post=post, created_by=second_attache)
    response = _patch_json(_api(attache), reverse("api-meeting-detail", args=[theirs.pk]), {"channel": "restricted"})
    assert response.status_code == 400 and "channel" in response.json()["fields"]
    theirs.refresh_from_db()
    assert theirs.channel == Channel.POST


# ---------------------------------------------------------------- row 6: data loss on PATCH (API)


def test_api_patch_of_meeting_counterparts_keeps_the_participants_the_editor_cannot_see(post, attache, second_attache):
    meeting = MeetingFactory(post=post, created_by=attache)
    seen = CounterpartFactory(post=post, created_by=attache, owner=attache)
    hidden = CounterpartFactory(post=post, owner=second_attache, channel=Channel.RESTRICTED, position="J2")
    newcomer = CounterpartFactory(post=post, created_by=attache, owner=attache)
    MeetingParticipantFactory(meeting=meeting, counterpart=seen)
    kept = MeetingParticipantFactory(meeting=meeting, counterpart=hidden, position_at_time="J2 then")

    response = _patch_json(
        _api(attache), reverse("api-meeting-detail", args=[meeting.pk]), {"counterparts": [newcomer.pk]}
    )
    assert response.status_code == 200, response.content
    assert set(meeting.participants.values_list("counterpart_id", flat=True)) == {hidden.pk, newcomer.pk}
    kept.refresh_from_db()
    assert kept.position_at_time == "J2 then"  # the same row, not a new snapshot
    shown = [p["counterpart"]["id"] for p in response.json()["participants"]]
    assert shown == [newcomer.pk]  # and the answer still does not name the hidden one


def test_api_clearing_a_follow_ups_hidden_source_keeps_it(post, attache, second_attache):
    hidden = MeetingFactory(post=post, created_by=second_attache, channel=Channel.RESTRICTED)
    item = ActionItemFactory(post=post, created_by=attache, meeting=hidden, assignee=attache)
    response = _patch_json(_api(attache), reverse("api-action-item-detail", args=[item.pk]), {"meeting": None})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.meeting == hidden


# ---------------------------------------------------------------- row 7: three rules for one question


@pytest.fixture
def two_roles(post, other_post):
    """Attaché at `post`, diplomat at `other_post`."""
    user = UserFactory(username="tworoles")
    MembershipFactory(user=user, post=post, role=Role.ATTACHE)
    MembershipFactory(user=user, post=other_post, role=Role.DIPLOMAT)
    return user


def test_html_counterpart_for_a_post_without_write_is_refused_not_moved_to_another_post(two_roles, other_post):
    client = client_for(two_roles)
    url = reverse("counterpart_create") + f"?post={other_post.pk}"
    assert client.get(url).status_code == 403
    response = client.post(url, {"family_name": "Moved", "post": other_post.pk, "marking": "U", "channel": "post"})
    assert response.status_code == 403
    assert b"You may not add counterparts at this post." in response.content
    assert not Counterpart.objects.filter(family_name="Moved").exists()


def test_html_counterpart_for_a_post_without_a_role_is_not_found(attache, other_post):
    client = client_for(attache)
    for wanted in (other_post.pk, other_post.pk + 1000, "BANDAR"):
        response = client.get(reverse("counterpart_create") + f"?post={wanted}")
        assert response.status_code == 404, wanted


def test_api_and_pages_answer_a_post_without_a_role_alike(attache, other_post):
    page = client_for(attache).get(reverse("meeting_new") + f"?post={other_post.pk}")
    api = _post_json(_api(attache), reverse("api-meeting-list"), {"post": other_post.pk, "title": "x"})
    assert page.status_code == api.status_code == 404
    assert page.context["refusal"] == api.json()["detail"] == policy.NO_SUCH_POST


# ---------------------------------------------------------------- the services refuse on their own


def test_services_apply_the_post_rule_whoever_calls_them(post, other_post, attache, diplomat, second_attache):
    with pytest.raises(policy.NotFound):
        contact_services.counterpart_create(post=other_post, by=attache, family_name="X")
    with pytest.raises(policy.Denied):
        contact_services.counterpart_create(post=post, by=diplomat, family_name="X")
    meeting = MeetingFactory(post=post, created_by=attache)
    with pytest.raises(policy.Denied):
        engagement_services.meeting_update(meeting=meeting, by=diplomat, title="Mine now")
    hidden = MeetingFactory(post=post, created_by=second_attache, channel=Channel.RESTRICTED)
    with pytest.raises(policy.NotFound):
        engagement_services.meeting_update(meeting=hidden, by=attache, title="Found it")
    assert Meeting.objects.filter(title__in=["Mine now", "Found it"]).count() == 0


def test_services_refuse_a_form_changed_instance_by_its_stored_owner(post, attache, second_attache):
    """A form writes its values into the instance before the service runs: the owner rule reads the
    stored record, so a restricted-as-mine instance does not pass as mine."""
    theirs = CounterpartFactory(post=post, owner=second_attache, created_by=second_attache)
    theirs.channel, theirs.owner = Channel.RESTRICTED, attache
    with pytest.raises(ValidationError) as refused:
        contact_services.counterpart_update(counterpart=theirs, by=attache, channel=Channel.RESTRICTED, owner=attache)
    assert set(refused.value.message_dict) == {"channel", "owner"}


def test_services_refuse_over_long_lists(post, attache, monkeypatch):
    counterparts = [CounterpartFactory(post=post, organization=None) for _ in range(3)]
    monkeypatch.setattr(engagement_services, "MAX_LINKS", 2)
    with pytest.raises(ValidationError) as refused:
        engagement_services.exercise_create(
            post=post, by=attache, name="X", host_country="XB", counterparts=counterparts
        )
    assert refused.value.message_dict == {"counterparts": ["Ensure this field has no more than 2 elements."]}
