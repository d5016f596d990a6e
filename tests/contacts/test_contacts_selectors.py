"""counterpart_timeline and counterpart_list: what each user sees, in which order, page by page."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts import selectors
from engagements import timeline
from engagements.models import Agreement, AgreementStatusChange, Exercise
from tenancy.markings import Channel
from tests.factories import (
    ActionItemFactory,
    CounterpartFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
)


def _meeting(post, counterpart, days_ago, **fields):
    meeting = MeetingFactory(post=post, starts_at=timezone.now() - dt.timedelta(days=days_ago), **fields)
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    return meeting


def _kinds_and_titles(page):
    labels = []
    for entry in page.object_list:
        obj = entry.obj
        labels.append((entry.kind, getattr(obj, "title", None) or getattr(obj, "name", None) or obj.description))
    return labels


@pytest.fixture
def history(post, counterpart, attache, diplomat):
    """One of each kind, at known dates, some on the attaché channel."""
    today = timezone.localdate()
    open_meeting = _meeting(post, counterpart, 30, title="Office call in March")
    hidden_meeting = _meeting(post, counterpart, 10, title="Attaché-only call", channel=Channel.ATTACHE)
    ActionItemFactory(
        post=post,
        meeting=open_meeting,
        description="Send agenda",
        due_on=today - dt.timedelta(days=20),
        assignee=diplomat,
    )
    ActionItemFactory(
        post=post,
        meeting=open_meeting,
        description="Attaché task",
        due_on=today - dt.timedelta(days=19),
        assignee=attache,
    )
    via_party = Agreement.objects.create(post=post, title="MOU via party")
    via_party.parties.add(counterpart.organization)
    AgreementStatusChange.objects.create(
        agreement=via_party, to_status="proposed", changed_on=today - dt.timedelta(days=5)
    )
    via_hidden = Agreement.objects.create(post=post, title="Linked by hidden meeting")
    hidden_meeting.agreements.add(via_hidden)
    AgreementStatusChange.objects.create(
        agreement=via_hidden, to_status="proposed", changed_on=today - dt.timedelta(days=40)
    )
    exercise = Exercise.objects.create(
        post=post,
        name="DESERT FALCON",
        host_country="BN",
        starts_on=today + dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=70),
    )
    exercise.counterparts.add(counterpart)
    unrelated = CounterpartFactory(post=post)
    _meeting(post, unrelated, 1, title="Someone else's meeting")


def test_timeline_of_an_attache_newest_first(attache, counterpart, history):
    page = timeline.counterpart_timeline(attache, counterpart, 1)
    assert _kinds_and_titles(page) == [
        ("exercise", "DESERT FALCON"),
        ("agreement", "MOU via party"),
        ("meeting", "Attaché-only call"),
        ("meeting", "Office call in March"),
        ("follow_up", "Attaché task"),  # follow-ups sit under the meeting they came from
        ("follow_up", "Send agenda"),
        ("agreement", "Linked by hidden meeting"),
    ]


def test_timeline_of_a_diplomat_leaves_out_attache_channel_and_what_only_it_links(diplomat, counterpart, history):
    page = timeline.counterpart_timeline(diplomat, counterpart, 1)
    assert _kinds_and_titles(page) == [
        ("exercise", "DESERT FALCON"),
        ("agreement", "MOU via party"),
        ("meeting", "Office call in March"),
        ("follow_up", "Send agenda"),  # their own follow-up only
    ]


def test_timeline_skips_agreements_of_a_hidden_organization(diplomat, attache, post):
    secret = OrganizationFactory(post=post, channel=Channel.ATTACHE)
    counterpart = CounterpartFactory(post=post, organization=secret)
    agreement = Agreement.objects.create(post=post, title="Party is hidden")
    agreement.parties.add(secret)
    as_diplomat = timeline.counterpart_timeline(diplomat, selectors.counterpart_detail(diplomat, counterpart.pk), 1)
    as_attache = timeline.counterpart_timeline(attache, selectors.counterpart_detail(attache, counterpart.pk), 1)
    assert as_diplomat.paginator.count == 0 and as_attache.paginator.count == 1


def test_timeline_pages_by_25_without_overlap(attache, post, counterpart):
    for i in range(60):
        _meeting(post, counterpart, i % 5, title=f"Meeting {i}")  # many on the same moment
    pages = [timeline.counterpart_timeline(attache, counterpart, n) for n in (1, 2, 3)]
    ids = [entry.obj.pk for page in pages for entry in page.object_list]
    assert [len(p.object_list) for p in pages] == [25, 25, 10]
    assert len(set(ids)) == 60
    assert timeline.counterpart_timeline(attache, counterpart, "99").number == 3


def test_timeline_keeps_position_at_the_time(attache, post, counterpart):
    meeting = MeetingFactory(post=post)
    MeetingParticipantFactory(
        meeting=meeting, counterpart=counterpart, position_at_time="Deputy Commander", rank_title_at_time="Aqid"
    )
    entry = timeline.counterpart_timeline(attache, counterpart, 1).object_list[0]
    assert [p.position_at_time for p in entry.obj.this_participation] == ["Deputy Commander"]


def test_list_respects_policy_and_search(diplomat, attache, post, counterpart):
    CounterpartFactory(post=post, family_name="Mohamed-Hidden", channel=Channel.ATTACHE, owner=attache)
    assert list(selectors.counterpart_list(diplomat, {"q": "Mohamed"})) == [counterpart]
    assert len(selectors.counterpart_list(attache, {"q": "Mohamed"})) == 2
    assert list(selectors.counterpart_list(diplomat, {"q": "محمد"})) == [counterpart]


def test_typeahead_is_empty_for_empty_query(attache, counterpart):
    assert selectors.counterpart_typeahead(attache, "  ") == []
    assert selectors.counterpart_typeahead(attache, "mans") == [counterpart]


def test_page_marking_takes_the_highest(post):
    shown = [CounterpartFactory(post=post, marking="U"), [CounterpartFactory(post=post, marking="SBU")], None]
    assert selectors.page_marking(*shown) == "SBU"
    assert selectors.page_marking() == "U"
