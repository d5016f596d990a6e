"""An audit row for every audited event reached through the pages, and the classified-marking refusal."""

import pytest
from django.urls import reverse

from contacts.models import Counterpart, Organization
from engagements.models import ActionItem, Agreement, Exercise, Meeting
from tenancy.markings import Channel
from tenancy.models import AuditEvent

from ..conftest import client_for
from ..factories import CableFactory, CableParagraphFactory, CounterpartFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CREATE_VIEWS = [
    ("counterpart_create", Counterpart),
    ("organization_create", Organization),
    ("meeting_new", Meeting),
    ("agreement_new", Agreement),
    ("exercise_new", Exercise),
    ("action_new", ActionItem),
]


@pytest.mark.parametrize("channel,audited", [("post", False), ("attache", True), ("restricted", True)])
def test_reading_an_attache_or_restricted_counterpart_is_audited(post, chief, channel, audited):
    counterpart = CounterpartFactory(post=post, channel=channel)
    client_for(chief).get(counterpart.get_absolute_url())
    views = AuditEvent.objects.filter(action="view", object_id=str(counterpart.pk), user=chief)
    assert views.exists() is audited


def test_reading_an_attache_channel_organization_is_audited(post, attache):
    organization = OrganizationFactory(post=post, channel=Channel.ATTACHE)
    client_for(attache).get(reverse("organization_detail", args=[organization.pk]))
    assert AuditEvent.objects.filter(action="view", object_type="contacts.Organization", user=attache).exists()


def test_reading_an_attache_channel_cable_and_its_export_are_audited(post, chief):
    cable = CableFactory(post=post, channel=Channel.ATTACHE)
    CableParagraphFactory(cable=cable, channel=Channel.ATTACHE)
    client = client_for(chief)
    assert client.get(reverse("cable_detail", args=[cable.pk])).status_code == 200
    assert client.get(reverse("cable_text", args=[cable.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="reports.Cable", user=chief).exists()
    assert AuditEvent.objects.filter(action="export", object_type="reports.Cable", user=chief).exists()


def test_creating_through_the_page_is_audited(post, attache):
    data = {"family_name": "Okafor", "given_names": "Ngozi", "country": "BN", "service": "navy", "status": "active",
            "marking": "U", "channel": "post", "owner": attache.pk}  # fmt: skip
    response = client_for(attache).post(reverse("counterpart_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    counterpart = Counterpart.objects.get(family_name="Okafor")
    assert AuditEvent.objects.filter(action="create", object_id=str(counterpart.pk), user=attache).exists()


@pytest.mark.parametrize("name,model", CREATE_VIEWS)
@pytest.mark.parametrize("marking", ["SECRET", "top secret", "C", "ts", "Confidential"])
def test_classified_marking_is_refused_by_every_create_page_and_audited(post, attache, name, model, marking):
    before = model.objects.count()
    response = client_for(attache).post(reverse(name), {"marking": marking, "title": "x", "name": "x"})
    assert response.status_code == 400
    assert "classified markings" in response.content.decode()
    assert model.objects.count() == before
    event = AuditEvent.objects.get(action="classified_refused")
    assert event.user == attache and event.outcome == "denied" and event.object_type == model._meta.label


def test_classified_marking_is_refused_on_edit_and_nothing_changes(post, attache):
    counterpart = CounterpartFactory(post=post, family_name="Unchanged")
    response = client_for(attache).post(
        reverse("counterpart_edit", args=[counterpart.pk]), {"family_name": "Changed", "marking": "S"}
    )
    assert response.status_code == 400
    counterpart.refresh_from_db()
    assert counterpart.family_name == "Unchanged" and counterpart.marking == "U"
    assert AuditEvent.objects.filter(action="classified_refused", user=attache).exists()
