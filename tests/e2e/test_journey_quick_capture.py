"""An attaché, back from an office call with two people, logs it with a follow-up from the
counterpart's page in the short form: a few clicks plus typing, on a desk screen and a phone. The
follow-up, due in a few days, then shows on the dashboard under this week's items, above a backlog
of overdue ones that would otherwise fill the panel."""

import datetime as dt

import pytest

from engagements.models import ActionItem, Meeting
from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    ActionItemFactory,
    CounterpartFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_CLICKS = 3


@pytest.mark.parametrize("width", [1280, 390])
def test_meeting_with_two_people_and_a_follow_up_in_three_clicks(live_server, page, shots, width):
    page.set_viewport_size({"width": width, "height": 900})
    post = PostFactory(code="BANDAR", host_country="BN", cable_country_tag="BN", timezone="Asia/Dubai")
    attache = UserFactory(username="attache")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    counterpart = CounterpartFactory(post=post, family_name="Haddad", given_names="Karim", rank_title="Colonel")
    aide = CounterpartFactory(post=post, family_name="Nasser", given_names="Omar", rank_title="Major")
    backlog = 25  # more overdue items than the panel lists
    for weeks in range(1, backlog + 1):
        ActionItemFactory(
            post=post,
            assignee=attache,
            description=f"Old item {weeks}",
            due_on=dt.date.today() - dt.timedelta(weeks=weeks),
        )
    base = live_server.url
    login(page, base, "attache", PASSWORD)
    page.goto(f"{base}{counterpart.get_absolute_url()}")

    clicks = 0

    def click(locator):
        nonlocal clicks
        clicks += 1
        locator.click()

    click(page.get_by_label("Add a person"))
    page.keyboard.type("Naser")  # misspelt: the type-ahead forgives it
    page.wait_for_selector(f"#quick-matches option[value='{aide.pk}']")
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Remove Major Omar NASSER").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # When: already about now; Kind: office call
    page.keyboard.press("Tab")
    page.keyboard.type("Agreed the dates of the planning conference.")
    page.keyboard.press("Tab")
    page.keyboard.type("Send the draft agenda")
    page.keyboard.press("Tab")
    due = dt.date.today() + dt.timedelta(days=3)  # this week, at the post as on this machine
    page.keyboard.type(due.isoformat())
    shots(f"quick-form-{width}")
    click(page.get_by_role("button", name="Save meeting"))
    page.wait_for_url(f"{base}{counterpart.get_absolute_url()}")
    shots(f"after-{width}")

    assert clicks <= MAX_CLICKS
    assert "Meeting logged" in page.locator(".messages").inner_text()
    meeting = Meeting.objects.get()
    assert set(meeting.participants.values_list("counterpart_id", flat=True)) == {counterpart.pk, aide.pk}
    assert meeting.summary == "Agreed the dates of the planning conference."
    assert ActionItem.objects.get(description="Send the draft agenda").due_on == due
    assert "Office call with Colonel Karim HADDAD" in page.locator("#timeline").inner_text()

    page.goto(f"{base}/")
    this_week = page.locator("ul[aria-labelledby='follow-ups-this_week']")
    assert "Send the draft agenda" in this_week.inner_text()
    assert page.locator("#follow-ups-this_week .badge").inner_text() == "1"
    assert page.locator("#follow-ups-overdue .badge").inner_text() == str(backlog)
    shots(f"dashboard-{width}")
