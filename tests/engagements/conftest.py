"""Records of the engagements app at the shared post, for the engagement tests."""

import datetime as dt

import pytest
from django.utils import timezone

from tenancy.markings import Channel
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
)


@pytest.fixture
def counterpart(post, attache):
    return CounterpartFactory(
        post=post, family_name="Haddad", given_names="Karim", rank_title="Colonel", nato_grade="OF-5",
        position="Director of Plans", owner=attache,
    )  # fmt: skip


@pytest.fixture
def meeting(post, attache, counterpart):
    meeting = MeetingFactory(post=post, created_by=attache, title="Office call on exercise planning")
    MeetingParticipantFactory(
        meeting=meeting, counterpart=counterpart, rank_title_at_time="Colonel", position_at_time="Director of Plans"
    )
    return meeting


@pytest.fixture
def attache_meeting(post, attache):
    """A meeting on the attaché channel: diplomats must not learn it exists."""
    return MeetingFactory(post=post, created_by=attache, channel=Channel.ATTACHE, title="Attaché-channel talk")


@pytest.fixture
def agreement(post, attache):
    return AgreementFactory(post=post, created_by=attache, title="Ammunition storage arrangement", status="negotiating")


@pytest.fixture
def exercise(post, attache):
    return ExerciseFactory(post=post, created_by=attache, name="DESERT ANCHOR 26")


@pytest.fixture
def action_item(post, attache, meeting):
    return ActionItemFactory(
        post=post, created_by=attache, assignee=attache, meeting=meeting, description="Send the visit request",
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )  # fmt: skip
