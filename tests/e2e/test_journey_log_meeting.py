"""Journey 1 (docs/design.md): an attaché, back from an office call, opens the counterpart's page and logs
the meeting — participants, summary, outcome, a follow-up with a due date — keyboard only."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from engagements.models import ActionItem, Meeting
from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    CounterpartFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The order a keyboard user meets the fields of the "log a meeting" form, up to the first follow-up.
TAB_ORDER = [
    "title", "kind", "status", "starts_at", "ends_at", "location", "q", "counterparts",
    "attendees", "objectives", "summary", "outcome", "restricted_notes",
    "followups-0-description", "followups-0-assignee", "followups-0-due_on",
]  # fmt: skip


def focused(page) -> str:
    return page.evaluate("document.activeElement ? (document.activeElement.name || document.activeElement.id) : ''")


class Keyboard:
    """Moves through the form with Tab only, remembering the fields it passes."""

    def __init__(self, page):
        self.page, self.visited = page, [focused(page)]

    def tab_to(self, name: str) -> None:
        for _ in range(40):
            self.page.keyboard.press("Tab")
            current = focused(self.page)
            if current != self.visited[-1]:
                self.visited.append(current)
            if current == name:
                return
        raise AssertionError(f"Tab never reached {name}; passed {self.visited}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def type_datetime(self, moment: dt.datetime) -> None:
        """The one written form of every browser: year-month-day and a 24-hour time."""
        self.type(moment.strftime("%Y-%m-%d %H:%M"))


def test_attache_logs_a_meeting_from_the_counterpart_page_keyboard_only(live_server, page, shots):
    post = PostFactory(
        code="BANDAR", name="Embassy Bandar", host_country="BN", cable_country_tag="BN", timezone="Asia/Dubai"
    )
    attache = UserFactory(username="attache", first_name="Dana", last_name="Reyes")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    counterpart = CounterpartFactory(
        post=post, family_name="Haddad", given_names="Karim", rank_title="Colonel", position="Director of Plans"
    )
    aide = CounterpartFactory(post=post, family_name="Muhammad", given_names="Ali", rank_title="Major")
    earlier = MeetingFactory(post=post, title="Introductory call", starts_at=timezone.now() - dt.timedelta(days=30))
    MeetingParticipantFactory(meeting=earlier, counterpart=counterpart)
    base = live_server.url
    # Times are typed in the post's local time (UTC+4 here), whatever the server's zone.
    local = zoneinfo.ZoneInfo("Asia/Dubai")
    start = (timezone.localtime(timezone=local) - dt.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    due = timezone.localdate(timezone=local) + dt.timedelta(days=7)

    login(page, base, "attache", PASSWORD)
    shots("dashboard-before")
    page.goto(f"{base}{counterpart.get_absolute_url()}")
    shots("counterpart")
    page.get_by_role("link", name="Log a meeting").click()
    page.wait_for_url(f"{base}/counterparts/{counterpart.pk}/meetings/new/")
    shots("form")

    # From here on: keyboard only.
    keys = Keyboard(page)
    assert focused(page) == "title", "the title has the focus when the form opens"
    keys.type("Office call on the spring exercise")
    keys.tab_to("starts_at")
    keys.type_datetime(start)
    keys.tab_to("ends_at")
    keys.type_datetime(start + dt.timedelta(hours=1))
    keys.tab_to("q")  # the type-ahead
    keys.type("Mohamed")  # another spelling of Muhammad: the type-ahead forgives it
    page.wait_for_selector(f"#counterpart-matches option[value='{aide.pk}']")
    page.keyboard.press("Enter")  # adds the first match; does not submit
    keys.tab_to("summary")
    keys.type("COL Haddad confirmed the host nation will send a planning team to the IPC.")
    keys.tab_to("outcome")
    keys.type("IPC agreed for the second week of next month.")
    keys.tab_to("followups-0-description")
    keys.type("Send the draft IPC agenda to COL Haddad")
    keys.tab_to("followups-0-due_on")
    keys.type(due.strftime("%Y-%m-%d"))
    assert keys.visited == TAB_ORDER
    shots("form-filled")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{base}{counterpart.get_absolute_url()}")
    # The new meeting tops the timeline, its follow-up just under it; the counterpart's position is
    # a marker row above them, shown once rather than on every row.
    entries = page.locator("#timeline ol.timeline > li:not(.timeline-position)")
    assert "Office call on the spring exercise" in entries.nth(0).inner_text()
    assert "Send the draft IPC agenda" in entries.nth(1).inner_text()
    assert page.locator("#timeline li.timeline-position").count() == 1
    meetings = page.locator("#timeline li.timeline-meeting")
    assert "Office call on the spring exercise" in meetings.nth(0).inner_text()
    assert "Introductory call" in meetings.nth(1).inner_text()
    assert "Meeting logged" in page.locator(".messages").inner_text()
    shots("counterpart-after")

    meeting = Meeting.objects.get(title="Office call on the spring exercise")
    assert (meeting.starts_at, meeting.ends_at) == (start, start + dt.timedelta(hours=1))
    assert meeting.status == "conducted" and meeting.created_by == attache
    assert set(meeting.participants.values_list("counterpart_id", "rank_title_at_time")) == {
        (counterpart.pk, "Colonel"),
        (aide.pk, "Major"),
    }
    follow_up = ActionItem.objects.get(meeting=meeting)
    assert (follow_up.assignee, follow_up.due_on) == (attache, due)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"{base}/")
    my_follow_ups = page.locator("section", has=page.locator("#my-actions-heading"))
    assert "Send the draft IPC agenda to COL Haddad" in my_follow_ups.inner_text()
    shots("dashboard-after")
