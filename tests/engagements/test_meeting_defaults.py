"""Safe defaults of a new meeting, the same from every entry point, and the channel made visible."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements import services
from engagements.models import Meeting
from tenancy.markings import Channel
from tests.conftest import client_for
from tests.factories import MeetingFactory

from .test_meeting_views import log_url, meeting_data

PAST = timezone.now() - dt.timedelta(days=1)
FUTURE = timezone.now() + dt.timedelta(days=3)


def _log(post, by, **fields):
    return services.meeting_log(
        post=post, by=by, title="Dinner", kind="social", starts_at=fields.pop("at", PAST), **fields
    )


@pytest.mark.parametrize(
    ("channel", "included"), [(Channel.POST, True), (Channel.ATTACHE, False), (Channel.RESTRICTED, False)]
)
def test_only_a_post_channel_meeting_goes_into_the_weekly_summary_unless_asked(post, attache, channel, included):
    assert _log(post, attache, channel=channel).include_in_weekly is included


def test_an_attache_channel_meeting_goes_into_the_summary_when_ticked(post, attache):
    assert _log(post, attache, channel=Channel.ATTACHE, include_in_weekly=True).include_in_weekly is True


@pytest.mark.parametrize(("at", "status"), [(PAST, "conducted"), (FUTURE, "planned")])
def test_a_new_meeting_status_follows_its_date(post, attache, at, status):
    assert _log(post, attache, at=at).status == status


def test_the_same_defaults_hold_from_the_form_whatever_the_entry_point(post, attache, counterpart):
    data = meeting_data(status="", include_in_weekly="", channel="attache", starts_at="2020-03-02 10:00", ends_at="")
    for url in (log_url(counterpart), reverse("meeting_new")):
        client_for(attache).post(url, {**data, "title": url})
    meetings = Meeting.objects.order_by("pk")
    assert [(m.status, m.include_in_weekly) for m in meetings] == [("conducted", False), ("conducted", False)]


def test_the_api_applies_the_same_defaults(post, attache):
    body = {
        "post": post.pk,
        "title": "Private dinner",
        "kind": "social",
        "starts_at": PAST.isoformat(),
        "channel": "attache",
    }
    response = client_for(attache).post("/api/v1/meetings/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["include_in_weekly"]) == ("conducted", False)


def test_a_status_that_disagrees_with_the_date_is_saved_with_a_warning(post, attache, counterpart):
    data = meeting_data(status="planned", starts_at="2020-03-02 10:00", ends_at="")
    response = client_for(attache).post(reverse("meeting_new"), data, follow=True)
    assert Meeting.objects.get().status == "planned"
    assert "marked planned, which its date does not match" in response.content.decode()


def test_a_status_that_matches_the_date_brings_no_warning(post, attache):
    meeting = MeetingFactory(post=post, created_by=attache, starts_at=PAST, status="conducted")
    assert "does not match" not in client_for(attache).get(meeting.get_absolute_url()).content.decode()


def test_an_attache_channel_page_says_who_cannot_see_it(post, attache, attache_meeting):
    body = client_for(attache).get(attache_meeting.get_absolute_url()).content.decode()
    assert 'class="channel-ribbon channel-ribbon-attache"' in body
    assert "diplomats and administrators cannot see it" in body


def test_a_post_channel_page_has_no_ribbon(post, attache, meeting):
    assert "channel-ribbon" not in client_for(attache).get(meeting.get_absolute_url()).content.decode()


def test_the_channel_field_explains_each_channel(post, attache):
    body = client_for(attache).get(reverse("meeting_new")).content.decode()
    assert "Attaché channel: attachés and the chief of mission only" in body
