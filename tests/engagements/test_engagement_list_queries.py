"""Query counts of the engagement lists and the dashboard do not grow with the data (10 vs 200 rows)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tenancy.markings import Channel
from tests.conftest import client_for
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db

# One ceiling per page, whatever the number of rows. The session costs no query (read from its
# cache, written once a minute) and the user's roles come with the user.
CEILINGS = {
    "meeting_list": 8,
    "agreement_list": 8,
    "exercise_list": 7,
    "action_list": 11,
    "dashboard": 25,
}  # dashboard: follow-ups counted, read in three groups, their sources in one pass; office panels;
# stay in touch (3), exercise milestones, agreements nearing expiry and the meetings chart (1 each)


def seed(post, attache, diplomat, rows: int) -> None:
    """`rows` of each kind, each linked the way the pages show them (participants, parties, sources)."""
    organization = OrganizationFactory(post=post)
    counterparts = [CounterpartFactory(post=post, organization=organization) for _ in range(3)]
    hidden = CounterpartFactory(post=post, channel=Channel.RESTRICTED, owner=attache)
    now = timezone.now()
    for n in range(rows):
        meeting = MeetingFactory(post=post, created_by=attache, starts_at=now + dt.timedelta(days=n - rows // 2))
        meeting.attendees.add(attache)
        for counterpart in (counterparts[n % 3], hidden):
            MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
        agreement = AgreementFactory(post=post, created_by=attache)
        agreement.parties.add(organization)
        exercise = ExerciseFactory(post=post, created_by=attache)
        source = {0: {"meeting": meeting}, 1: {"agreement": agreement}, 2: {"exercise": exercise}}[n % 3]
        for assignee in (attache, diplomat):
            ActionItemFactory(
                post=post, created_by=attache, assignee=assignee, due_on=timezone.localdate() + dt.timedelta(days=n - 5),
                **source,
            )  # fmt: skip


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", list(CEILINGS))
@pytest.mark.parametrize("role", ["attache", "diplomat"])
@pytest.mark.parametrize("rows", [10, 200])
def test_query_count_stays_under_the_same_ceiling(
    post, attache, diplomat, django_assert_max_num_queries, name, role, rows
):
    seed(post, attache, diplomat, rows)
    client = client_for(attache if role == "attache" else diplomat)
    with django_assert_max_num_queries(CEILINGS[name]):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", list(CEILINGS))
def test_query_count_is_the_same_at_10_and_200_rows(post, attache, diplomat, name):
    seed(post, attache, diplomat, 10)
    client = client_for(attache)
    small = count_queries(client, reverse(name))
    seed(post, attache, diplomat, 190)
    assert count_queries(client, reverse(name)) == small
