"""The counterpart timeline as a reader uses it: what is planned first, then the past newest first;
a filter by kind and by days that never fails with an error page; the counterpart's position shown
once per change; the policy still deciding every line, whatever the filter."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts.models import Appointment
from engagements import timeline
from engagements.models import Agreement, AgreementStatusChange, Exercise
from tenancy.markings import Channel
from tests.conftest import client_for
from tests.contacts.test_contacts_views import DETAIL_CEILING
from tests.factories import ActionItemFactory, ExerciseFactory, MeetingFactory, MeetingParticipantFactory


def _meeting(post, counterpart, at, title, **fields):
    meeting = MeetingFactory(post=post, starts_at=at, ends_at=at + dt.timedelta(hours=1), title=title, **fields)
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    return meeting


def _titles(entries):
    return [getattr(e.obj, "title", None) or getattr(e.obj, "name", None) or e.obj.description for e in entries]


def _page(client, counterpart, **params):
    return client.get(reverse("counterpart_detail", args=[counterpart.pk]), params)


@pytest.fixture
def planned_and_past(post, counterpart, attache):
    """Two planned meetings, an exercise ahead, and past meetings, the last one logged after the rest."""
    now = timezone.now()
    _meeting(post, counterpart, now + dt.timedelta(days=10), "Planned far", status="planned")
    _meeting(post, counterpart, now + dt.timedelta(days=2), "Planned soon", status="planned")
    exercise = Exercise.objects.create(
        post=post,
        name="DESERT FALCON",
        host_country="BN",
        starts_on=timezone.localdate() + dt.timedelta(days=5),
        ends_on=timezone.localdate() + dt.timedelta(days=9),
    )
    exercise.counterparts.add(counterpart)
    _meeting(post, counterpart, now - dt.timedelta(days=30), "Last month")
    old = _meeting(post, counterpart, now - dt.timedelta(days=400), "Last year")
    ActionItemFactory(post=post, meeting=old, description="Send the minutes", assignee=attache)
    _meeting(post, counterpart, now - dt.timedelta(days=1), "Logged after the fact")  # entered last


def test_upcoming_come_first_nearest_first_then_the_past_newest_first(attache, counterpart, planned_and_past):
    page = timeline.counterpart_timeline(attache, counterpart, 1)
    assert _titles(page.upcoming) == ["Planned soon", "DESERT FALCON", "Planned far"]
    assert _titles(page.past) == ["Logged after the fact", "Last month", "Last year", "Send the minutes"]
    assert page.object_list == page.upcoming + page.past


def test_the_page_shows_an_upcoming_block_above_the_past(attache, counterpart, planned_and_past):
    html = _page(client_for(attache), counterpart).content.decode()
    assert html.index("Upcoming") < html.index("Planned soon") < html.index("Planned far")
    assert html.index("Planned far") < html.index("Today and earlier") < html.index("Logged after the fact")


def test_upcoming_block_continues_on_the_next_page(attache, post, counterpart):
    now = timezone.now()
    for i in range(30):
        _meeting(post, counterpart, now + dt.timedelta(days=i + 1), f"Planned {i}", status="planned")
    _meeting(post, counterpart, now - dt.timedelta(days=3), "Done")
    first, second = (timeline.counterpart_timeline(attache, counterpart, n) for n in (1, 2))
    assert _titles(first.upcoming) == [f"Planned {i}" for i in range(25)] and first.past == []
    assert _titles(second.upcoming) == [f"Planned {i}" for i in range(25, 30)]
    assert _titles(second.past) == ["Done"]


def test_upcoming_starts_at_midnight_in_the_posts_zone_and_for_dates_in_utc(attache, post, counterpart):
    """Later today is today, not upcoming; tomorrow begins at the post's midnight for meetings and
    follow-ups, and an exercise's dates are calendar dates whatever the post's zone."""
    today = dt.date(2026, 3, 10)
    at_post = post.tzinfo
    _meeting(post, counterpart, dt.datetime.combine(today, dt.time(23, 59), tzinfo=at_post), "Late today")
    _meeting(
        post, counterpart, dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=at_post), "First thing"
    )
    ExerciseFactory(post=post, name="SEA SHIELD", starts_on=today + dt.timedelta(days=1)).counterparts.add(counterpart)
    page = timeline.counterpart_timeline(attache, counterpart, 1, today=today)
    assert _titles(page.upcoming) == ["First thing", "SEA SHIELD"]
    assert _titles(page.past) == ["Late today"]


def test_filter_by_kind(attache, counterpart, planned_and_past):
    client = client_for(attache)
    meetings_only = _page(client, counterpart, kind="meeting").context["timeline"]
    assert {e.kind for e in meetings_only.object_list} == {"meeting"}
    assert len(meetings_only.object_list) == 5
    two_kinds = _page(client, counterpart, kind=["exercise", "follow_up"]).context["timeline"]
    assert _titles(two_kinds.object_list) == ["DESERT FALCON", "Send the minutes"]


def test_filter_by_days_includes_both_ends(attache, post, counterpart):
    today = timezone.localdate()
    exercise = Exercise.objects.create(
        post=post, name="ON THE FIRST DAY", host_country="BN", starts_on=today - dt.timedelta(days=20), ends_on=today
    )
    exercise.counterparts.add(counterpart)
    agreement = Agreement.objects.create(post=post, title="Signed on the last day")
    agreement.parties.add(counterpart.organization)
    AgreementStatusChange.objects.create(
        agreement=agreement, to_status="proposed", changed_on=today - dt.timedelta(days=10)
    )
    _meeting(post, counterpart, timezone.now() - dt.timedelta(days=15), "In between")
    _meeting(post, counterpart, timezone.now() - dt.timedelta(days=40), "Before")
    _meeting(post, counterpart, timezone.now() - dt.timedelta(days=2), "After")
    response = _page(
        client_for(attache),
        counterpart,
        date_from=(today - dt.timedelta(days=20)).isoformat(),
        date_to=(today - dt.timedelta(days=10)).isoformat(),
    )
    assert response.status_code == 200
    assert _titles(response.context["timeline"].object_list) == [
        "Signed on the last day",
        "In between",
        "ON THE FIRST DAY",
    ]


def test_a_filter_matching_nothing_says_so(attache, counterpart, planned_and_past):
    response = _page(client_for(attache), counterpart, kind="agreement")
    assert response.status_code == 200 and "Nothing matches this filter." in response.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2026-02-30"}, "Enter a valid date."),
        ({"date_from": "tomorrow"}, "Enter a valid date."),
        ({"date_to": "9999-01-01"}, "Use a date between 1900 and 2199."),
        ({"date_from": "0001-01-01"}, "Use a date between 1900 and 2199."),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "The end of the range comes before its start."),
        ({"kind": "cable"}, "Select a valid choice."),
    ],
)
def test_bad_filter_input_is_a_field_error_not_an_error_page(attache, counterpart, planned_and_past, params, message):
    response = _page(client_for(attache), counterpart, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "The filter could not be applied" in html
    # The page itself still works: the whole timeline is there under the error.
    assert len(response.context["timeline"].object_list) == 7


def test_position_is_shown_once_per_change(attache, post, counterpart):
    Appointment.objects.create(
        counterpart=counterpart, position="Deputy Commander", start_on=dt.date(2020, 1, 1), end_on=dt.date(2025, 2, 28)
    )
    Appointment.objects.create(
        counterpart=counterpart, position="Chief of Staff, Air Force", start_on=dt.date(2025, 3, 1)
    )
    for day in (dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2024, 6, 1), dt.date(2024, 7, 1)):
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        _meeting(post, counterpart, at, f"Call of {day:%d %b %Y}")
    response = _page(client_for(attache), counterpart)
    entries = response.context["timeline"].past
    assert [(e.position.label, e.position.since) if e.position else None for e in entries] == [
        ("Chief of Staff, Air Force", dt.date(2025, 3, 1)),
        None,
        ("Deputy Commander", dt.date(2020, 1, 1)),
        None,
    ]
    html = response.content.decode()
    assert html.count("Now Chief of Staff, Air Force") == 1 and "(from 1 Mar 2025)" in html
    assert html.count("Now Deputy Commander") == 1
    assert html.index("Now Chief of Staff") < html.index("Call of 01 May 2025") < html.index("Now Deputy Commander")


def test_position_falls_back_on_what_the_meeting_recorded(attache, post, counterpart):
    meeting = MeetingFactory(post=post, title="Unappointed")
    MeetingParticipantFactory(
        meeting=meeting, counterpart=counterpart, rank_title_at_time="Aqid", position_at_time="Deputy Commander"
    )
    entry = timeline.counterpart_timeline(attache, counterpart, 1).past[0]
    assert entry.position == timeline.PositionMarker("Aqid, Deputy Commander")


def test_filtered_timeline_of_a_diplomat_still_leaves_out_the_attache_channel(
    diplomat, attache, post, counterpart, planned_and_past
):
    _meeting(post, counterpart, timezone.now() - dt.timedelta(days=5), "Attaché-only call", channel=Channel.ATTACHE)
    _meeting(post, counterpart, timezone.now() + dt.timedelta(days=3), "Attaché-only plan", channel=Channel.ATTACHE)
    for params in ({}, {"kind": "meeting"}, {"kind": "meeting", "date_from": "2000-01-01", "date_to": "2199-12-31"}):
        as_diplomat = _page(client_for(diplomat), counterpart, **params)
        as_attache = _page(client_for(attache), counterpart, **params)
        assert as_diplomat.status_code == as_attache.status_code == 200
        assert "Attaché-only" not in as_diplomat.content.decode()
        assert {"Attaché-only call", "Attaché-only plan"} <= set(_titles(as_attache.context["timeline"].object_list))
        assert "Send the minutes" not in _titles(as_diplomat.context["timeline"].object_list)  # the attaché's own


@pytest.mark.parametrize("size", [10, 120])
@pytest.mark.parametrize("role", ["attache", "diplomat"])
def test_filtered_page_query_count_does_not_grow(
    size, role, users_by_role, post, counterpart, django_assert_max_num_queries
):
    now = timezone.now()
    for i in range(size):
        at = now + dt.timedelta(days=(i % 20) - 10)
        meeting = _meeting(
            post, counterpart, at, f"Meeting {i}", channel=Channel.ATTACHE if i % 6 == 0 else Channel.POST
        )
        if i % 3 == 0:
            ActionItemFactory(post=post, meeting=meeting)
        Appointment.objects.create(
            counterpart=counterpart, position=f"Post {i}", start_on=dt.date(2000, 1, 1) + dt.timedelta(days=30 * i),
            end_on=dt.date(2000, 1, 1) + dt.timedelta(days=30 * i + 20),
        )  # fmt: skip
    client = client_for(users_by_role[role])
    params = {"kind": ["meeting", "follow_up"], "date_from": "2000-01-01", "date_to": "2199-12-31"}
    with django_assert_max_num_queries(DETAIL_CEILING):
        response = _page(client, counterpart, **params)
    timeline_page = response.context["timeline"]
    assert response.status_code == 200 and len(timeline_page.object_list) == min(25, timeline_page.paginator.count)
    with django_assert_max_num_queries(DETAIL_CEILING):
        assert _page(client, counterpart, page=2, **params).status_code == 200
