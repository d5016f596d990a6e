"""Services of the reports app against the database: drafting, editing, returning, releasing."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports import selectors, services
from reports.models import Cable, CableFrozen, CableKind, CableParagraph, CableStatus
from tenancy.markings import Channel, Marking
from tenancy.models import AuditEvent
from tests.factories import CableFactory, CableParagraphFactory, MeetingFactory

from .conftest import WEEK, local, meet

UTC = dt.UTC


def test_drafting_the_same_week_twice_returns_the_first_cable(golden_week):
    first = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    second = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    assert first.pk == second.pk
    assert Cable.objects.filter(kind=CableKind.WEEKLY_SUMMARY).count() == 1


def test_a_racing_insert_that_wins_leaves_one_cable_and_returns_the_winner(golden_week):
    """Two workers both find no cable, both draft; the loser's insert hits the unique constraint."""
    real_sources = selectors.weekly_sources
    winner = {}

    def sources_then_other_worker_commits(**kwargs):
        sources = real_sources(**kwargs)
        winner["cable"] = CableFactory(post=golden_week, period_start=WEEK, period_end=WEEK + dt.timedelta(days=4))
        return sources

    with mock.patch.object(selectors, "weekly_sources", side_effect=sources_then_other_worker_commits):
        cable = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    assert cable.pk == winner["cable"].pk
    assert Cable.objects.count() == 1


def test_a_period_start_that_is_not_a_monday_is_refused(berlin):
    with pytest.raises(ValueError):
        services.weekly_summary_draft(post=berlin, period_start=dt.date(2026, 6, 16))


def test_an_empty_week_still_gets_a_summary_and_a_comment(berlin):
    cable = services.weekly_summary_draft(post=berlin, period_start=WEEK)
    paragraphs = list(cable.paragraphs.all())
    assert [p.block for p in paragraphs] == ["summary", "comment"]
    assert "no engagements" in paragraphs[0].text
    assert (cable.marking, cable.channel, cable.tags) == (Marking.U, Channel.POST, "MARR, PREL, GM")


def test_drafting_is_audited_without_a_user(golden_week):
    cable = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    event = AuditEvent.objects.get(action="create", object_id=str(cable.pk))
    assert event.user is None and event.post_id == golden_week.pk


def test_sweep_lists_only_the_latest_due_week_for_a_post_without_summaries(berlin):
    friday_after_cutoff = dt.datetime(2026, 6, 19, 10, 30, tzinfo=UTC)
    assert services.weekly_summaries_due(now=friday_after_cutoff) == [(berlin.pk, WEEK)]
    friday_before_cutoff = dt.datetime(2026, 6, 19, 9, 59, tzinfo=UTC)
    assert services.weekly_summaries_due(now=friday_before_cutoff) == [(berlin.pk, WEEK - dt.timedelta(days=7))]


def test_sweep_catches_up_weeks_missed_while_workers_were_down(berlin):
    services.weekly_summary_draft(post=berlin, period_start=WEEK - dt.timedelta(weeks=3))
    three_weeks_later = dt.datetime(2026, 6, 20, 8, 0, tzinfo=UTC)
    due = services.weekly_summaries_due(now=three_weeks_later)
    assert due == [
        (berlin.pk, WEEK - dt.timedelta(weeks=2)),
        (berlin.pk, WEEK - dt.timedelta(weeks=1)),
        (berlin.pk, WEEK),
    ]
    for post_id, week in due:
        services.weekly_summary_draft(post=berlin, period_start=week)
    assert services.weekly_summaries_due(now=three_weeks_later) == []


def test_the_week_drafted_late_holds_that_weeks_records_not_the_current_ones(golden_week):
    # Drafted two weeks late: the period comes from the schedule, so it is still 15-19 June.
    services.weekly_summary_draft(post=golden_week, period_start=WEEK - dt.timedelta(weeks=1))
    later = dt.datetime(2026, 7, 4, 8, 0, tzinfo=UTC)
    (post_id, week), *_ = services.weekly_summaries_due(now=later)
    cable = services.weekly_summary_draft(post=golden_week, period_start=week)
    assert cable.period_start == WEEK
    assert "16 June" in cable.paragraphs.all()[1].text


def test_each_post_is_due_at_its_own_local_cutoff(berlin, other_post):
    other_post.timezone, other_post.weekly_cutoff_time = "America/New_York", dt.time(12, 0)
    other_post.save()
    # 19 June 12:30 UTC: past Berlin's noon cutoff (10:00Z), before New York's (16:00Z).
    due = dict(services.weekly_summaries_due(now=dt.datetime(2026, 6, 19, 12, 30, tzinfo=UTC)))
    assert due[berlin.pk] == WEEK
    assert due[other_post.pk] == WEEK - dt.timedelta(days=7)


# ---------------------------------------------------------------- contact report


def test_contact_report_from_one_meeting_is_drafted_once(berlin, golden_week, attache_at_berlin):
    meeting = meet(berlin, local(16, 9), [], title="Staff talks", summary="Talked.", outcome="Agreed.")
    cable = services.contact_report_draft(meeting=meeting, by=attache_at_berlin)
    again = services.contact_report_draft(meeting=meeting, by=attache_at_berlin)
    assert cable.pk == again.pk and cable.kind == CableKind.CONTACT_REPORT
    assert cable.period_start == cable.period_end == dt.date(2026, 6, 16)
    assert cable.subject.startswith("GERMANY: DATT OFFICE CALL")
    assert cable.created_by == attache_at_berlin


def test_contact_report_from_a_restricted_meeting_is_refused(berlin, attache_at_berlin):
    meeting = MeetingFactory(post=berlin, channel=Channel.RESTRICTED, created_by=attache_at_berlin)
    with pytest.raises(ValidationError):
        services.contact_report_draft(meeting=meeting, by=attache_at_berlin)
    assert not Cable.objects.exists()


# ---------------------------------------------------------------- edit, return, release


@pytest.fixture
def draft(golden_week):
    return services.weekly_summary_draft(post=golden_week, period_start=WEEK)


def _as_input(cable):
    return [
        {"id": p.pk, "heading": p.heading, "block": p.block, "marking": p.marking, "channel": p.channel, "text": p.text}
        for p in cable.paragraphs.all()
    ]


def test_update_rewords_reorders_removes_adds_and_recomputes_marking_and_channel(draft, attache_at_berlin):
    paragraphs = _as_input(draft)
    # Drop the SBU meeting (2) and the attaché-channel one (3); the summary says U/post now.
    kept = [paragraphs[0], *paragraphs[3:]]
    kept[0] = {**kept[0], "marking": Marking.U, "channel": Channel.POST, "text": "A quiet week."}
    kept[0]["channel"] = "attache"  # narrowing is always allowed
    kept.insert(1, {"heading": "New section", "block": "", "marking": "U", "channel": "post", "text": "Added."})
    kept.reverse()
    services.cable_update(cable=draft, by=attache_at_berlin, paragraphs=kept, subject="NEW SUBJECT")
    draft.refresh_from_db()
    texts = [p.text for p in draft.paragraphs.all()]
    assert texts[-1] == "A quiet week." and texts[-2] == "Added."
    assert [p.position for p in draft.paragraphs.all()] == list(range(1, len(kept) + 1))
    assert (draft.marking, draft.channel, draft.subject) == (Marking.U, Channel.ATTACHE, "NEW SUBJECT")


def test_update_refuses_to_widen_an_attache_channel_paragraph(draft, attache_at_berlin):
    paragraphs = _as_input(draft)
    paragraphs[2]["channel"] = Channel.POST
    with pytest.raises(ValidationError):
        services.cable_update(cable=draft, by=attache_at_berlin, paragraphs=paragraphs)
    assert draft.paragraphs.all()[2].channel == Channel.ATTACHE


def test_update_refuses_classified_markings_and_empty_cables(draft, attache_at_berlin):
    paragraphs = _as_input(draft)
    paragraphs[0]["marking"] = "SECRET"
    with pytest.raises(ValidationError):
        services.cable_update(cable=draft, by=attache_at_berlin, paragraphs=paragraphs)
    with pytest.raises(ValidationError):
        services.cable_update(cable=draft, by=attache_at_berlin, paragraphs=[])


def test_release_numbers_cables_per_post_and_year(golden_week, berlin_chief):
    first = services.weekly_summary_draft(post=golden_week, period_start=WEEK - dt.timedelta(weeks=1))
    second = services.weekly_summary_draft(post=golden_week, period_start=WEEK)
    at = dt.datetime(2026, 6, 19, 15, 0, tzinfo=UTC)
    assert services.cable_release(cable=first, by=berlin_chief, at=at).serial == "BANDAR 000001"
    assert services.cable_release(cable=second, by=berlin_chief, at=at).serial == "BANDAR 000002"
    later = WEEK + dt.timedelta(weeks=30)
    third = CableFactory(post=golden_week, period_start=later, period_end=later + dt.timedelta(days=4))
    CableParagraphFactory(cable=third)
    next_year = dt.datetime(2027, 1, 8, 15, 0, tzinfo=UTC)
    assert services.cable_release(cable=third, by=berlin_chief, at=next_year).serial == "BANDAR 000001"
    assert AuditEvent.objects.filter(action="release").count() == 3


def test_only_the_chief_releases(draft, attache_at_berlin):
    with pytest.raises(PermissionDenied):
        services.cable_release(cable=draft, by=attache_at_berlin)
    draft.refresh_from_db()
    assert draft.status == CableStatus.DRAFT and draft.serial_number is None


def test_a_released_cable_refuses_every_write(draft, berlin_chief, attache_at_berlin):
    released = services.cable_release(cable=draft, by=berlin_chief)
    with pytest.raises(CableFrozen):
        services.cable_update(cable=released, by=berlin_chief, paragraphs=_as_input(released))
    with pytest.raises(CableFrozen):
        services.cable_release(cable=released, by=berlin_chief)
    with pytest.raises(CableFrozen):
        services.cable_return(cable=released, by=berlin_chief)
    paragraph = released.paragraphs.first()
    paragraph.text = "Changed behind the service's back."
    with pytest.raises(CableFrozen):
        paragraph.save()
    with pytest.raises(CableFrozen):
        paragraph.delete()
    with pytest.raises(CableFrozen):
        CableParagraph.objects.create(cable=released, position=99, text="Added")
    released.subject = "Changed"
    with pytest.raises(CableFrozen):
        released.save()
    with pytest.raises(CableFrozen):
        released.delete()
    fresh = Cable.objects.get(pk=released.pk)
    assert fresh.subject != "Changed" and fresh.released_text == released.released_text


def test_return_for_edits_then_resubmit(draft, berlin_chief, attache_at_berlin):
    with pytest.raises(PermissionDenied):
        services.cable_return(cable=draft, by=attache_at_berlin, note="no")
    returned = services.cable_return(cable=draft, by=berlin_chief, note="Add the CHOD's quote.")
    assert (returned.status, returned.return_note) == (CableStatus.RETURNED, "Add the CHOD's quote.")
    assert services.cable_resubmit(cable=returned, by=attache_at_berlin).status == CableStatus.DRAFT
