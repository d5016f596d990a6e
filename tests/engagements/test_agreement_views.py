"""Agreement pages: list, detail with status log and change-status form, new and edit."""

import pytest
from django.urls import reverse

from engagements.models import Agreement, AgreementStatusChange
from tenancy.markings import Channel, Marking
from tests.conftest import client_for
from tests.factories import AgreementFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def agreement_data(**overrides):
    data = {
        "title": "Cross-servicing implementing arrangement",
        "kind": "acsa",
        "status": "proposed",
        "signed_on": "",
        "effective_on": "",
        "expires_on": "",
        "review_on": "",
        "summary": "Logistics support in exercises.",
        "marking": "U",
        "channel": "post",
    }
    return data | overrides


def test_list_shows_visible_agreements_and_filters(post, attache, diplomat, agreement):
    hidden = AgreementFactory(post=post, channel=Channel.ATTACHE, title="Quiet arrangement", status="signed")
    assert hidden.title in client_for(attache).get(reverse("agreement_list")).content.decode()
    body = client_for(diplomat).get(reverse("agreement_list")).content.decode()
    assert agreement.title in body and hidden.title not in body
    filtered = client_for(attache).get(reverse("agreement_list"), {"status": "signed"}).content.decode()
    assert hidden.title in filtered and agreement.title not in filtered
    by_title = client_for(attache).get(reverse("agreement_list"), {"q": "ammunition", "sort": "-title"})
    assert agreement.title in by_title.content.decode()


def test_list_refuses_unknown_status_filter(attache, agreement):
    assert client_for(attache).get(reverse("agreement_list"), {"status": "pending"}).status_code == 400


def test_detail_offers_only_allowed_transitions(attache, agreement):
    body = client_for(attache).get(agreement.get_absolute_url()).content.decode()
    assert reverse("agreement_change_status", args=[agreement.pk]) in body
    assert '<option value="text_agreed">' in body and '<option value="abandoned">' in body
    assert '<option value="signed">' not in body and '<option value="in_force">' not in body


def test_detail_of_ended_agreement_offers_no_change(attache, agreement):
    agreement.status = "expired"
    agreement.save()
    body = client_for(attache).get(agreement.get_absolute_url()).content.decode()
    assert reverse("agreement_change_status", args=[agreement.pk]) not in body


def test_detail_shows_status_history_and_no_form_to_readers(attache, diplomat, agreement):
    client_for(attache).post(
        reverse("agreement_change_status", args=[agreement.pk]), {"to_status": "text_agreed", "on": "2026-11-02"}
    )
    body = client_for(diplomat).get(agreement.get_absolute_url()).content.decode()
    assert "Text agreed" in body and "2 Nov 2026" in body
    assert reverse("agreement_change_status", args=[agreement.pk]) not in body


@pytest.mark.parametrize("role", ["outsider", "admin"])
def test_detail_is_404_for_those_who_cannot_see_it(users_by_role, agreement, role):
    assert client_for(users_by_role[role]).get(agreement.get_absolute_url()).status_code == 404


def test_detail_banner_takes_the_highest_marking(post, attache, agreement):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(post=post, marking=Marking.SBU)
    meeting.agreements.add(agreement)
    assert "SENSITIVE BUT UNCLASSIFIED" in client_for(attache).get(agreement.get_absolute_url()).content.decode()


def test_change_status(attache, agreement):
    url = reverse("agreement_change_status", args=[agreement.pk])
    response = client_for(attache).post(url, {"to_status": "text_agreed", "on": "2026-11-02", "note": "After round 3"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "text_agreed"
    change = AgreementStatusChange.objects.get(agreement=agreement)
    assert (change.changed_by, change.note) == (attache, "After round 3")


@pytest.mark.parametrize(
    "data",
    [{"to_status": "in_force", "on": "2026-11-02"}, {"to_status": "text_agreed", "on": "2099-01-01"},
     {"to_status": "text_agreed", "on": "2026-13-45"}, {"to_status": "text_agreed", "on": "2026-11-02", "note": "n" * 301}],
)  # fmt: skip
def test_change_status_refuses_bad_input(attache, agreement, data):
    response = client_for(attache).post(reverse("agreement_change_status", args=[agreement.pk]), data)
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == "negotiating" and not agreement.status_changes.exists()


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("chief", 403), ("admin", 404), ("outsider", 404)])
def test_change_status_refusals(users_by_role, agreement, role, status):
    url = reverse("agreement_change_status", args=[agreement.pk])
    assert (
        client_for(users_by_role[role]).post(url, {"to_status": "text_agreed", "on": "2026-11-02"}).status_code
        == status
    )
    assert client_for(users_by_role[role]).get(url).status_code in (405, status)
    agreement.refresh_from_db()
    assert agreement.status == "negotiating"


def test_new_agreement(post, attache):
    party = OrganizationFactory(post=post)
    response = client_for(attache).post(reverse("agreement_new"), agreement_data(parties=[party.pk]))
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert list(agreement.parties.all()) == [party] and agreement.created_by == attache
    assert agreement.status_changes.get().to_status == "proposed"


@pytest.mark.parametrize(
    "overrides",
    [{"effective_on": "2026-05-01", "expires_on": "2026-04-01"}, {"signed_on": "2026-05-01", "effective_on": "2026-04-01"},
     {"title": "t" * 201}, {"kind": "treaty"}, {"marking": "CONFIDENTIAL"}, {"status": "maybe"}],
)  # fmt: skip
def test_new_agreement_refuses_bad_input(attache, overrides):
    response = client_for(attache).post(reverse("agreement_new"), agreement_data(**overrides))
    assert response.status_code == 400 and not Agreement.objects.exists()


def test_new_agreement_refuses_party_of_another_post(other_post, attache):
    foreign = OrganizationFactory(post=other_post)
    response = client_for(attache).post(reverse("agreement_new"), agreement_data(parties=[foreign.pk]))
    assert response.status_code == 400 and not Agreement.objects.exists()


@pytest.mark.parametrize("role", ["diplomat", "chief", "admin"])
def test_only_attaches_create_agreements(users_by_role, role):
    client = client_for(users_by_role[role])
    assert client.get(reverse("agreement_new")).status_code == 403
    assert client.post(reverse("agreement_new"), agreement_data()).status_code == 403
    assert not Agreement.objects.exists()


def test_edit_agreement_has_no_status_field(attache, agreement):
    url = reverse("agreement_edit", args=[agreement.pk])
    assert 'name="status"' not in client_for(attache).get(url).content.decode()
    response = client_for(attache).post(url, agreement_data(title="Renamed arrangement", status="in_force"))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.title, agreement.status) == ("Renamed arrangement", "negotiating")


def test_edit_agreement_refuses_bad_dates(attache, agreement):
    data = agreement_data(effective_on="2026-05-01", expires_on="2026-05-01")
    assert client_for(attache).post(reverse("agreement_edit", args=[agreement.pk]), data).status_code == 400
    agreement.refresh_from_db()
    assert agreement.expires_on is None


@pytest.mark.parametrize(("role", "status"), [("diplomat", 403), ("chief", 403), ("admin", 404), ("outsider", 404)])
def test_edit_agreement_refusals(users_by_role, agreement, role, status):
    url = reverse("agreement_edit", args=[agreement.pk])
    assert client_for(users_by_role[role]).post(url, agreement_data(title="Hijacked")).status_code == status
    agreement.refresh_from_db()
    assert agreement.title == "Ammunition storage arrangement"
