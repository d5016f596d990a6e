"""GET /api/v1/handover/: the pack as JSON, with the page's rules."""

import pytest
from django.urls import reverse

from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ClearanceFactory, CounterpartFactory, GiftFactory

from .test_pack import records  # noqa: F401 (fixture)

URL = reverse("api-handover-pack-list")


def test_attache_reads_every_section_with_the_notes(records, attache):  # noqa: F811
    body = client_for(attache).get(URL).json()
    assert body["post"]["code"] == "BANDAR" and body["marking"] == "SBU"
    names = [c["name"] for c in body["counterparts"]["rows"]]
    assert "General Tomas KEPTBYME" in names and "General Tomas HIDDENGENERAL" in names
    kept = next(c for c in body["counterparts"]["rows"] if c["name"].endswith("KEPTBYME"))
    assert kept["restricted_notes"] == "Restrictednote text" and kept["contact_status"] == "in touch"
    assert body["agreements"]["rows"][0]["next_milestone"]["label"] == "review"
    assert body["exercises"]["rows"][0]["next_conference"]["label"] == "main planning conference"
    assert {f["held_by"] for f in body["follow_ups"]["rows"]} == {"diplomat", "attache"}
    assert body["clearances"] == {"total": 0, "rows": []} and body["gifts"] == {"total": 0, "rows": []}
    assert AuditEvent.objects.filter(action="export", user=attache, detail="handover pack (api, SBU)").count() == 1


def test_diplomat_reads_no_restricted_notes_and_no_attache_channel(records, diplomat):  # noqa: F811
    body = client_for(diplomat).get(URL).json()
    assert all("restricted_notes" not in c for c in body["counterparts"]["rows"])
    assert "HIDDENGENERAL" not in str(body) and "Attachefollowup" not in str(body)


def test_clearances_and_gifts_in_the_api(post, attache):
    ClearanceFactory(post=post, created_by=attache, mission="REACH 771")
    GiftFactory(post=post, created_by=attache, description="Silver tray", value_usd=900)
    body = client_for(attache).get(URL).json()
    assert body["clearances"]["rows"][0]["mission"] == "REACH 771"
    assert body["gifts"]["rows"][0]["value_usd"] == "900.00"


@pytest.mark.parametrize("query", ["postt=1", "post=1&post=2&x=1"])
def test_unknown_parameters_are_refused(attache, query):
    response = client_for(attache).get(f"{URL}?{query}")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_another_posts_pack_is_absent_and_the_admin_is_refused(post, outsider, post_admin):
    hidden, absent = (client_for(outsider).get(URL, {"post": wanted}) for wanted in (post.pk, 999999))
    assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())
    assert hidden.status_code == 404
    assert client_for(post_admin).get(URL).status_code == 403


def test_pack_api_query_count_does_not_grow(post, attache, django_assert_max_num_queries):
    client = client_for(attache)
    CounterpartFactory(post=post, owner=attache)
    with django_assert_max_num_queries(25) as small:
        client.get(URL)
    for _ in range(15):
        CounterpartFactory(post=post, owner=attache)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


@pytest.mark.parametrize("wanted", ["99999999999999999999999", "-1", "1.5", "ü", "0"])
def test_odd_post_ids_answer_as_absent(attache, wanted):
    response = client_for(attache).get(URL, {"post": wanted})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
