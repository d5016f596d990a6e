"""Times are shown in the post's time zone with the zone named, in one format on every page."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from attache_crm.timezones import format_date, format_datetime
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import MeetingFactory

MOMENT = dt.datetime(2026, 12, 1, 11, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("UTC", "1 Dec 2026 11:01Z"),
        ("Asia/Dubai", "1 Dec 2026 15:01 UTC+4"),
        ("Asia/Kathmandu", "1 Dec 2026 16:46 UTC+5:45"),
        ("Europe/Berlin", "1 Dec 2026 12:01 CET"),
        ("America/New_York", "1 Dec 2026 06:01 EST"),
    ],
)
def test_a_moment_names_its_zone_and_only_utc_is_written_z(zone, shown):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert format_datetime(MOMENT) == shown


def test_a_day_is_written_the_same_whatever_the_zone():
    assert format_date(dt.date(2026, 6, 5)) == "5 Jun 2026"
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Kiritimati")):
        # 11:01 UTC is already the next day at UTC+14: a moment's day is the local one.
        assert format_date(MOMENT) == "2 Dec 2026"


@pytest.fixture
def dubai(post):
    post.timezone = "Asia/Dubai"
    post.save()
    return post


def test_pages_show_times_in_the_post_zone_with_its_name(dubai, attache):
    MeetingFactory(post=dubai, created_by=attache, title="Dinner at the club", starts_at=MOMENT)
    body = client_for(attache).get(reverse("meeting_list")).content.decode()
    assert "1 Dec 2026 15:01 UTC+4" in body
    assert "15:01Z" not in body and "11:01" not in body


def test_the_audit_log_uses_the_same_format_as_every_page(dubai, chief):
    with time_machine.travel(MOMENT, tick=False):
        AuditEvent.objects.create(action="login", user=chief, post=dubai)
    body = client_for(chief).get(reverse("audit_list")).content.decode()
    assert "1 Dec 2026 15:01 UTC+4" in body
    assert "2026-12-01 11:01" not in body and "11:01Z" not in body


def test_the_api_stays_in_utc_whatever_the_post_zone(dubai, attache):
    meeting = MeetingFactory(post=dubai, created_by=attache, starts_at=MOMENT)
    body = client_for(attache).get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert body["starts_at"] in {"2026-12-01T11:01:00Z", "2026-12-01T11:01:00+00:00"}


def test_date_inputs_are_plain_text_in_one_written_form(dubai, attache):
    body = client_for(attache).get(reverse("meeting_new")).content.decode()
    assert 'type="datetime-local"' not in body and 'type="date"' not in body
    assert 'placeholder="YYYY-MM-DD HH:MM"' in body and 'placeholder="YYYY-MM-DD"' in body


def test_cable_clearances_and_calendar_feeds_name_the_zone_once(dubai, attache, chief):
    from calendars.services import feed_issue
    from reports import clearances
    from tests.factories import CableFactory

    cable = CableFactory(post=dubai, created_by=chief)
    with time_machine.travel(MOMENT, tick=False):
        clearances.clearance_request(cable=cable, by=chief, clearers=[attache])
        feed_issue(user=attache, lifetime_days=30, all_channels=False)
    pages = [
        client_for(chief).get(reverse("cable_detail", args=[cable.pk])),
        client_for(attache).get(reverse("calendar_feeds")),
    ]
    for page in pages:
        body = page.content.decode()
        assert "1 Dec 2026 15:01 UTC+4" in body
        assert "UTC+4Z" not in body


def test_time_inputs_name_the_zone_they_are_typed_in(dubai, attache):
    from tests.factories import CounterpartFactory

    counterpart = CounterpartFactory(post=dubai, owner=attache)
    client = client_for(attache)
    for page in (reverse("meeting_new"), reverse("meeting_quick"), counterpart.get_absolute_url()):
        body = client.get(page).content.decode()
        assert '<span class="input-zone">Asia/Dubai (UTC+4)</span>' in body, page
