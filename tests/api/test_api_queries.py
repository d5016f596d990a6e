"""Query-count ceilings on every list endpoint (and the details): the same ceiling at 10 and at
200 rows, with the relations each row shows (appointments, tags, participants, follow-ups, status
logs, paragraphs …), so the count cannot grow with the page (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import assign_perm

from engagements.models import AgreementStatusChange, ExercisePhaseChange
from tenancy.markings import Channel
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AppointmentFactory,
    CableFactory,
    CableParagraphFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganizationFactory,
)

# Authentication (the token with its user, the lockout check), the policy's roles, the page's
# count and rows, and one query per prefetched relation: a constant, whatever the number of rows.
CEILINGS = {
    "counterparts": 7,  # + organization visibility (annotated), tags, appointments
    "organizations": 5,
    "meetings": 10,  # + participants, attendees, agreements, exercises, follow-ups
    "agreements": 7,  # + parties, status log
    "exercises": 7,  # + counterparts, phase log
    "action-items": 5,  # sources' visibility annotated, not queried per row
    "cables": 8,  # + paragraphs, clearances, corrections
}


def _build(post, attache, diplomat, n: int) -> None:
    start = dt.date(2026, 1, 5)
    for i in range(n):
        channel = Channel.POST if i % 3 else Channel.ATTACHE
        org = OrganizationFactory(post=post, channel=channel, parent=None)
        counterpart = CounterpartFactory(
            post=post,
            organization=org,
            owner=attache,
            created_by=attache,
            channel=channel,
        )
        counterpart.tags.add("alumni", f"t{i % 4}")
        AppointmentFactory(
            counterpart=counterpart,
            organization=org,
            start_on=dt.date(2020, 1, 1),
            end_on=dt.date(2021, 1, 1),
        )
        AppointmentFactory(counterpart=counterpart, organization=org, start_on=dt.date(2021, 1, 2))
        meeting = MeetingFactory(post=post, channel=channel, created_by=attache)
        MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
        meeting.attendees.add(attache)
        agreement = AgreementFactory(post=post, channel=channel, created_by=attache)
        agreement.parties.add(org)
        AgreementStatusChange.objects.create(
            agreement=agreement,
            to_status="negotiating",
            changed_on=start,
            changed_by=attache,
        )
        meeting.agreements.add(agreement)
        exercise = ExerciseFactory(
            post=post,
            channel=channel,
            created_by=attache,
            participating_countries=["DE", "FR"],
        )
        exercise.counterparts.add(counterpart)
        ExercisePhaseChange.objects.create(exercise=exercise, to_phase="concept", changed_on=start, changed_by=attache)
        meeting.exercises.add(exercise)
        ActionItemFactory(
            post=post,
            channel=channel,
            meeting=meeting,
            assignee=diplomat,
            created_by=attache,
        )
        cable = CableFactory(
            post=post,
            channel=channel,
            created_by=attache,
            period_start=start + dt.timedelta(weeks=i),
            period_end=start + dt.timedelta(weeks=i, days=4),
        )
        CableParagraphFactory(cable=cable, position=1, channel=channel)
        CableParagraphFactory(cable=cable, position=2, channel=channel)
        if i % 7 == 0:
            assign_perm("view_counterpart", diplomat, counterpart)


@pytest.mark.parametrize("rows", [10, 200])
def test_list_query_count_does_not_grow(rows, api, post, users_by_role):
    """Every list, for every reading role, within its ceiling, with every row on one page."""
    _build(post, users_by_role["attache"], users_by_role["diplomat"], rows)
    over = []
    for role in ("attache", "diplomat", "chief"):
        client = api(users_by_role[role])
        client.get("/api/v1/organizations/")  # first use of the token: last_used_at is written once
        for resource, ceiling in CEILINGS.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/v1/{resource}/", {"page_size": 200})
            assert response.status_code == 200
            count = response.json()["count"]
            assert count > 0 or (role == "diplomat" and resource == "cables")
            if role == "chief" and resource != "action-items":
                assert len(response.json()["results"]) >= rows  # every row at this size is on the page
            if len(queries) > ceiling:
                over.append(f"{resource} as {role}: {len(queries)} queries > {ceiling}")
    assert not over, over


@pytest.mark.parametrize("resource", list(CEILINGS))
def test_detail_query_count(resource, api, post, users_by_role, django_assert_max_num_queries):
    _build(post, users_by_role["attache"], users_by_role["diplomat"], 3)
    client = api(users_by_role["chief"])
    pk = client.get(f"/api/v1/{resource}/").json()["results"][0]["id"]
    with django_assert_max_num_queries(CEILINGS[resource] + 2):
        assert client.get(f"/api/v1/{resource}/{pk}/").status_code == 200


def test_the_ceiling_is_not_vacuous(api, post, users_by_role, django_assert_max_num_queries):
    """A ceiling one below what the counterpart list needs fails: the numbers are real."""
    _build(post, users_by_role["attache"], users_by_role["diplomat"], 2)
    client = api(users_by_role["attache"])
    client.get("/api/v1/counterparts/")
    with pytest.raises(pytest.fail.Exception):
        with django_assert_max_num_queries(CEILINGS["counterparts"] - 1):
            client.get("/api/v1/counterparts/")
    assert timezone.now()
