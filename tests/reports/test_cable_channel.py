"""A cable never widens by editing; only the chief widens it, with a reason, audited.

Written as the attacks of issue row 4 through the cable editor (page and API): delete the
attaché-channel paragraphs of a draft, type the same text back as `post`, release, and see whether
a diplomat can read it; and a contact report whose SUBJECT names an attaché-channel counterpart.
"""

import datetime as dt
import html

import pytest
from django.urls import reverse

from contacts.choices import NatoGrade
from reports import drafting, services
from reports.models import Cable, CableKind
from tenancy.markings import Channel, Marking
from tenancy.models import AuditEvent
from tests.api.conftest import api_for
from tests.conftest import client_for
from tests.factories import CounterpartFactory

from .conftest import WEEK, local, meet
from .test_cable_views import formset_data

pytestmark = pytest.mark.django_db


def _readable_by(user, cable) -> bool:
    """Whether `user` reads the cable anywhere: its page, its .txt, the list, the API."""
    client = client_for(user)
    codes = {
        client.get(reverse("cable_detail", args=[cable.pk])).status_code,
        client.get(reverse("cable_text", args=[cable.pk])).status_code,
        api_for(user).get(f"/api/v1/cables/{cable.pk}/").status_code,
    }
    listed = html.escape(cable.subject) in client.get(reverse("cable_list")).content.decode()
    api_listed = any(c["id"] == cable.pk for c in api_for(user).get("/api/v1/cables/").json()["results"])
    assert codes in ({200}, {404}), codes
    assert listed is api_listed is (codes == {200})
    return codes == {200}


def _retype_attache_paragraphs_as_post(cable) -> dict:
    """The editor's form data: every attaché-channel paragraph removed, its text added back as `post`."""
    paragraphs = list(cable.paragraphs.all())
    attache = [p for p in paragraphs if p.channel == Channel.ATTACHE]
    assert attache, "the attack needs attaché-channel paragraphs"
    overrides = {}
    for i, p in enumerate(paragraphs):
        if p.channel == Channel.ATTACHE:
            overrides[f"paragraphs-{i}-DELETE"] = "on"
    overrides["paragraphs-TOTAL_FORMS"] = str(len(paragraphs) + len(attache))
    for j, p in enumerate(attache):
        n = len(paragraphs) + j
        overrides.update(
            {
                f"paragraphs-{n}-ORDER": str(100 + j),
                f"paragraphs-{n}-heading": p.heading,
                f"paragraphs-{n}-block": "",
                f"paragraphs-{n}-marking": p.marking,
                f"paragraphs-{n}-channel": "post",
                f"paragraphs-{n}-text": p.text,
            }
        )
    return formset_data(cable, **overrides)


def _release(cable, chief):
    response = client_for(chief).post(reverse("cable_release", args=[cable.pk]))
    assert response.status_code == 302
    return Cable.objects.get(pk=cable.pk)


# ---------------------------------------------------------------- row 4: the weekly summary


@pytest.fixture
def attache_draft(golden_week):
    """The golden week's summary: the working group with Colonel WEISS is attaché channel."""
    cable = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    assert cable.channel == cable.channel_floor == Channel.ATTACHE
    return cable


def test_removing_attache_paragraphs_and_retyping_them_as_post_keeps_the_attache_channel(
    attache_draft, attache_at_berlin, berlin_chief, diplomat_at_berlin
):
    response = client_for(attache_at_berlin).post(
        reverse("cable_edit", args=[attache_draft.pk]), _retype_attache_paragraphs_as_post(attache_draft)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    cable = Cable.objects.get(pk=attache_draft.pk)
    assert {p.channel for p in cable.paragraphs.all()} == {Channel.POST}  # the edit itself went through
    assert "WEISS" in cable.paragraphs.filter(text__contains="WEISS").get().text
    assert (cable.channel, cable.channel_floor) == (Channel.ATTACHE, Channel.ATTACHE)
    released = _release(cable, berlin_chief)
    assert released.channel == Channel.ATTACHE
    assert not _readable_by(diplomat_at_berlin, released)


def test_the_same_attack_through_the_api_keeps_the_attache_channel(
    attache_draft, attache_at_berlin, berlin_chief, diplomat_at_berlin
):
    client = api_for(attache_at_berlin)
    url = f"/api/v1/cables/{attache_draft.pk}/"
    paragraphs = list(attache_draft.paragraphs.all())
    body = [{"id": p.pk} for p in paragraphs if p.channel == Channel.POST] + [
        {"heading": p.heading, "marking": p.marking, "channel": "post", "text": p.text}
        for p in paragraphs
        if p.channel == Channel.ATTACHE
    ]
    response = client.patch(url, {"paragraphs": body}, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200, response.content
    assert response.json()["channel"] == Channel.ATTACHE
    released = _release(Cable.objects.get(pk=attache_draft.pk), berlin_chief)
    assert not _readable_by(diplomat_at_berlin, released)


def test_a_post_channel_week_stays_readable_by_the_diplomat(berlin, berlin_chief, diplomat_at_berlin):
    """The control: without attaché-channel sources the cable is post channel and the diplomat reads it."""
    cable = services.weekly_summary_draft(post=berlin, period_start=WEEK)
    assert (cable.channel, cable.channel_floor) == (Channel.POST, Channel.POST)
    assert _readable_by(diplomat_at_berlin, _release(cable, berlin_chief))


def test_a_paragraph_narrowed_then_removed_still_narrows_the_cable(berlin, attache_at_berlin):
    cable = services.weekly_summary_draft(post=berlin, period_start=WEEK)
    paragraphs = [{"id": p.pk} for p in cable.paragraphs.all()]
    narrowed = [{**paragraphs[0], "channel": Channel.ATTACHE}, *paragraphs[1:]]
    services.cable_update(cable=cable, by=attache_at_berlin, paragraphs=narrowed)
    services.cable_update(cable=cable, by=attache_at_berlin, paragraphs=paragraphs[1:])
    cable.refresh_from_db()
    assert {p.channel for p in cable.paragraphs.all()} == {Channel.POST}
    assert cable.channel == Channel.ATTACHE


# ---------------------------------------------------------------- row 4: the contact report's SUBJECT


@pytest.fixture
def weiss(berlin):
    return CounterpartFactory(
        post=berlin,
        family_name="Weiß",
        given_names="Jana",
        rank_title="Colonel",
        nato_grade=NatoGrade.OF5,
        position="Head of International Cooperation",
        channel=Channel.ATTACHE,
    )


@pytest.fixture
def weiss_report(berlin, weiss, attache_at_berlin):
    """A contact report of a *post-channel* meeting whose lead participant is attaché channel."""
    meeting = meet(berlin, local(16, 9), [weiss], kind="office_call", title="Office call", summary="Talked.")
    assert meeting.channel == Channel.POST
    response = client_for(attache_at_berlin).post(reverse("contact_report_create", args=[meeting.pk]))
    assert response.status_code == 302
    cable = Cable.objects.get(kind=CableKind.CONTACT_REPORT)
    assert "WEISS" in cable.subject
    return cable


def test_a_contact_report_naming_an_attache_channel_counterpart_is_attache_channel(weiss_report):
    assert (weiss_report.channel, weiss_report.channel_floor) == (Channel.ATTACHE, Channel.ATTACHE)


def test_its_subject_stays_unreadable_to_the_diplomat_after_the_paragraphs_are_retyped_as_post(
    weiss_report, attache_at_berlin, berlin_chief, diplomat_at_berlin
):
    response = client_for(attache_at_berlin).post(
        reverse("cable_edit", args=[weiss_report.pk]), _retype_attache_paragraphs_as_post(weiss_report)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    released = _release(Cable.objects.get(pk=weiss_report.pk), berlin_chief)
    assert released.channel == Channel.ATTACHE and "WEISS" in released.released_text
    assert not _readable_by(diplomat_at_berlin, released)
    assert "WEISS" not in client_for(diplomat_at_berlin).get(reverse("cable_list")).content.decode()
    assert "WEISS" not in api_for(diplomat_at_berlin).get("/api/v1/cables/").content.decode()


def test_the_subject_sources_count_even_when_no_paragraph_names_them(berlin, weiss):
    """Drafting: the subject's own channel is part of the cable's, not only the paragraphs'."""
    draft = drafting.Draft(
        subject="GERMANY: DATT OFFICE CALL WITH COLONEL WEISS",
        tags="PREL, GM",
        paragraphs=[drafting.DraftParagraph(text="A quiet call.")],
        subject_channel=Channel.ATTACHE,
    )
    assert draft.channel == Channel.ATTACHE


def test_a_contact_report_of_post_channel_people_is_read_by_the_diplomat(
    berlin, attache_at_berlin, berlin_chief, diplomat_at_berlin
):
    arden = CounterpartFactory(post=berlin, family_name="Arden", rank_title="General", nato_grade=NatoGrade.OF9)
    meeting = meet(berlin, local(16, 9), [arden], title="Call on the CHOD", marking=Marking.SBU)
    cable = services.contact_report_draft(meeting=meeting, by=attache_at_berlin)
    assert cable.channel == Channel.POST
    assert _readable_by(diplomat_at_berlin, _release(cable, berlin_chief))


# ---------------------------------------------------------------- only the chief widens, with a reason


REASON = "The DCM needs it for the visit; the colonel agreed to be named."


def test_the_chief_widens_with_a_reason_and_it_is_audited(
    weiss_report, berlin_chief, diplomat_at_berlin, attache_at_berlin
):
    client = client_for(berlin_chief)
    url = reverse("cable_widen", args=[weiss_report.pk])
    assert "Widen channel" in client.get(weiss_report.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    assert client.post(url, {"channel": "post", "reason": ""}).status_code == 400
    response = client.post(url, {"channel": "post", "reason": REASON})
    assert response.status_code == 302
    cable = Cable.objects.get(pk=weiss_report.pk)
    assert (cable.channel, cable.channel_floor) == (Channel.POST, Channel.POST)
    assert {p.channel for p in cable.paragraphs.all()} == {Channel.POST}
    event = AuditEvent.objects.get(action="widen")
    assert event.user == berlin_chief and event.object_id == str(cable.pk) and event.outcome == "success"
    assert "attache -> post" in event.detail and REASON in event.detail
    assert _readable_by(diplomat_at_berlin, _release(cable, berlin_chief))


def test_the_chief_widens_through_the_api(weiss_report, berlin_chief):
    client = api_for(berlin_chief)
    url = f"/api/v1/cables/{weiss_report.pk}/"
    response = client.post(url + "widen/", {"reason": REASON}, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 200, response.content
    assert response.json()["channel"] == Channel.POST
    assert AuditEvent.objects.filter(action="widen", user=berlin_chief).count() == 1


def test_an_attache_cannot_widen(weiss_report, attache_at_berlin):
    client = client_for(attache_at_berlin)
    url = reverse("cable_widen", args=[weiss_report.pk])
    assert "Widen channel" not in client.get(weiss_report.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"channel": "post", "reason": REASON}).status_code == 403
    api = api_for(attache_at_berlin)
    assert (
        api.post(f"/api/v1/cables/{weiss_report.pk}/widen/", {"reason": REASON}, HTTP_IF_MATCH="*").status_code == 403
    )
    assert Cable.objects.get(pk=weiss_report.pk).channel == Channel.ATTACHE
    assert not AuditEvent.objects.filter(action="widen").exists()
    assert AuditEvent.objects.filter(action="access_denied", user=attache_at_berlin, detail="widen").count() == 3


def test_the_diplomat_cannot_even_find_the_widen_page(weiss_report, diplomat_at_berlin):
    assert client_for(diplomat_at_berlin).get(reverse("cable_widen", args=[weiss_report.pk])).status_code == 404


def test_widening_a_post_channel_or_released_cable_is_refused(berlin, berlin_chief):
    cable = services.weekly_summary_draft(post=berlin, period_start=WEEK)
    client = client_for(berlin_chief)
    assert (
        client.post(reverse("cable_widen", args=[cable.pk]), {"channel": "post", "reason": REASON}).status_code == 400
    )
    released = _release(cable, berlin_chief)
    assert client.post(reverse("cable_widen", args=[released.pk]), {"reason": REASON}).status_code == 403
    assert not AuditEvent.objects.filter(action="widen").exists()


def test_after_widening_a_new_attache_paragraph_narrows_it_again(weiss_report, berlin_chief, attache_at_berlin):
    cable = services.cable_widen(cable=weiss_report, by=berlin_chief, channel=Channel.POST, reason=REASON)
    paragraphs = [{"id": p.pk} for p in cable.paragraphs.all()]
    paragraphs.append({"text": "Attaché-only assessment.", "channel": Channel.ATTACHE, "marking": "U"})
    cable = services.cable_update(cable=cable, by=attache_at_berlin, paragraphs=paragraphs)
    assert (cable.channel, cable.channel_floor) == (Channel.ATTACHE, Channel.ATTACHE)
    cable = services.cable_update(cable=cable, by=attache_at_berlin, paragraphs=paragraphs[:-1])
    assert cable.channel == Channel.ATTACHE


def test_the_weekly_drafting_sets_the_floor_from_the_sources(golden_week):
    cable = services.weekly_summary_draft(post=golden_week, period_start=WEEK - dt.timedelta(weeks=1))
    assert cable.channel_floor == cable.channel
