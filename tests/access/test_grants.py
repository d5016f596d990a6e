"""Single restricted records shared with single users: owner or chief grant and revoke, audited."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from contacts.models import Counterpart, CounterpartUserObjectPermission
from engagements.models import Meeting
from tenancy import grants, policy
from tenancy.markings import Channel
from tenancy.models import AuditEvent

from ..conftest import client_for
from ..factories import CounterpartFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(post, second_attache):
    """A restricted counterpart kept by the second attaché."""
    return CounterpartFactory(post=post, channel=Channel.RESTRICTED, owner=second_attache, family_name="Hidden")


def _url(record):
    return reverse("record_grants", kwargs={"label": record._meta.label_lower, "pk": record.pk})


def test_owner_grants_a_diplomat_who_then_sees_the_record(restricted, second_attache, diplomat):
    assert not policy.is_visible(diplomat, restricted)
    response = client_for(second_attache).post(_url(restricted), {"op": "grant", "user": diplomat.pk})
    assert response.status_code == 302
    policy.forget_roles(diplomat)
    assert policy.is_visible(diplomat, restricted)
    assert client_for(diplomat).get(restricted.get_absolute_url()).status_code == 200
    event = AuditEvent.objects.get(action="grant")
    assert event.user == second_attache and event.object_id == str(restricted.pk) and "diplomat" in event.detail


def test_chief_revokes_and_the_record_is_hidden_again(restricted, chief, diplomat):
    grants.grant_view(record=restricted, user=diplomat, by=chief)
    response = client_for(chief).post(_url(restricted), {"op": "revoke", "user": diplomat.pk})
    assert response.status_code == 302
    assert not policy.is_visible(diplomat, restricted)
    assert AuditEvent.objects.filter(action="revoke", user=chief).exists()


def test_grants_use_the_direct_foreign_key_table_and_vanish_with_the_record(restricted, chief, diplomat):
    grants.grant_view(record=restricted, user=diplomat, by=chief)
    assert CounterpartUserObjectPermission.objects.filter(content_object=restricted, user=diplomat).exists()
    restricted.delete()
    assert not CounterpartUserObjectPermission.objects.exists()


def test_grant_works_for_every_grantable_model(post, second_attache, diplomat):
    meeting = MeetingFactory(post=post, channel=Channel.RESTRICTED, created_by=second_attache)
    response = client_for(second_attache).post(_url(meeting), {"op": "grant", "user": diplomat.pk})
    assert response.status_code == 302
    assert policy.visible(diplomat, Meeting).filter(pk=meeting.pk).exists()


def test_a_grant_does_not_open_a_record_once_it_leaves_the_restricted_channel(restricted, chief, diplomat):
    grants.grant_view(record=restricted, user=diplomat, by=chief)
    Counterpart.objects.filter(pk=restricted.pk).update(channel=Channel.ATTACHE)
    assert not policy.visible(diplomat, Counterpart).filter(pk=restricted.pk).exists()


@pytest.mark.parametrize("who,status", [("attache", 404), ("diplomat", 404), ("admin", 404), ("outsider", 404)])
def test_who_cannot_see_the_record_gets_404(users_by_role, restricted, who, status):
    client = client_for(users_by_role[who])
    assert client.get(_url(restricted)).status_code == status
    assert client.post(_url(restricted), {"op": "grant", "user": users_by_role["diplomat"].pk}).status_code == status
    assert not CounterpartUserObjectPermission.objects.exists()


def test_a_grantee_who_is_not_the_owner_cannot_grant_further(restricted, chief, attache, diplomat):
    grants.grant_view(record=restricted, user=attache, by=chief)
    response = client_for(attache).post(_url(restricted), {"op": "grant", "user": diplomat.pk})
    assert response.status_code == 403
    assert not policy.is_visible(diplomat, restricted)


def test_records_outside_the_restricted_channel_are_not_granted(post, chief, diplomat):
    record = CounterpartFactory(post=post, channel=Channel.ATTACHE)
    assert client_for(chief).post(_url(record), {"op": "grant", "user": diplomat.pk}).status_code == 403


def test_only_members_of_the_post_can_be_given_the_record(restricted, second_attache, outsider, post_admin):
    client = client_for(second_attache)
    for user in (outsider, post_admin, second_attache):
        response = client.post(_url(restricted), {"op": "grant", "user": user.pk})
        assert response.status_code == 400
    assert client.post(_url(restricted), {"op": "grant", "user": "abc"}).status_code == 400
    assert client.post(_url(restricted), {"op": "steal", "user": outsider.pk}).status_code == 400
    assert not CounterpartUserObjectPermission.objects.exists()


def test_unknown_model_or_record_is_404(chief, restricted):
    client = client_for(chief)
    assert client.get(reverse("record_grants", kwargs={"label": "auth.user", "pk": chief.pk})).status_code == 404
    assert (
        client.get(reverse("record_grants", kwargs={"label": "contacts.counterpart", "pk": 999999})).status_code == 404
    )


def test_next_never_leaves_the_site(restricted, chief, diplomat):
    response = client_for(chief).post(
        _url(restricted), {"op": "grant", "user": diplomat.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == restricted.get_absolute_url()


def _panel(user, record):
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "_grants_panel.html" %}').render(Context({"request": request, "record": record}))


def test_panel_shows_grants_and_form_to_owner_and_chief_only(restricted, second_attache, chief, attache, diplomat):
    grants.grant_view(record=restricted, user=diplomat, by=chief)
    for user in (second_attache, chief):
        html = _panel(user, restricted)
        assert "Shared with" in html and "diplomat" in html and 'value="revoke"' in html and 'value="grant"' in html
    policy.forget_roles(diplomat)
    assert _panel(diplomat, restricted).strip() == ""
    assert _panel(attache, restricted).strip() == ""


def test_panel_is_empty_for_a_post_channel_record(post, chief):
    assert _panel(chief, CounterpartFactory(post=post)).strip() == ""
