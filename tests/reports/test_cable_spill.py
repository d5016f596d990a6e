"""Issue row 8 as the attack, through the cable editor (page and API): a released cable carried
`SUBJECT: SECRET//NOFORN`, a heading `TOP SECRET//SCI`, `TAGS: S, NF, TS` and a paragraph `(S//NF)`.
Each is now refused with the spill guard's message, audited exactly once, and nothing is saved."""

import pytest
from django.urls import reverse

from reports.models import Cable, CableStatus
from tenancy import spill
from tenancy.models import AuditEvent
from tests.api.conftest import api_for
from tests.conftest import client_for

from .test_cable_views import formset_data, make_cable


def edit_data(cable, **overrides):
    """The editor's form as the browser sends it: the blank extra paragraph left at its defaults."""
    extra = cable.paragraphs.count()
    return formset_data(
        cable, **{f"paragraphs-{extra}-marking": "U", f"paragraphs-{extra}-channel": "post", **overrides}
    )


pytestmark = pytest.mark.django_db

LONG_SUBJECT = "BANDARIA: WEEKLY SUMMARY " + "SECRET//NOFORN//REL TO USA, FVEY " * 8  # > 250 characters
LONG_HEADING = "TOP SECRET//SCI//NOFORN//REL TO USA, AUS, CAN, GBR, NZL AND FVEY"  # > 60 characters
assert len(LONG_SUBJECT) > 250 and len(LONG_HEADING) > 60

PAGE_ATTACKS = [
    pytest.param("subject", {"subject": "SECRET//NOFORN"}, id="subject"),
    pytest.param("subject", {"subject": "\u0405ECRET//NOFORN"}, id="subject-cyrillic"),
    pytest.param("subject", {"subject": LONG_SUBJECT}, id="subject-long-form"),
    pytest.param("tags", {"tags": "S, NF, TS"}, id="tags"),
    pytest.param("tags", {"tags": "MARR, \uff34\uff33"}, id="tags-full-width"),
    pytest.param("heading", {"paragraphs-0-heading": "TOP SECRET//SCI"}, id="heading"),
    pytest.param("heading", {"paragraphs-0-heading": LONG_HEADING}, id="heading-long-form"),
    pytest.param("text", {"paragraphs-0-text": "(S//NF) The minister confirmed the deal."}, id="paragraph"),
    pytest.param("text", {"paragraphs-1-text": "The minister (S) confirmed. SE\u200bCRET"}, id="paragraph-zwsp"),
    pytest.param("text", {"paragraphs-2-text": "(TS) New paragraph.", "paragraphs-2-channel": "post"}, id="new"),
    pytest.param("marking", {"paragraphs-0-marking": "\u0405"}, id="marking-look-alike"),
]


@pytest.mark.parametrize("field,overrides", PAGE_ATTACKS)
def test_the_cable_editor_refuses_banners_and_audits_once(post, attache, chief, diplomat, field, overrides):
    cable = make_cable(post)
    before = (cable.subject, cable.tags, [(p.heading, p.text, p.marking) for p in cable.paragraphs.all()])
    data = edit_data(cable, **overrides)
    if "paragraphs-2-text" in overrides:
        data.update({"paragraphs-2-ORDER": "3", "paragraphs-2-heading": ""})
    response = client_for(attache).post(reverse("cable_edit", args=[cable.pk]), data)
    assert response.status_code == 400
    assert "unclassified information only" in response.content.decode()
    errors = [
        error.code
        for form in [response.context["header"], *response.context["formset"].forms]
        if field in form.errors
        for error in form.errors[field].as_data()
    ]
    assert errors == [spill.CLASSIFIED]
    event = AuditEvent.objects.get(action="classified_refused")
    assert (event.user, event.outcome, event.post_id) == (attache, "denied", post.pk)
    cable = Cable.objects.get(pk=cable.pk)
    assert (cable.subject, cable.tags, [(p.heading, p.text, p.marking) for p in cable.paragraphs.all()]) == before
    # And what the chief releases carries none of it.
    client_for(chief).post(reverse("cable_release", args=[cable.pk]))
    released = Cable.objects.get(pk=cable.pk)
    assert released.status == CableStatus.RELEASED and spill.find(released.released_text) is None


API_ATTACKS = [
    pytest.param({"subject": "SECRET//NOFORN"}, "subject", id="subject"),
    pytest.param({"subject": LONG_SUBJECT}, "subject", id="subject-long-form"),
    pytest.param({"tags": "S, NF, TS"}, "tags", id="tags"),
    pytest.param({"paragraphs": [{"heading": "TOP SECRET//SCI", "text": "x"}]}, "paragraphs.0.heading", id="heading"),
    pytest.param({"paragraphs": [{"heading": LONG_HEADING, "text": "x"}]}, "paragraphs.0.heading", id="heading-long"),
    pytest.param({"paragraphs": [{"text": "(S//NF) The minister said."}]}, "paragraphs.0.text", id="paragraph"),
    pytest.param({"paragraphs": [{"text": "x", "marking": "TS//SCI"}]}, "paragraphs.0.marking", id="marking"),
]


@pytest.mark.parametrize("payload,field", API_ATTACKS)
def test_the_cable_api_refuses_banners_and_audits_once(post, attache, payload, field):
    cable = make_cable(post)
    before = (cable.subject, cable.tags, list(cable.paragraphs.values_list("heading", "text")))
    client = api_for(attache)
    url = f"/api/v1/cables/{cable.pk}/"
    response = client.patch(url, payload, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 400, response.content
    assert [e["code"] for e in response.json()["fields"][field]] == [spill.CLASSIFIED]
    event = AuditEvent.objects.get(action="classified_refused")
    assert (event.user, event.object_type, event.post_id) == (attache, "reports.Cable", post.pk)
    cable = Cable.objects.get(pk=cable.pk)
    assert (cable.subject, cable.tags, list(cable.paragraphs.values_list("heading", "text"))) == before


def test_a_return_note_with_a_banner_is_refused_and_audited(post, chief):
    cable = make_cable(post)
    response = client_for(chief).post(reverse("cable_return", args=[cable.pk]), {"note": "Remove the SECRET//NF part"})
    assert response.status_code == 400
    assert Cable.objects.get(pk=cable.pk).status == CableStatus.DRAFT
    assert AuditEvent.objects.filter(action="classified_refused").count() == 1
    client = api_for(chief)
    url = f"/api/v1/cables/{cable.pk}/"
    response = client.post(url + "return/", {"note": "(TS) remove"}, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="classified_refused").count() == 2


def test_a_widening_reason_with_a_banner_is_refused_and_audited(post, chief):
    cable = make_cable(post, channel="attache")
    url = reverse("cable_widen", args=[cable.pk])
    response = client_for(chief).post(url, {"channel": "post", "reason": "Cleared: SECRET//REL TO USA"})
    assert response.status_code == 400
    assert Cable.objects.get(pk=cable.pk).channel == "attache"
    assert AuditEvent.objects.filter(action="classified_refused").count() == 1
    assert not AuditEvent.objects.filter(action="widen").exists()


def test_prose_in_a_cable_still_saves(post, attache):
    cable = make_cable(post)
    data = edit_data(
        cable,
        subject="BANDARIA: THE SECRET BALLOT REFORM",
        **{"paragraphs-0-text": "The Confidential Secretary Ali described a secret ballot. (U) portion marks pass."},
    )
    response = client_for(attache).post(reverse("cable_edit", args=[cable.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not AuditEvent.objects.filter(action="classified_refused").exists()
