"""Two journeys in a browser: an attaché narrows a counterpart's timeline (with and without
JavaScript, on a phone-sized screen), and picks an exercise's nations as chips with the keyboard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import Exercise
from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    AppointmentFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _attache_and_counterpart():
    post = PostFactory(code="BANDAR", host_country="BN", cable_country_tag="BN", timezone="Asia/Dubai")
    attache = UserFactory(username="attache")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    counterpart = CounterpartFactory(
        post=post, family_name="Haddad-Al-Rashidi", given_names="Karim Abdulrahman", rank_title="Brigadier General"
    )
    AppointmentFactory(
        counterpart=counterpart,
        position="Director of Plans, Policy and International Cooperation",
        start_on=dt.date(2020, 1, 1),
    )
    now = timezone.now()
    for days, title in ((5, "Planned staff talks"), (-3, "Office call on the exercise calendar"), (-40, "Dinner")):
        meeting = MeetingFactory(
            post=post, created_by=attache, title=title, starts_at=now + dt.timedelta(days=days),
            status="planned" if days > 0 else "conducted",
        )  # fmt: skip
        MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    exercise = ExerciseFactory(post=post, created_by=attache, name="DESERT ANCHOR 26")
    exercise.counterparts.add(counterpart)
    return post, counterpart


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_timeline_filter_on_a_phone_with_htmx(live_server, page):
    _, counterpart = _attache_and_counterpart()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server.url, "attache", PASSWORD)
    page.goto(f"{live_server.url}{counterpart.get_absolute_url()}")
    _no_sideways_scroll(page)
    timeline = page.locator("#timeline-region")
    assert timeline.get_by_text("Upcoming").is_visible()
    assert "Planned staff talks" in timeline.locator(".timeline-upcoming").inner_text()

    # Exercises only: the timeline alone is replaced, and the address says what is shown.
    page.get_by_role("checkbox", name="Exercises").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**kind=exercise**")
    assert timeline.locator("li.timeline-exercise").count() == 1
    assert timeline.locator("li.timeline-meeting").count() == 0
    _no_sideways_scroll(page)

    # A day that does not exist: the reason beside the field, and still no sideways scroll.
    page.get_by_label("From").fill("2026-02-30")
    page.get_by_role("button", name="Apply").click()
    error = page.locator("#timeline-region .errorlist").filter(has_text="Enter a valid date.")
    error.wait_for()
    assert page.get_by_text("The filter could not be applied").is_visible()
    _no_sideways_scroll(page)


def test_timeline_filter_without_javascript(live_server, browser):
    _, counterpart = _attache_and_counterpart()
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    login(page, live_server.url, "attache", PASSWORD)
    page.goto(f"{live_server.url}{counterpart.get_absolute_url()}")
    page.get_by_role("checkbox", name="Meetings").check()
    today = timezone.localdate()
    page.get_by_label("From").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**kind=meeting**")
    titles = page.locator("#timeline-region li.timeline-meeting").all_inner_texts()
    assert len(titles) == 2
    assert "Planned staff talks" in titles[0] and "Office call" in titles[1]  # upcoming first
    assert page.locator("li.timeline-position").count() == 1  # the position once, above the past
    _no_sideways_scroll(page)
    context.close()


def test_exercise_nations_picked_and_removed_with_the_keyboard(live_server, page):
    _attache_and_counterpart()
    login(page, live_server.url, "attache", PASSWORD)
    page.goto(f"{live_server.url}{reverse('exercise_new')}")
    page.get_by_label("Name").fill("EAGLE RESOLVE 27")
    page.get_by_label("Starts on").fill("2027-05-01")
    page.get_by_label("Ends on").fill("2027-05-14")
    nations = page.get_by_role("combobox", name="Participating countries")
    matches = page.get_by_role("listbox", name="Matching participating countries")
    nations.fill("Fran")
    matches.get_by_role("option", name="France").wait_for()
    nations.press("Enter")
    nations.fill("germ")
    matches.get_by_role("option", name="Germany").wait_for()
    nations.press("ArrowDown")
    nations.press("Enter")
    chosen = page.get_by_role("list", name="Chosen participating countries")
    assert chosen.locator(".chip > span").all_inner_texts() == ["France", "Germany"]

    # Shift+Tab from the search box reaches the last chip's Remove button; Enter removes it.
    nations.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Remove Germany"
    page.keyboard.press("Enter")
    assert chosen.locator(".chip > span").all_inner_texts() == ["France"]
    assert page.evaluate("document.activeElement.getAttribute('role')") == "combobox"

    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/exercises/*/")
    exercise = Exercise.objects.get(name="EAGLE RESOLVE 27")
    assert [c.code for c in exercise.participating_countries] == ["FR"]
