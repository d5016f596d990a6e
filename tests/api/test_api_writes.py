"""Writes through the API: the services' rules, the one error shape, If-Match, nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from contacts.models import Appointment, Counterpart
from engagements.models import (
    ActionItem,
    Agreement,
    AgreementStatusChange,
    Exercise,
    Meeting,
)
from reports.models import Cable, CableParagraph
from tenancy.markings import Channel
from tenancy.models import AuditEvent
from tests.factories import (
    AgreementFactory,
    CableFactory,
    CableParagraphFactory,
    CounterpartFactory,
    ExerciseFactory,
    OrganizationFactory,
)

CP = "/api/v1/counterparts/"


def _errors(response):
    body = response.json()
    assert set(body) == {"status", "code", "detail", "fields"}, body
    assert body["status"] == response.status_code
    return body["fields"]


@pytest.fixture
def att(api, attache, post):
    return api(attache)


# ---------------------------------------------------------------- create


def test_create_counterpart_goes_through_the_service(att, attache, post):
    org = OrganizationFactory(post=post)
    response = att.post(
        CP,
        {
            "family_name": "Al-Rashid",
            "given_names": "Muhammad",
            "native_name": "محمد الراشد",
            "rank_title": "Brigadier",
            "nato_grade": "OF-6",
            "position": "J5",
            "organization": org.pk,
            "tags": ["alumni", "navy"],
            "restricted_notes": "Only for attachés",
            "marking": "SBU",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"{CP}{body['id']}/")
    assert response["ETag"].startswith('"')
    counterpart = Counterpart.objects.get(pk=body["id"])
    assert counterpart.post == post and counterpart.created_by == attache and counterpart.owner == attache
    assert body["native_name"] == "محمد الراشد" and body["tags"] == ["alumni", "navy"]
    # The service opened the first appointment and audited the creation.
    assert Appointment.objects.filter(counterpart=counterpart, position="J5", end_on__isnull=True).exists()
    assert body["appointments"][0]["position"] == "J5"
    assert AuditEvent.objects.filter(action="create", object_id=str(counterpart.pk)).exists()


def test_position_change_adds_an_appointment(att, attache, post):
    counterpart = att.post(CP, {"family_name": "Arden", "position": "J3"}).json()
    etag = att.get(f"{CP}{counterpart['id']}/")["ETag"]
    response = att.patch(f"{CP}{counterpart['id']}/", {"position": "Chief of Staff"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    positions = [a["position"] for a in response.json()["appointments"]]
    assert positions == ["Chief of Staff", "J3"]


@pytest.mark.parametrize(
    "payload,field,code",
    [
        ({"family_name": "X", "nickname": "Y"}, "nickname", "unknown_field"),
        ({"family_name": 12}, "family_name", "invalid"),
        ({"family_name": "X", "service": "space_force"}, "service", "invalid_choice"),
        ({"family_name": "X" * 101}, "family_name", "max_length"),
        ({"family_name": "X", "biography": "b" * 20_001}, "biography", "max_length"),
        ({"family_name": "X", "organization": "one"}, "organization", "incorrect_type"),
        (
            {"family_name": "X", "organization": 10**30},
            "organization",
            "does_not_exist",
        ),
        (
            {"family_name": "X", "last_verified_on": "2020-13-01"},
            "last_verified_on",
            "invalid",
        ),
        (
            {"family_name": "X", "last_verified_on": "0001-01-01"},
            "last_verified_on",
            "out_of_range",
        ),
        ({"family_name": "X", "email": "not-an-address"}, "email", "invalid"),
        ({"family_name": "X", "tags": "alumni"}, "tags", "not_a_list"),
        ({"family_name": "X", "channel": "secret"}, "channel", "invalid_choice"),
        ({}, "family_name", "required"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_nothing_saved(att, payload, field, code):
    response = att.post(CP, payload)
    assert response.status_code == 400, response.content
    errors = _errors(response)
    assert field in errors and errors[field][0]["code"] == code, errors
    assert not Counterpart.objects.exists()


@pytest.mark.parametrize("marking", ["SECRET", "TOP SECRET", "C", "(S)", "confidential"])
def test_classified_marking_is_refused_and_audited(att, attache, marking):
    response = att.post(CP, {"family_name": "X", "marking": marking})
    assert response.status_code == 400
    errors = _errors(response)
    assert errors["marking"][0]["code"] == "classified_marking"
    assert "unclassified" in errors["marking"][0]["message"]
    event = AuditEvent.objects.get(action="classified_refused")
    assert event.user == attache and event.outcome == "denied" and event.object_type == "contacts.Counterpart"
    assert not Counterpart.objects.exists()


def test_dates_in_the_wrong_order_are_400_from_the_model_rules(att, post):
    response = att.post(
        "/api/v1/exercises/",
        {
            "name": "SHIELD",
            "host_country": "DE",
            "starts_on": "2027-05-10",
            "ends_on": "2027-05-01",
        },
    )
    assert response.status_code == 400
    assert "ends_on" in _errors(response)
    assert not Exercise.objects.exists()
    response = att.post(
        "/api/v1/meetings/",
        {
            "title": "Call",
            "starts_at": "2026-05-10T10:00:00Z",
            "ends_at": "2026-05-10T09:00:00Z",
        },
    )
    assert response.status_code == 400 and "ends_at" in _errors(response)
    assert not Meeting.objects.exists()


def test_malformed_bodies_are_400_or_415_never_500(att):
    raw = att.client
    headers = att.headers
    assert raw.post(CP, "{not json", content_type="application/json", **headers).status_code == 400
    assert raw.post(CP, '{"family_name": "\\ud800"}', content_type="application/json", **headers).status_code == 400
    assert (
        raw.post(
            CP,
            "family_name=X",
            content_type="application/x-www-form-urlencoded",
            **headers,
        ).status_code
        == 415
    )
    assert raw.post(CP, "[1, 2]", content_type="application/json", **headers).status_code == 400
    assert raw.post(CP, "null", content_type="application/json", **headers).status_code == 400


def test_a_diplomat_may_not_create(api, diplomat, post):
    response = api(diplomat).post(CP, {"family_name": "X"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access_denied", user=diplomat).exists()


def test_a_post_is_needed_when_working_at_several(api, multi_post_attache, post, other_post):
    client = api(multi_post_attache)
    response = client.post(CP, {"family_name": "X"})
    assert response.status_code == 400 and "post" in _errors(response)
    assert client.post(CP, {"family_name": "X", "post": other_post.pk}).status_code == 201
    assert Counterpart.objects.get().post == other_post


def test_no_record_at_a_post_you_do_not_work_at(att, other_post):
    """A post the user has no role at is answered as an absent one (404), as the pages do."""
    response = att.post(CP, {"family_name": "X", "post": other_post.pk})
    assert response.status_code == 404 and response.json()["detail"] == "No such post."
    absent = att.post(CP, {"family_name": "X", "post": other_post.pk + 1000})
    assert absent.status_code == 404 and absent.json() == response.json()
    assert not Counterpart.objects.exists()


def test_hidden_or_other_post_links_are_refused(att, post, other_post, second_attache):
    hidden = OrganizationFactory(post=post, channel=Channel.RESTRICTED, created_by=second_attache)
    foreign = OrganizationFactory(post=other_post)
    for org in (hidden, foreign):
        response = att.post(CP, {"family_name": "X", "organization": org.pk})
        assert response.status_code == 400 and "organization" in _errors(response)
    assert not Counterpart.objects.exists()


# ---------------------------------------------------------------- restricted notes


def test_restricted_notes_only_for_those_allowed(api, world, attache, diplomat, chief):
    pk = world["post"]["counterparts"].pk
    assert api(attache).get(f"{CP}{pk}/").json()["restricted_notes"] == "RNOTE-CP-POSTMARK"
    assert api(chief).get(f"{CP}{pk}/").json()["restricted_notes"] == "RNOTE-CP-POSTMARK"
    body = api(diplomat).get(f"{CP}{pk}/").json()
    assert "restricted_notes" not in body
    meeting = api(diplomat).get(f"/api/v1/meetings/{world['post']['meetings'].pk}/").json()
    assert "restricted_notes" not in meeting
    listing = api(diplomat).get(CP).content.decode()
    assert "RNOTE" not in listing


def test_diplomat_granted_restricted_record_without_notes(api, world, diplomat):
    body = api(diplomat).get(f"{CP}{world['granted'].pk}/").json()
    assert body["family_name"] == "CpGRANTEDMARK" and "restricted_notes" not in body


def test_references_to_hidden_records_are_left_out(api, world, diplomat):
    meeting = api(diplomat).get(f"/api/v1/meetings/{world['post']['meetings'].pk}/").json()
    assert [p["counterpart"]["display_name"] for p in meeting["participants"]] == ["Tomas CPPOSTMARK"]
    # The follow-ups of a visible meeting: only those the diplomat may read.
    item = world["attache"]["action-items"]
    body = api(diplomat).get(f"/api/v1/action-items/{world['post']['action-items'].pk}/").json()
    assert body["meeting"]["title"] == "Meeting POSTMARK"
    assert api(diplomat).get(f"/api/v1/action-items/{item.pk}/").status_code == 404


# ---------------------------------------------------------------- optimistic concurrency


def test_change_without_if_match_is_428_and_changes_nothing(att, post):
    counterpart = CounterpartFactory(post=post, family_name="Before")
    response = att.patch(f"{CP}{counterpart.pk}/", {"family_name": "After"})
    assert response.status_code == 428 and response.json()["code"] == "precondition_required"
    counterpart.refresh_from_db()
    assert counterpart.family_name == "Before"


def test_stale_if_match_is_412_and_nothing_is_overwritten(att, api, post, second_attache):
    counterpart = CounterpartFactory(post=post, family_name="Before")
    url = f"{CP}{counterpart.pk}/"
    mine = att.get(url)["ETag"]
    theirs = api(second_attache)
    assert theirs.patch(url, {"position": "Theirs"}, HTTP_IF_MATCH=theirs.get(url)["ETag"]).status_code == 200
    response = att.patch(url, {"family_name": "Mine"}, HTTP_IF_MATCH=mine)
    assert response.status_code == 412 and response.json()["code"] == "precondition_failed"
    counterpart.refresh_from_db()
    assert (counterpart.family_name, counterpart.position) == ("Before", "Theirs")


def test_current_if_match_applies_the_change_and_returns_a_new_etag(att, post):
    counterpart = CounterpartFactory(post=post)
    url = f"{CP}{counterpart.pk}/"
    etag = att.get(url)["ETag"]
    response = att.patch(url, {"family_name": "Ünïcødé"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag and att.get(url)["ETag"] == response["ETag"]
    assert response.json()["family_name"] == "Ünïcødé"
    # The old tag is now stale; a weak tag never matches; `*` does.
    assert att.patch(url, {"family_name": "Again"}, HTTP_IF_MATCH=etag).status_code == 412
    assert att.patch(url, {"family_name": "Again"}, HTTP_IF_MATCH="W/" + response["ETag"]).status_code == 412
    assert att.patch(url, {"family_name": "Again"}, HTTP_IF_MATCH="*").status_code == 200


def test_put_needs_every_required_field(att, post):
    counterpart = CounterpartFactory(post=post)
    url = f"{CP}{counterpart.pk}/"
    response = att.put(url, {"position": "J2"}, HTTP_IF_MATCH=att.get(url)["ETag"])
    assert response.status_code == 400 and "family_name" in _errors(response)
    response = att.put(
        url,
        {"family_name": "Whole", "position": "J2"},
        HTTP_IF_MATCH=att.get(url)["ETag"],
    )
    assert response.status_code == 200 and response.json()["position"] == "J2"


def test_restricted_record_of_another_keeper_is_403_for_writes(api, attache, second_attache, post):
    counterpart = CounterpartFactory(post=post, channel=Channel.RESTRICTED, owner=second_attache)
    assert api(attache).patch(f"{CP}{counterpart.pk}/", {"family_name": "X"}, HTTP_IF_MATCH="*").status_code == 404
    from guardian.shortcuts import assign_perm

    assign_perm("view_counterpart", attache, counterpart)
    assert api(attache).patch(f"{CP}{counterpart.pk}/", {"family_name": "X"}, HTTP_IF_MATCH="*").status_code == 403


# ---------------------------------------------------------------- lifecycles


def test_agreement_status_goes_through_the_lifecycle_and_is_logged(att, post):
    agreement = AgreementFactory(post=post, status="negotiating")
    url = f"/api/v1/agreements/{agreement.pk}/"
    response = att.post(url + "status/", {"to_status": "signed"}, HTTP_IF_MATCH=att.get(url)["ETag"])
    assert response.status_code == 400 and "to_status" in _errors(response)
    response = att.post(
        url + "status/",
        {"to_status": "text_agreed", "note": "Final text"},
        HTTP_IF_MATCH=att.get(url)["ETag"],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "text_agreed" and body["status_log"][0]["note"] == "Final text"
    assert AgreementStatusChange.objects.filter(agreement=agreement, to_status="text_agreed").exists()


def test_agreement_dates_rule_from_the_service(att, post):
    response = att.post(
        "/api/v1/agreements/",
        {"title": "MOU", "signed_on": "2026-05-10", "effective_on": "2026-05-01"},
    )
    assert response.status_code == 400 and "effective_on" in _errors(response)
    assert not Agreement.objects.exists()


def test_exercise_phase(att, post):
    exercise = ExerciseFactory(post=post)
    url = f"/api/v1/exercises/{exercise.pk}/"
    response = att.post(url + "phase/", {"to_phase": "mpc"}, HTTP_IF_MATCH=att.get(url)["ETag"])
    assert response.status_code == 200 and response.json()["phase"] == "mpc"
    response = att.post(url + "phase/", {"to_phase": "concept"}, HTTP_IF_MATCH=att.get(url)["ETag"])
    assert response.status_code == 400 and "to_phase" in _errors(response)


def test_meeting_with_participants_and_follow_ups(att, attache, diplomat, post):
    counterpart = CounterpartFactory(post=post, position="J5", rank_title="Colonel")
    response = att.post(
        "/api/v1/meetings/",
        {
            "title": "Office call",
            "starts_at": "2026-06-16T09:00:00Z",
            "status": "conducted",
            "counterparts": [counterpart.pk, counterpart.pk],
            "attendees": [attache.pk],
            "follow_ups": [
                {
                    "description": "Send the agenda",
                    "assignee": diplomat.pk,
                    "due_on": "2026-06-20",
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["participants"]) == 1  # the id given twice counts once
    assert body["participants"][0]["position_at_time"] == "J5"
    assert body["follow_ups"][0]["description"] == "Send the agenda"
    item = ActionItem.objects.get()
    assert item.meeting_id == body["id"] and item.assignee == diplomat
    # A follow-up with an unknown field: 400 with its dotted path, nothing saved.
    response = att.post(
        "/api/v1/meetings/",
        {
            "title": "Again",
            "starts_at": "2026-06-17T09:00:00Z",
            "follow_ups": [{"description": "x", "oops": 1}],
        },
    )
    assert response.status_code == 400 and "follow_ups.0.oops" in _errors(response)
    assert Meeting.objects.count() == 1


def test_close_a_follow_up(att, post):
    response = att.post("/api/v1/action-items/", {"description": "Call back", "due_on": "2026-07-01"})
    assert response.status_code == 201
    url = f"/api/v1/action-items/{response.json()['id']}/"
    response = att.post(url + "close/", {"status": "dropped"}, HTTP_IF_MATCH=att.get(url)["ETag"])
    assert response.status_code == 200 and response.json()["status"] == "dropped"
    assert response.json()["completed_at"]
    response = att.post(url + "close/", {}, HTTP_IF_MATCH=att.get(url)["ETag"])
    assert response.status_code == 400


# ---------------------------------------------------------------- cables


@pytest.fixture
def draft(post, attache):
    cable = CableFactory(post=post, channel=Channel.POST, created_by=attache)
    CableParagraphFactory(cable=cable, position=1, text="First.")
    CableParagraphFactory(cable=cable, position=2, text="Second.")
    return cable


def test_attache_edits_a_draft_and_chief_releases_it(api, attache, chief, diplomat, draft):
    url = f"/api/v1/cables/{draft.pk}/"
    editor = api(attache)
    first, second = draft.paragraphs.order_by("position")
    response = editor.patch(
        url,
        {
            "subject": "BANDARIA: WEEKLY",
            "paragraphs": [
                {"id": second.pk},
                {"id": first.pk, "text": "First, edited."},
                {"text": "New.", "marking": "SBU"},
            ],
        },
        HTTP_IF_MATCH=editor.get(url)["ETag"],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [p["text"] for p in body["paragraphs"]] == [
        "Second.",
        "First, edited.",
        "New.",
    ]
    assert body["marking"] == "SBU" and "(SBU) New." in body["text"]
    # Release: not for the attaché; the chief, with the current version.
    assert editor.post(url + "release/", {}, HTTP_IF_MATCH="*").status_code == 403
    boss = api(chief)
    stale = body  # the attaché's version; the chief reads before releasing
    response = boss.post(url + "release/", {}, HTTP_IF_MATCH=boss.get(url)["ETag"])
    assert response.status_code == 200, response.content
    released = response.json()
    assert released["status"] == "released" and released["serial"].startswith("BANDAR 0") and released["sha256"]
    assert stale["status"] == "draft"
    # Frozen: no more edits, for anyone.
    for client in (editor, boss):
        assert client.patch(url, {"subject": "Changed"}, HTTP_IF_MATCH="*").status_code == 403
    assert Cable.objects.get(pk=draft.pk).subject == "BANDARIA: WEEKLY"
    # The diplomat now reads it (post channel, released).
    assert api(diplomat).get(url).status_code == 200


def test_release_of_a_version_the_chief_has_not_read_is_412(api, attache, chief, draft):
    url = f"/api/v1/cables/{draft.pk}/"
    boss = api(chief)
    read = boss.get(url)["ETag"]
    editor = api(attache)
    assert editor.patch(url, {"subject": "Edited meanwhile"}, HTTP_IF_MATCH=editor.get(url)["ETag"]).status_code == 200
    assert boss.post(url + "release/", {}, HTTP_IF_MATCH=read).status_code == 412
    assert Cable.objects.get(pk=draft.pk).status == "draft"


def test_cable_paragraph_ids_must_belong_to_the_cable(api, attache, draft, post):
    other = CableFactory(post=post, period_start=dt.date(2026, 6, 22), period_end=dt.date(2026, 6, 26))
    foreign = CableParagraphFactory(cable=other)
    url = f"/api/v1/cables/{draft.pk}/"
    response = api(attache).patch(url, {"paragraphs": [{"id": foreign.pk}]}, HTTP_IF_MATCH="*")
    assert response.status_code == 400 and "paragraphs.0.id" in _errors(response)
    assert CableParagraph.objects.filter(cable=draft).count() == 2


# ---------------------------------------------------------------- reads: filters, search, sync


def test_search_forgives_transliteration(api, attache, post):
    CounterpartFactory(post=post, family_name="Haddad", given_names="Muhammad")
    CounterpartFactory(post=post, family_name="Arden", given_names="Tomas")
    client = api(attache)
    for param in ("q", "search"):
        names = [c["family_name"] for c in client.get(CP, {param: "Mohamed"}).json()["results"]]
        assert names == ["Haddad"], param


def test_updated_since_returns_what_changed(api, attache, post):
    old = CounterpartFactory(post=post, family_name="Old")
    Counterpart.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    CounterpartFactory(post=post, family_name="New")
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    names = [c["family_name"] for c in api(attache).get(CP, {"updated_since": since}).json()["results"]]
    assert names == ["New"]
    assert api(attache).get(CP, {"updated_since": "yesterday"}).status_code == 400


def test_filters_ordering_and_pages(api, attache, post):
    for name in ("Cc", "Aa", "Bb"):
        CounterpartFactory(post=post, family_name=name, service="navy" if name != "Bb" else "army")
    client = api(attache)
    assert [c["family_name"] for c in client.get(CP, {"ordering": "-family_name"}).json()["results"]] == [
        "Cc",
        "Bb",
        "Aa",
    ]
    assert [
        c["family_name"] for c in client.get(CP, {"service": "navy", "ordering": "family_name"}).json()["results"]
    ] == ["Aa", "Cc"]
    page = client.get(CP, {"page_size": 2, "ordering": "family_name"}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    for bad in (
        {"ordering": "password"},
        {"service": "space"},
        {"page_size": 0},
        {"page_size": 201},
        {"colour": "red"},
        {"page": ""},
        {"page": "0"},
        {"page": "one"},
        {"service": ""},
    ):
        response = client.get(CP, bad)
        assert response.status_code == 400, bad
        assert list(_errors(response)) == list(bad), bad
    assert client.get(CP, {"page": 99}).status_code == 404


def test_unknown_addresses_under_api_are_json_404(api, attache):
    for path in (
        "/api/v1/nothing/",
        "/api/v1/counterparts/abc/",
        "/api/v2/",
        "/api/v1/counterparts/99999999999999999999999/",
    ):
        response = api(attache).get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path


def test_reading_a_restricted_record_is_audited_as_on_the_pages(api, world, diplomat):
    granted = world["granted"]
    assert api(diplomat).get(f"{CP}{granted.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="view", object_id=str(granted.pk))
    assert event.user == diplomat and event.detail == "restricted channel"
    # Post-channel reads leave nothing (as on the pages).
    api(diplomat).get(f"{CP}{world['post']['counterparts'].pk}/")
    assert AuditEvent.objects.filter(action="view").count() == 1


def test_updated_since_accepts_any_iso_offset(api, attache, post):
    # ISO 8601 allows offsets PostgreSQL cannot parse (beyond ±15:59): found by schemathesis.
    CounterpartFactory(post=post, family_name="Recent")
    response = api(attache).get(CP, {"updated_since": "2000-01-01T00:00:00+22:13"})
    assert response.status_code == 200
    assert [c["family_name"] for c in response.json()["results"]] == ["Recent"]
