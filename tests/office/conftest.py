"""Records of the office app at the shared post."""

import pytest

from tests.factories import CounterpartFactory, MeetingFactory, MeetingParticipantFactory


@pytest.fixture
def counterpart(post, attache):
    return CounterpartFactory(
        post=post, family_name="Haddad", given_names="Karim", rank_title="Colonel", nato_grade="OF-5",
        position="Director of Plans", owner=attache,
    )  # fmt: skip


@pytest.fixture
def meeting(post, attache, counterpart):
    meeting = MeetingFactory(post=post, created_by=attache, title="Office call on exercise planning")
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    return meeting


@pytest.fixture(autouse=True)
def _minimal_values(minimal_values):
    """Every office test runs with the minimal values of the register."""
