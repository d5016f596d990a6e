"""Calendar feeds: a secret, expiring, revocable address whose RFC 5545 text holds what its owner may see."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apitokens.models import PersonalAccessToken
from apitokens.services import token_issue
from calendars.models import CalendarFeed
from calendars.services import feed_issue
from tenancy.markings import Channel, Marking
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import ActionItemFactory, ClearanceFactory, ExerciseFactory, MeetingFactory

FEEDS = reverse("calendar_feeds")


def _address(text: str) -> str:
    return reverse("calendar_feed", args=[text])


def _feed(user, *, all_channels=False, days=30):
    return feed_issue(user=user, lifetime_days=days, all_channels=all_channels)


def _calendar(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _summaries(calendar: Calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


@pytest.fixture
def dated(post, attache, diplomat):
    """Dated records of every kind, in the post and attaché channels."""
    today = timezone.localdate()
    soon = timezone.now() + dt.timedelta(days=3)
    for channel in (Channel.POST, Channel.ATTACHE):
        MeetingFactory(
            post=post, created_by=attache, channel=channel, marking=Marking.SBU, title=f"Meeting {channel}", starts_at=soon,
            ends_at=soon + dt.timedelta(hours=2), location="Ministry of Défense", status="planned",
            restricted_notes=f"Notes of {channel}",
        )  # fmt: skip
        ExerciseFactory(
            post=post, created_by=attache, channel=channel, marking=Marking.SBU, name=f"Exercise {channel}", phase="ipc",
            ipc_on=today + dt.timedelta(days=20), starts_on=today + dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=70),
        )  # fmt: skip
        ActionItemFactory(
            post=post, created_by=attache, assignee=diplomat, channel=channel, marking=Marking.SBU, description=f"Follow-up {channel}",
            due_on=today + dt.timedelta(days=5),
        )  # fmt: skip
    MeetingFactory(post=post, created_by=attache, title="Long ago", starts_at=timezone.now() - dt.timedelta(days=400))
    MeetingFactory(post=post, created_by=attache, title="Called off", starts_at=soon, status="cancelled")
    ActionItemFactory(post=post, created_by=attache, assignee=diplomat, description="Finished", status="done")


def test_feed_validates_and_holds_post_channel_meetings_milestones_and_due_dates(dated, attache):
    _, text = _feed(attache)
    calendar = _calendar(Client().get(_address(text)))
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    assert _summaries(calendar) == {
        "(SBU) Meeting post",
        "(SBU) Exercise post: initial planning conference",
        "(SBU) Exercise post",
        "(SBU) Due: Follow-up post",
    }
    meeting = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "(SBU) Meeting post")
    assert meeting.decoded("DTSTART").tzinfo is not None
    assert meeting.decoded("DTEND") - meeting.decoded("DTSTART") == dt.timedelta(hours=2)
    assert str(meeting["LOCATION"]) == "Ministry of Défense"
    assert str(meeting["CLASS"]) == "CONFIDENTIAL"
    assert str(meeting["URL"]).startswith("http://testserver/meetings/")
    due = next(e for e in calendar.walk("VEVENT") if "Due:" in str(e["SUMMARY"]))
    assert due.decoded("DTEND") - due.decoded("DTSTART") == dt.timedelta(days=1)
    assert len({str(e["UID"]) for e in calendar.walk("VEVENT")}) == 4


def test_opting_in_adds_the_other_channels_the_owner_reads_but_never_notes(dated, attache):
    _, text = _feed(attache, all_channels=True)
    body = Client().get(_address(text))
    summaries = _summaries(_calendar(body))
    assert "(SBU) Meeting attache" in summaries and "(SBU) Due: Follow-up attache" in summaries
    assert b"Notes of" not in body.content


def test_a_diplomat_feed_never_holds_what_a_diplomat_may_not_read(dated, diplomat):
    _, text = _feed(diplomat, all_channels=True)
    summaries = _summaries(_calendar(Client().get(_address(text))))
    assert "(SBU) Meeting post" in summaries and "(SBU) Due: Follow-up post" in summaries
    assert not any("attache" in summary for summary in summaries)


def test_an_admin_feed_is_empty(dated, post_admin):
    _, text = _feed(post_admin, all_channels=True)
    assert _summaries(_calendar(Client().get(_address(text)))) == set()


def test_unclassified_entries_are_private_not_confidential(post, attache):
    MeetingFactory(post=post, created_by=attache, marking=Marking.U, starts_at=timezone.now() + dt.timedelta(days=1))
    _, text = _feed(attache)
    (event,) = _calendar(Client().get(_address(text))).walk("VEVENT")
    assert str(event["CLASS"]) == "PRIVATE" and str(event["SUMMARY"]).startswith("(U) ")


def test_revoked_expired_unknown_and_api_tokens_answer_as_absent(attache):
    feed, text = _feed(attache)
    client = Client()
    assert client.get(_address(text)).status_code == 200
    client_for(attache).post(reverse("calendar_feed_revoke", args=[feed.pk]))
    assert client.get(_address(text)).status_code == 404

    expiring, text = _feed(attache)
    PersonalAccessToken.objects.filter(pk=expiring.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(_address(text)).status_code == 404

    _, api_text = token_issue(user=attache, name="script", lifetime_days=5)
    assert client.get(_address(api_text)).status_code == 404
    assert client.get(_address("att_000000000000_nothing")).status_code == 404
    assert client.get(_address("garbage")).status_code == 404
    reasons = list(AuditEvent.objects.filter(action="login_failed").order_by("id").values_list("detail", flat=True))
    assert reasons == [
        "Calendar feed: revoked",
        "Calendar feed: expired",
        "Calendar feed: token of the api scope",
        "Calendar feed: unknown token",
        "Calendar feed: malformed token",
    ]


def test_a_calendar_token_does_not_open_the_api(attache):
    _, text = _feed(attache)
    response = Client().get(reverse("api-meeting-list"), headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 401


def test_a_password_change_ends_the_feed(attache):
    _, text = _feed(attache)
    attache.set_password("A-new-password-for-the-feed-1")
    attache.save()
    assert Client().get(_address(text)).status_code == 404


def test_each_read_is_audited_as_an_export(dated, attache):
    feed, text = _feed(attache)
    Client().get(_address(text))
    event = AuditEvent.objects.get(action="export", user=attache)
    assert event.object_type == "calendars.CalendarFeed" and event.object_id == str(feed.pk)
    assert event.detail == "calendar feed, 4 entries"


def test_creating_a_feed_shows_its_address_once(attache):
    client = client_for(attache)
    response = client.post(FEEDS, {"lifetime_days": 30, "all_channels": "on"})
    assert response.status_code == 201
    address = response.context["address"]
    assert address.startswith("http://testserver/calendar/att_") and address.endswith(".ics")
    feed = CalendarFeed.objects.get(token__user=attache)
    assert feed.all_channels and feed.token.scope == "calendar"
    listing = client.get(FEEDS).content.decode()
    assert feed.token.prefix in listing and address.split("/")[-1] not in listing
    assert Client().get(address.removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("days", ["0", "91", "", "x"])
def test_a_feed_with_a_bad_lifetime_is_refused_and_nothing_saved(attache, days):
    response = client_for(attache).post(FEEDS, {"lifetime_days": days})
    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


def test_feeds_of_others_cannot_be_revoked(attache, chief):
    feed, text = _feed(chief)
    assert client_for(attache).post(reverse("calendar_feed_revoke", args=[feed.pk])).status_code == 404
    assert Client().get(_address(text)).status_code == 200


def test_api_token_page_lists_no_calendar_feed(attache):
    feed, _ = _feed(attache)
    body = client_for(attache).get(reverse("token_list")).content.decode()
    assert feed.token.prefix not in body
    assert client_for(attache).post(reverse("token_revoke", args=[feed.token.pk])).status_code == 404


def test_feed_query_count_does_not_grow_with_entries(post, attache, django_assert_max_num_queries):
    _, text = _feed(attache)
    client = Client()

    def make(n):
        for _ in range(n):
            MeetingFactory(post=post, created_by=attache, starts_at=timezone.now() + dt.timedelta(days=2))
            ExerciseFactory(post=post, created_by=attache, ipc_on=timezone.localdate() + dt.timedelta(days=9))
            ActionItemFactory(post=post, created_by=attache)
            ClearanceFactory(post=post, created_by=attache)

    make(2)
    with django_assert_max_num_queries(20) as small:
        client.get(_address(text))
    make(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_address(text))


def test_clearances_bring_their_travel_dates_and_the_day_to_submit_a_draft(post, attache, diplomat):
    today = timezone.localdate()
    draft = ClearanceFactory(
        post=post, created_by=attache, mission="REACH 101", starts_on=today + dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=42), submit_by=today + dt.timedelta(days=20),
    )  # fmt: skip
    ClearanceFactory(post=post, created_by=attache, mission="REACH 102", status="cancelled")
    ClearanceFactory(post=post, created_by=attache, mission="REACH 103", channel=Channel.ATTACHE)
    _, text = _feed(diplomat, all_channels=True)
    events = {str(e["SUMMARY"]): e for e in _calendar(Client().get(_address(text))).walk("VEVENT")}
    assert set(events) == {
        "(U) Aircraft overflight: REACH 101 (draft)",
        "(U) Submit by: Aircraft overflight: REACH 101",
    }
    travel = events["(U) Aircraft overflight: REACH 101 (draft)"]
    assert travel.decoded("DTSTART") == draft.starts_on
    assert travel.decoded("DTEND") == draft.ends_on + dt.timedelta(days=1)
    assert events["(U) Submit by: Aircraft overflight: REACH 101"].decoded("DTSTART") == draft.submit_by


def test_the_opt_in_says_what_it_adds_for_the_reader(attache, diplomat):
    page = {user: client_for(user).get(reverse("calendar_feeds")).content.decode() for user in (attache, diplomat)}
    assert "Include the attaché channel and restricted records" in page[attache]
    assert "Include the restricted records shared with you" in page[diplomat]
    assert "attaché channel" not in page[diplomat].split("<form")[1].split("</form>")[0]
