"""The spill guard: classified banners and portion marks are refused in free text, in any spelling,
through the pages and the API, each refusal audited exactly once; ordinary prose still saves.

Written as the attacks of issue row 8: banners in short and long fields, look-alike letters
(Cyrillic, full-width), invisible characters, letters spelt out, long forms in short fields.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts import services as contact_services
from contacts.models import Counterpart, Organization
from engagements.models import ActionItem, Agreement, Exercise, Meeting
from tenancy import spill
from tenancy.markings import Channel
from tenancy.models import AuditEvent
from tests.api.conftest import api_for
from tests.conftest import client_for
from tests.contacts.test_contacts_views import counterpart_data
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

# Text that must be refused, whatever the field. Look-alikes: Cyrillic Ѕ (U+0405), О and Р;
# full-width letters; zero-width space, soft hyphen and word joiner inside the word; a combining
# overlay; upper-case letters spelt out one by one.
REFUSED = [
    pytest.param("SECRET//NOFORN", id="banner"),
    pytest.param("TOP SECRET//SCI", id="banner-sci"),
    pytest.param("TS//SCI", id="ts-sci"),
    pytest.param("(S//NF) The minister said the deal is done.", id="portion-s-nf"),
    pytest.param("(S) The minister said the deal is done.", id="portion-s"),
    pytest.param("(C) The minister said the deal is done.", id="portion-c"),
    pytest.param("(TS) The minister said the deal is done.", id="portion-ts"),
    pytest.param("Handle as //NOFORN please.", id="noforn"),
    pytest.param("Release: //REL TO USA, GBR", id="rel-to"),
    pytest.param("s//nf in lower case", id="lowercase-slashes"),
    pytest.param("SECRET", id="level-alone"),
    pytest.param("Top Secret", id="level-alone-title-case"),
    pytest.param("The plan is SECRET until Monday.", id="upper-level-in-prose"),
    pytest.param("CONFIDENTIAL: minutes of the call", id="banner-with-colon"),
    pytest.param("SECRET NOFORN", id="level-and-control"),
    pytest.param("\u0405ECRET//NOFORN", id="cyrillic-dze"),
    pytest.param("T\u041e\u0420 SECRET", id="cyrillic-o-er"),
    pytest.param("\uff33\uff25\uff23\uff32\uff25\uff34", id="full-width"),
    pytest.param("SE\u200bCRET", id="zero-width-space"),
    pytest.param("SEC\u00adRET//NF", id="soft-hyphen"),
    pytest.param("TOP\u2060 SECRET", id="word-joiner"),
    pytest.param("S\u0336ECRET", id="combining-overlay"),
    pytest.param("(\u0405) The minister said.", id="cyrillic-portion-mark"),
    pytest.param("S E C R E T", id="spelt-out"),
    pytest.param("S.E.C.R.E.T//NOFORN", id="spelt-out-dots"),
]
# Prose and unclassified markings that must still save.
PASSES = [
    "a secret ballot",
    "Confidential Secretary Ali",
    "top secret recipe",
    "The Secretary of Defence met the Confidential Secretary.",
    "U",
    "SBU",
    "SBU-NF",
    "(U) An unclassified portion.",
    "(SBU) A sensitive portion.",
    "(SBU/N) Not for foreign nationals.",
    "SBU//NOFORN handling applies.",
    "Sections (a), (b) and (c) of the MOU.",
    "GERMANY: DATT OFFICE CALL: SECRET BALLOT REFORM, 16 JUNE 2026",
    "Ask the officer(s) on duty; see https://sci.example.org/a//b",
    "Секретарь министра обороны",
    "Colonel S. Ali of the TS Directorate",
]
TAGS_REFUSED = ["S, NF, TS", "alumni, SCI", "maritime, s", "NOFORN"]
TAGS_PASS = ["MARR, PREL, GM", "alumni, maritime", "sbu, u"]


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize("text", REFUSED)
def test_the_guard_finds_the_marking(text):
    assert spill.find(text) is not None


@pytest.mark.parametrize("text", PASSES)
def test_the_guard_lets_prose_and_unclassified_marks_through(text):
    assert spill.find(text) is None


@pytest.mark.parametrize("tags", TAGS_REFUSED)
def test_tags_that_are_markings_are_refused(tags):
    assert spill.find(tags, kind="tags") is not None
    assert spill.find(tags.split(", "), kind="tags") is not None


@pytest.mark.parametrize("tags", TAGS_PASS)
def test_ordinary_tags_pass(tags):
    assert spill.find(tags, kind="tags") is None


@pytest.mark.parametrize("value", ["\u0405", "\uff33", "S\u200b", "(\u0405)", "\u0422\u0405", "C\u0336"])
def test_look_alike_markings_are_classified_markings(value):
    assert spill.find(value, kind="marking") is not None


def test_a_twenty_thousand_character_summary_is_read_quickly():
    import time

    text = "The Secretary met the Minister (c) on 16 June; Müller took notes. " * 300
    started = time.perf_counter()
    assert spill.find(text) is None
    assert time.perf_counter() - started < 1.0


# ---------------------------------------------------------------- the models (every service)


def test_the_service_refuses_a_banner_in_any_text_field(post, attache):
    for field in ["family_name", "given_names", "position", "biography", "protocol_notes", "restricted_notes"]:
        fields = {"family_name": "Haddad", field: "(S) x"}
        with pytest.raises(ValidationError) as refused:
            contact_services.counterpart_create(post=post, by=attache, **fields)
        assert refused.value.error_dict[field][0].code == spill.CLASSIFIED
    with pytest.raises(ValidationError):
        contact_services.counterpart_create(post=post, by=attache, family_name="Haddad", tags=["S", "NF"])
    assert not Counterpart.objects.exists()


# ---------------------------------------------------------------- pages


def _classified_events():
    return AuditEvent.objects.filter(action="classified_refused")


@pytest.mark.parametrize("text", REFUSED)
def test_the_counterpart_page_refuses_and_audits_once(attache, text):
    response = client_for(attache).post(reverse("counterpart_create"), counterpart_data(biography=text))
    assert response.status_code == 400
    assert "unclassified information only" in response.content.decode()
    assert response.context["form"].errors["biography"].as_data()[0].code == spill.CLASSIFIED
    assert not Counterpart.objects.exists()
    event = _classified_events().get()
    assert (event.user, event.outcome, event.object_type) == (attache, "denied", "contacts.Counterpart")
    assert "biography" in event.detail and "minister" not in event.detail.lower()


@pytest.mark.parametrize("text", PASSES)
def test_the_counterpart_page_saves_prose(attache, text):
    response = client_for(attache).post(reverse("counterpart_create"), counterpart_data(biography=text))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Counterpart.objects.get().biography == text
    assert not _classified_events().exists()


@pytest.mark.parametrize(
    "field,value",
    [
        # Long forms in short fields: refused as classified, not merely as "too long".
        ("family_name", "SECRET//NOFORN//REL TO USA, AUS, CAN, GBR, NZL " * 3),
        ("marking", "SECRET//NOFORN//REL TO USA, FVEY"),
        ("phone", "(S) 555 0101 " * 4),
        # Look-alikes in the marking: "not a valid choice" before, not audited.
        ("marking", "\u0405"),
        ("marking", "\uff34\uff33"),
        ("tags", "S, NF, TS"),
    ],
)
def test_long_forms_and_look_alikes_in_short_fields_are_refused_as_classified_and_audited(attache, field, value):
    response = client_for(attache).post(reverse("counterpart_create"), counterpart_data(**{field: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors[field].as_data()
    assert [e.code for e in errors] == [spill.CLASSIFIED]
    assert _classified_events().count() == 1
    assert not Counterpart.objects.exists()


@pytest.mark.parametrize(
    "name,model,field",
    [
        ("organization_create", Organization, "name"),
        ("meeting_new", Meeting, "summary"),
        ("agreement_new", Agreement, "title"),
        ("exercise_new", Exercise, "location"),
        ("action_new", ActionItem, "description"),
    ],
)
def test_every_create_page_refuses_a_banner_in_text_and_audits_once(post, attache, name, model, field):
    data = {"marking": "U", "channel": "post", "title": "Staff talks", "name": "Staff talks", field: "TOP SECRET//SCI"}
    response = client_for(attache).post(reverse(name), data)
    assert response.status_code == 400
    assert "unclassified information only" in response.content.decode()
    assert model.objects.count() == 0
    event = _classified_events().get()
    assert event.object_type == model._meta.label and field in event.detail


def test_a_follow_up_typed_with_a_meeting_is_refused_and_audited_once(post, attache):
    data = {
        "title": "Office call",
        "kind": "office_call",
        "status": "planned",
        "starts_at": "2026-06-16T09:00",
        "ends_at": "2026-06-16T10:00",
        "marking": "U",
        "channel": "post",
        "include_in_weekly": "yes",
        "followups-TOTAL_FORMS": "1",
        "followups-INITIAL_FORMS": "0",
        "followups-MIN_NUM_FORMS": "0",
        "followups-MAX_NUM_FORMS": "20",
        "followups-0-description": "Send the (S//NF) read-out",
        "followups-0-due_on": "2026-06-20",
    }
    response = client_for(attache).post(reverse("meeting_new"), data)
    assert response.status_code == 400
    assert not Meeting.objects.exists() and not ActionItem.objects.exists()
    assert _classified_events().get().object_type == "engagements.ActionItem"


def test_an_agreement_status_note_is_refused_and_audited_once(post, attache):
    agreement = AgreementFactory(post=post, status="proposed", channel=Channel.POST)
    url = reverse("agreement_change_status", args=[agreement.pk])
    data = {"to_status": "negotiating", "on": "2026-01-05", "note": "ＳＥＣＲＥＴ//ＮＯＦＯＲＮ minutes"}
    response = client_for(attache).post(url, data)
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.status == "proposed"
    assert _classified_events().get().object_type == "engagements.Agreement"


# ---------------------------------------------------------------- API


def _api_errors(response) -> dict:
    return response.json()["fields"]


@pytest.mark.parametrize("text", REFUSED)
def test_the_api_refuses_and_audits_once(attache, text):
    response = api_for(attache).post("/api/v1/counterparts/", {"family_name": "Haddad", "biography": text})
    assert response.status_code == 400
    error = _api_errors(response)["biography"][0]
    assert error["code"] == spill.CLASSIFIED and "unclassified information only" in error["message"]
    assert not Counterpart.objects.exists()
    event = _classified_events().get()
    assert (event.user, event.outcome, event.object_type) == (attache, "denied", "contacts.Counterpart")
    assert event.detail.startswith("API:")


@pytest.mark.parametrize("text", PASSES)
def test_the_api_saves_prose(attache, text):
    response = api_for(attache).post("/api/v1/counterparts/", {"family_name": "Haddad", "biography": text})
    assert response.status_code == 201, response.content
    assert not _classified_events().exists()


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"family_name": "SECRET//NOFORN//REL TO USA, AUS, CAN, GBR, NZL " * 3}, "family_name"),
        ({"family_name": "X", "marking": "SECRET//NOFORN//REL TO USA, FVEY"}, "marking"),
        ({"family_name": "X", "marking": "\u0405"}, "marking"),
        ({"family_name": "X", "tags": ["alumni", "TS"]}, "tags"),
        ({"family_name": "X", "tags": ["S", "NF", "TS"]}, "tags"),
    ],
)
def test_the_api_refuses_long_forms_look_alikes_and_tags_as_classified(attache, payload, field):
    response = api_for(attache).post("/api/v1/counterparts/", payload)
    assert response.status_code == 400
    assert [e["code"] for e in _api_errors(response)[field]] == [spill.CLASSIFIED]
    assert _classified_events().count() == 1


def test_the_api_refuses_a_follow_up_banner_nested_in_a_meeting(post, attache):
    payload = {
        "title": "Office call",
        "starts_at": "2026-06-16T09:00:00Z",
        "ends_at": "2026-06-16T10:00:00Z",
        "follow_ups": [{"description": "Fine"}, {"description": "(TS) read-out"}],
    }
    response = api_for(attache).post("/api/v1/meetings/", payload)
    assert response.status_code == 400
    assert _api_errors(response)["follow_ups.1.description"][0]["code"] == spill.CLASSIFIED
    assert not Meeting.objects.exists()
    event = _classified_events().get()
    assert event.object_type == "engagements.Meeting" and event.post_id == post.pk


def test_the_api_refuses_a_classified_status_note(post, attache):
    agreement = AgreementFactory(post=post, status="proposed")
    url = f"/api/v1/agreements/{agreement.pk}/status/"
    body = {"to_status": "negotiating", "on": "2026-01-05", "note": "SECRET//NF"}
    response = api_for(attache).post(url, body, HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert _classified_events().count() == 1
