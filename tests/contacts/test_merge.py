"""Merging two records of one person: everything moves in one transaction, the merged record's
address leads to the survivor, one audit event, history on both, channels kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from guardian.shortcuts import assign_perm

from contacts.models import Appointment, Counterpart, CounterpartMerge
from contacts.search import search_counterparts
from engagements.merge import counterpart_merge
from engagements.models import MeetingParticipant
from tenancy import policy
from tenancy.markings import Channel
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import (
    AppointmentFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
)


@pytest.fixture
def pair(post, attache):
    survivor = CounterpartFactory(
        post=post, family_name="AL-MANSOURI", given_names="Muhammad", owner=attache, aliases="Mohamed Al Mansouri"
    )
    merged = CounterpartFactory(
        post=post, family_name="Almansoori", given_names="Mohammed", owner=attache, phone="+971 50 123 4567"
    )
    return survivor, merged


def test_everything_moves_to_the_survivor(post, attache, chief, diplomat, pair):
    survivor, merged = pair
    AppointmentFactory(counterpart=survivor, start_on=dt.date(2024, 1, 1))
    AppointmentFactory(counterpart=merged, start_on=dt.date(2023, 1, 1), position="Deputy Commander")
    shared_meeting = MeetingFactory(post=post)
    MeetingParticipantFactory(meeting=shared_meeting, counterpart=survivor)
    MeetingParticipantFactory(meeting=shared_meeting, counterpart=merged)
    restricted_meeting = MeetingFactory(post=post, channel=Channel.RESTRICTED, created_by=attache)
    MeetingParticipantFactory(
        meeting=restricted_meeting, counterpart=merged, position_at_time="Deputy Commander", rank_title_at_time="Amid"
    )
    exercise = ExerciseFactory(post=post)
    exercise.counterparts.add(merged)
    merged.tags.add("alumni")
    assign_perm("contacts.view_counterpart", diplomat, merged)
    merged_pk = merged.pk

    result = counterpart_merge(survivor=survivor, merged=merged, by=chief, take=["phone"])

    assert result.phone == "+971 50 123 4567" and result.family_name == "AL-MANSOURI"
    assert "Mohammed ALMANSOORI" in result.aliases and "Mohamed Al Mansouri" in result.aliases
    assert not Counterpart.objects.filter(pk=merged_pk).exists()
    participations = MeetingParticipant.objects.filter(counterpart=survivor)
    assert {p.meeting_id for p in participations} == {shared_meeting.pk, restricted_meeting.pk}
    moved = participations.get(meeting=restricted_meeting)
    assert (moved.position_at_time, moved.rank_title_at_time) == ("Deputy Commander", "Amid")
    restricted_meeting.refresh_from_db()
    assert restricted_meeting.channel == Channel.RESTRICTED  # the channel of moved material is kept
    appointments = Appointment.objects.filter(counterpart=survivor)
    assert appointments.count() == 2 and appointments.filter(end_on__isnull=True).count() == 1
    assert list(exercise.counterparts.all()) == [survivor]
    assert list(survivor.tags.names()) == ["alumni"]
    assert diplomat.has_perm("contacts.view_counterpart", survivor)
    assert CounterpartMerge.objects.get(merged_id=merged_pk).survivor == survivor
    events = AuditEvent.objects.filter(action="merge")
    assert events.count() == 1 and events.get().object_id == str(survivor.pk)
    assert survivor.history.first().history_change_reason.startswith("Merged with Mohammed ALMANSOORI")
    page = client_for(chief).get(survivor.get_absolute_url()).content.decode()
    assert f"Merged with Mohammed ALMANSOORI (#{merged_pk})" in page
    gone = Counterpart.history.filter(id=merged_pk).first()
    assert gone.history_type == "-" and gone.history_user == chief


def test_the_merged_address_leads_to_the_survivor(post, attache, chief, outsider, pair):
    survivor, merged = pair
    merged_pk = merged.pk
    counterpart_merge(survivor=survivor, merged=merged, by=chief)
    response = client_for(attache).get(reverse("counterpart_detail", args=[merged_pk]))
    assert response.status_code == 302 and response["Location"] == survivor.get_absolute_url()
    assert client_for(outsider).get(reverse("counterpart_detail", args=[merged_pk])).status_code == 404


def test_every_spelling_finds_the_merged_person(post, chief, diplomat, pair):
    survivor, merged = pair
    counterpart_merge(survivor=survivor, merged=merged, by=chief)
    for spelling in ("Almansoori", "Mohammed Almansoori", "Muhammad Al-Mansouri", "Mohamed Al Mansoori"):
        assert list(search_counterparts(policy.visible(diplomat, Counterpart), spelling)) == [survivor], spelling


def test_who_may_merge(post, attache, second_attache, chief, diplomat, pair):
    survivor, merged = pair
    for user in (second_attache, diplomat):  # not the owner, not the chief
        with pytest.raises(policy.Denied):
            counterpart_merge(survivor=survivor, merged=merged, by=user)
    assert Counterpart.objects.filter(pk=merged.pk).exists()
    counterpart_merge(survivor=survivor, merged=merged, by=attache)  # the owner of both


def test_records_of_different_channels_or_posts_are_not_merged(post, other_post, chief, pair):
    survivor, merged = pair
    merged.channel = Channel.ATTACHE
    merged.save()
    with pytest.raises(ValidationError):
        counterpart_merge(survivor=survivor, merged=merged, by=chief)
    with pytest.raises(ValidationError):
        counterpart_merge(survivor=survivor, merged=survivor, by=chief)
    elsewhere = CounterpartFactory(post=other_post)
    with pytest.raises(policy.NotFound):
        counterpart_merge(survivor=survivor, merged=elsewhere, by=chief)


def test_the_page_picks_side_by_side_and_merges(post, chief, pair, django_assert_max_num_queries):
    survivor, merged = pair
    client = client_for(chief)
    url = reverse("counterpart_merge", args=[survivor.pk])
    assert "Merge…" in client.get(survivor.get_absolute_url()).content.decode()
    picked = client.get(url, {"q": "Almansoori"}).content.decode()
    assert f"?with={merged.pk}" in picked
    with django_assert_max_num_queries(25):
        page = client.get(url, {"with": merged.pk})
    html = page.content.decode()
    assert page.status_code == 200 and "+971 50 123 4567" in html and 'name="phone"' in html
    response = client.post(url, {"with": merged.pk, "phone": "take", "given_names": "keep"})
    assert response.status_code == 302 and response["Location"] == survivor.get_absolute_url()
    survivor.refresh_from_db()
    assert survivor.phone == "+971 50 123 4567" and survivor.given_names == "Muhammad"
    assert not Counterpart.objects.filter(pk=merged.pk).exists()


def test_the_page_refuses_a_bad_choice_and_saves_nothing(post, chief, pair):
    survivor, merged = pair
    url = reverse("counterpart_merge", args=[survivor.pk])
    response = client_for(chief).post(url, {"with": merged.pk, "phone": "both"})
    assert response.status_code == 400 and Counterpart.objects.filter(pk=merged.pk).exists()
