"""Redraft from the records, release at the right time, the clearance chain and corrections."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from contacts.models import Counterpart
from reports import clearances, services, weeks
from reports.models import Cable, CableFrozen, CableStatus, Clearance, ParagraphOrigin, PostReporting
from reports.rendering import cable_text
from tenancy.markings import Marking
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ActionItemFactory, MembershipFactory, UserFactory

from .conftest import WEEK, local, meet

UTC = dt.UTC
AFTER_CUTOFF = dt.datetime(2026, 6, 19, 15, 0, tzinfo=UTC)
BEFORE_CUTOFF = dt.datetime(2026, 6, 16, 9, 0, tzinfo=UTC)  # Tuesday of the week


@pytest.fixture
def draft(golden_week):
    return services.weekly_summary_draft(post=golden_week, period_start=WEEK)


def _flat(cable) -> str:
    """The cable's text with its line breaks as spaces, so a phrase is found wherever it wraps."""
    return cable_text(cable).replace("\n", " ")


def _as_input(cable):
    return [
        {"id": p.pk, "heading": p.heading, "block": p.block, "marking": p.marking, "channel": p.channel, "text": p.text}
        for p in cable.paragraphs.all()
    ]


def _edit_comment(cable, by, text):
    paragraphs = _as_input(cable)
    paragraphs[-1]["text"] = text
    return services.cable_update(cable=cable, by=by, paragraphs=paragraphs)


def _late_meeting(post):
    """A meeting with General Arden on the Thursday, logged after the draft was made."""
    counterpart = Counterpart.objects.get(post=post, family_name="Arden")
    return meet(
        post,
        local(18, 15),
        [counterpart],
        kind="office_call",
        title="Office call: General Arden on staff talks",
        location="Ministry of Defence, Berlin",
        summary="Confirmed the staff talks for September",
    )


# ---------------------------------------------------------------- redraft


def test_redraft_brings_in_a_meeting_logged_after_drafting_and_keeps_the_edited_paragraph(draft, berlin_chief):
    _edit_comment(draft, berlin_chief, "Keen to deepen helicopter training; DAO recommends staff talks.")
    _late_meeting(draft.post)
    assert "Confirmed the staff talks" not in _flat(Cable.objects.get(pk=draft.pk))

    plan = services.cable_redraft_plan(cable=draft, by=berlin_chief)
    assert plan.changed
    changes = [(s.change, s.text[:30]) for s in plan.steps]
    assert [s.text for s in plan.steps if s.change == "added"] == [
        "DATT met Chief of Defence Staff General Tomas ARDEN (OF-9) on 18 June at Ministry of Defence, Berlin. "
        "Confirmed the staff talks for September."
    ]
    assert ("kept", "Keen to deepen helicopter trai") in changes
    assert [s.change for s in plan.steps].count("updated") == 1  # the SUMMARY: 3 engagements now

    cable = services.cable_redraft(cable=draft, by=berlin_chief, fingerprint=plan.fingerprint)
    text = _flat(cable)
    assert "Confirmed the staff talks for September" in text
    assert "at Ministry of Defence, Berlin" in text
    assert "Keen to deepen helicopter training" in text and "DATT assessment to be added" not in text
    assert "DATT conducted 3 engagements" in text
    comment = cable.paragraphs.get(block="comment")
    assert comment.origin == ParagraphOrigin.EDITED
    event = AuditEvent.objects.get(action="redraft", object_id=str(cable.pk))
    assert event.user == berlin_chief and "1 added" in event.detail and "1 kept" in event.detail


def test_a_paragraph_a_person_wrote_stays_after_the_one_it_followed(draft, attache_at_berlin):
    paragraphs = _as_input(draft)
    paragraphs.insert(2, {"heading": "KEY LEADER ENGAGEMENTS", "marking": "U", "channel": "attache", "text": "Mine."})
    services.cable_update(cable=draft, by=attache_at_berlin, paragraphs=paragraphs)
    _late_meeting(draft.post)
    cable = services.cable_redraft(cable=draft, by=attache_at_berlin)
    texts = [p.text for p in cable.paragraphs.all()]
    assert texts[2] == "Mine." and texts[1].startswith("DATT met Chief of Defence Staff")
    assert cable.paragraphs.get(text="Mine.").origin == ParagraphOrigin.WRITTEN
    assert len(texts) == len(paragraphs) + 1  # the late meeting, nothing duplicated


def test_redraft_saves_nothing_when_the_records_changed_since_the_preview(draft, berlin_chief):
    plan = services.cable_redraft_plan(cable=draft, by=berlin_chief)
    _late_meeting(draft.post)
    before = _flat(Cable.objects.get(pk=draft.pk))
    with pytest.raises(ValidationError, match="changed since the preview"):
        services.cable_redraft(cable=draft, by=berlin_chief, fingerprint=plan.fingerprint)
    assert _flat(Cable.objects.get(pk=draft.pk)) == before


def test_the_scheduler_refreshes_an_untouched_draft_but_never_one_a_person_touched(draft, attache_at_berlin):
    _late_meeting(draft.post)
    refreshed = services.weekly_summary_draft(post=draft.post, period_start=WEEK)
    assert refreshed.pk == draft.pk and "Confirmed the staff talks" in _flat(refreshed)
    assert services.weekly_summaries_to_refresh() == [(draft.post_id, WEEK)]

    _edit_comment(refreshed, attache_at_berlin, "The attaché's own comment.")
    meet(draft.post, local(18, 17), [], kind="social", title="Reception", summary="Another late one")
    again = services.weekly_summary_draft(post=draft.post, period_start=WEEK)
    assert "Another late one" not in _flat(again) and "The attaché's own comment." in _flat(again)
    assert services.weekly_summaries_to_refresh() == []


def test_redraft_page_shows_the_changes_before_saving_them(draft, berlin_chief):
    _late_meeting(draft.post)
    client = client_for(berlin_chief)
    url = reverse("cable_redraft", args=[draft.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'data-change="added"' in body and "Confirmed the staff talks" in body
    assert "Confirmed the staff talks" not in _flat(Cable.objects.get(pk=draft.pk))  # shown, not saved
    assert client.post(url, {"fingerprint": "0" * 64}).status_code == 400  # not what was shown
    fingerprint = page.context["plan"].fingerprint
    assert client.post(url, {"fingerprint": fingerprint}).status_code == 302
    assert "Confirmed the staff talks" in _flat(Cable.objects.get(pk=draft.pk))


def test_diplomats_never_reach_the_redraft_and_attaches_cannot_redraft_a_released_cable(
    draft, berlin_chief, diplomat_at_berlin, attache_at_berlin
):
    assert client_for(diplomat_at_berlin).get(reverse("cable_redraft", args=[draft.pk])).status_code == 404
    released = services.cable_release(cable=draft, by=berlin_chief, at=AFTER_CUTOFF)
    assert client_for(attache_at_berlin).get(reverse("cable_redraft", args=[released.pk])).status_code == 403


# ---------------------------------------------------------------- release at the right time


def test_a_weekly_summary_released_before_its_cutoff_needs_a_reason_kept_in_the_audit(draft, berlin_chief):
    assert weeks.cutoff(draft.post, WEEK) == dt.datetime(2026, 6, 19, 10, 0, tzinfo=UTC)
    with pytest.raises(ValidationError) as refused:
        services.cable_release(cable=draft, by=berlin_chief, at=BEFORE_CUTOFF, reason="too short")
    assert "reason" in refused.value.message_dict
    assert Cable.objects.get(pk=draft.pk).status == CableStatus.DRAFT
    released = services.cable_release(
        cable=draft, by=berlin_chief, at=BEFORE_CUTOFF, reason="The ambassador leaves on Wednesday."
    )
    assert released.status == CableStatus.RELEASED
    event = AuditEvent.objects.get(action="release", object_id=str(draft.pk))
    assert event.detail == "BANDAR 000001; before the cutoff: The ambassador leaves on Wednesday."


def test_from_the_cutoff_on_no_reason_is_asked(draft, berlin_chief):
    at_cutoff = weeks.cutoff(draft.post, WEEK)
    assert services.cable_release(cable=draft, by=berlin_chief, at=at_cutoff).serial == "BANDAR 000001"


def test_release_confirmation_page_asks_for_a_reason_before_the_cutoff(berlin, berlin_chief):
    next_week = weeks.monday_of(timezone.now().astimezone(berlin.tzinfo).date()) + dt.timedelta(weeks=1)
    cable = services.weekly_summary_draft(post=berlin, period_start=next_week)
    client = client_for(berlin_chief)
    url = reverse("cable_release", args=[cable.pk])
    page = client.get(url).content.decode()
    assert "Releasing before then needs a reason" in page and "data-confirm" not in page
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "say why it goes now" in refused.content.decode()
    assert Cable.objects.get(pk=cable.pk).status == CableStatus.DRAFT
    assert client.post(url, {"reason": "Needed before the ministerial visit."}).status_code == 302
    assert Cable.objects.get(pk=cable.pk).status == CableStatus.RELEASED


def test_a_classified_reason_is_refused_and_audited(berlin, berlin_chief):
    next_week = weeks.monday_of(timezone.now().astimezone(berlin.tzinfo).date()) + dt.timedelta(weeks=1)
    cable = services.weekly_summary_draft(post=berlin, period_start=next_week)
    response = client_for(berlin_chief).post(
        reverse("cable_release", args=[cable.pk]), {"reason": "SECRET//NOFORN why"}
    )
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="classified_refused").exists()
    assert Cable.objects.get(pk=cable.pk).status == CableStatus.DRAFT


# ---------------------------------------------------------------- clearance chain


@pytest.fixture
def colleague(berlin):
    user = UserFactory(username="kbrown", first_name="Kate", last_name="Brown")
    MembershipFactory(user=user, post=berlin, role="attache")
    return user


def test_clearance_chain_is_dated_and_named_in_the_released_text(draft, berlin_chief, attache_at_berlin, colleague):
    attache_at_berlin.first_name, attache_at_berlin.last_name = "John", "Smith"
    attache_at_berlin.save()
    berlin_chief.first_name, berlin_chief.last_name = "Rosa", "Hartley"
    berlin_chief.save()
    _edit_comment(draft, attache_at_berlin, "The attaché's assessment.")
    clearances.clearance_request(cable=draft, by=berlin_chief, clearers=[colleague, attache_at_berlin])
    assert [c.clearer for c in clearances.pending(draft)] == [colleague, attache_at_berlin]
    clearances.clearance_give(cable=draft, by=colleague)
    assert [c.clearer for c in clearances.pending(draft)] == [attache_at_berlin]
    assert Clearance.objects.get(clearer=colleague).cleared_at is not None

    released = services.cable_release(cable=draft, by=berlin_chief, at=AFTER_CUTOFF)
    block = released.released_text.split("E.O. 13526")[0]
    assert "DRAFTED BY: DAO:JSMITH\nCLEARED: DAO:KBROWN\nAPPROVED BY: DATT:RHARTLEY\n" in block
    assert AuditEvent.objects.filter(action="clearance", detail="cleared", user=colleague).exists()
    assert AuditEvent.objects.filter(action="clearance", detail="asked kbrown", user=berlin_chief).exists()


def test_the_chief_names_an_attache_who_may_then_ask_for_clearances(draft, berlin_chief, attache_at_berlin, colleague):
    with pytest.raises(PermissionDenied):
        clearances.clearance_request(cable=draft, by=attache_at_berlin, clearers=[colleague])
    clearances.coordinator_name(cable=draft, by=berlin_chief, coordinator=attache_at_berlin)
    draft.refresh_from_db()
    clearances.clearance_request(cable=draft, by=attache_at_berlin, clearers=[colleague])
    assert Clearance.objects.get().requested_by == attache_at_berlin
    with pytest.raises(PermissionDenied):
        clearances.coordinator_name(cable=draft, by=attache_at_berlin, coordinator=colleague)


def test_only_colleagues_who_read_drafts_are_asked_and_only_they_clear(
    draft, berlin_chief, diplomat_at_berlin, attache_at_berlin
):
    with pytest.raises(ValidationError):
        clearances.clearance_request(cable=draft, by=berlin_chief, clearers=[diplomat_at_berlin])
    with pytest.raises(PermissionDenied):
        clearances.clearance_give(cable=draft, by=attache_at_berlin)  # never asked
    assert not Clearance.objects.exists()


def test_the_detail_page_shows_who_has_not_cleared_yet(draft, berlin_chief, colleague):
    client = client_for(berlin_chief)
    response = client.post(reverse("cable_clearance_request", args=[draft.pk]), {"clearers": [colleague.pk]})
    assert response.status_code == 302
    page = client.get(reverse("cable_detail", args=[draft.pk])).content.decode()
    assert 'data-cleared="no"' in page and "Kate Brown" in page
    assert "Not cleared yet" in client.get(reverse("cable_release", args=[draft.pk])).content.decode()
    assert client_for(colleague).post(reverse("cable_clear", args=[draft.pk])).status_code == 302
    assert 'data-cleared="yes"' in client.get(reverse("cable_detail", args=[draft.pk])).content.decode()
    assert client.post(reverse("cable_clearance_request", args=[draft.pk]), {"clearers": []}).status_code == 400


# ---------------------------------------------------------------- corrections


def test_a_correction_refers_to_the_original_takes_its_own_serial_and_the_original_stays_frozen(
    draft, berlin_chief, attache_at_berlin
):
    original = services.cable_release(cable=draft, by=berlin_chief, at=AFTER_CUTOFF)
    frozen = original.released_text
    correction = services.cable_correct(cable=original, by=attache_at_berlin)
    assert services.cable_correct(cable=original, by=berlin_chief) == correction  # one open at a time
    assert correction.subject.startswith("CORRECTED COPY: GERMANY: DAO WEEKLY SUMMARY")
    assert correction.status == CableStatus.DRAFT and correction.channel == original.channel
    _edit_comment(correction, attache_at_berlin, "Corrected: the talks are in October.")
    released = services.cable_release(cable=correction, by=berlin_chief)  # no cutoff: the week is reported
    assert released.serial == "BANDAR 000002"
    assert "SUBJECT: CORRECTED COPY: GERMANY" in released.released_text
    assert "\nREF: BANDAR 000001\n" in released.released_text
    assert Cable.objects.get(pk=original.pk).released_text == frozen
    assert list(Cable.objects.get(pk=original.pk).corrections.all()) == [released]
    with pytest.raises(CableFrozen):
        services.cable_update(cable=original, by=berlin_chief, paragraphs=_as_input(original))
    assert AuditEvent.objects.filter(action="create", detail="correction of BANDAR 000001").exists()


def test_a_draft_is_not_corrected_and_a_diplomat_corrects_nothing(draft, berlin_chief, diplomat_at_berlin):
    with pytest.raises(PermissionDenied):
        services.cable_correct(cable=draft, by=berlin_chief)
    released = services.cable_release(cable=draft, by=berlin_chief, at=AFTER_CUTOFF)
    with pytest.raises(PermissionDenied):
        services.cable_correct(cable=released, by=diplomat_at_berlin)


def test_both_cables_link_to_each_other_and_a_diplomat_sees_a_draft_correction_nowhere(
    draft, berlin_chief, attache_at_berlin, diplomat_at_berlin
):
    original = services.cable_release(cable=draft, by=berlin_chief, at=AFTER_CUTOFF)
    response = client_for(attache_at_berlin).post(reverse("cable_correct", args=[original.pk]))
    correction = Cable.objects.get(corrects=original)
    assert response.status_code == 302 and response["Location"] == correction.get_absolute_url()
    chief = client_for(berlin_chief)
    assert f'href="/cables/{correction.pk}/"' in chief.get(reverse("cable_detail", args=[original.pk])).content.decode()
    assert f'href="/cables/{original.pk}/"' in chief.get(reverse("cable_detail", args=[correction.pk])).content.decode()
    assert client_for(diplomat_at_berlin).get(reverse("cable_detail", args=[correction.pk])).status_code == 404


# ---------------------------------------------------------------- fidelity


def test_meeting_paragraphs_say_where_never_the_title(draft):
    text = _flat(draft)
    assert "at Bendlerblock, Berlin." in text
    assert "Working Group. Agreed" not in text and "Call on the CHOD" not in text


def test_follow_ups_are_off_by_default_and_report_only_the_week_when_on(golden_week, attache_at_berlin):
    ActionItemFactory(post=golden_week, description="Send the invitation", due_on=dt.date(2026, 6, 17))
    ActionItemFactory(post=golden_week, description="Book the range", due_on=dt.date(2025, 6, 17))
    off = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    assert "FOLLOW-UPS" not in _flat(off)
    Cable.objects.filter(pk=off.pk).delete()

    PostReporting.objects.create(post=golden_week, weekly_follow_ups=True)
    text = _flat(services.weekly_summary_draft(post=golden_week, period_start=WEEK))
    assert "FOLLOW-UPS" in text and "Send the invitation (due 17 June, overdue since 18 June)" in text
    # Due on the last cutoff day, so overdue from the first day of this week.
    assert "Send the draft agenda for staff talks (due 12 June, overdue since 13 June)" in text
    assert "Book the range" not in text  # a year old: not this week's news
    assert "2 follow-up actions were due or became overdue this week." in text


def test_a_contact_report_says_where_the_meeting_was(golden_week, attache_at_berlin):
    meeting = _late_meeting(golden_week)
    cable = services.contact_report_draft(meeting=meeting, by=attache_at_berlin)
    summary = cable.paragraphs.get(block="summary").text
    assert summary.startswith("DATT met Chief of Defence Staff General Tomas ARDEN (OF-9) on 18 June at Ministry")
    assert "Office call:" not in _flat(cable)
    assert cable.drafted_by == attache_at_berlin and Marking.U in {p.marking for p in cable.paragraphs.all()}
