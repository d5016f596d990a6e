"""Every main page fits a 390-pixel phone screen without sideways scrolling; the menu folds."""

import pytest
from django.urls import reverse

from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    ActionItemFactory,
    AgreementFactory,
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


def test_main_pages_have_no_sideways_scroll_at_390_pixels(live_server, page):
    post = PostFactory(code="BANDAR", host_country="BN", cable_country_tag="BN", timezone="Asia/Dubai")
    attache = UserFactory(username="attache")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    counterpart = CounterpartFactory(
        post=post, family_name="Haddad-Al-Rashidi", given_names="Karim Abdulrahman", rank_title="Brigadier General",
        position="Director of Plans, Policy and International Cooperation of the General Staff",
    )  # fmt: skip
    meeting = MeetingFactory(post=post, created_by=attache, title="Office call on the exercise calendar")
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    ActionItemFactory(post=post, created_by=attache, assignee=attache, meeting=meeting, description="Send the agenda")
    AgreementFactory(post=post, created_by=attache, title="Ammunition storage arrangement")
    ExerciseFactory(post=post, created_by=attache, name="DESERT ANCHOR 26")
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    login(page, base, "attache", PASSWORD)
    pages = [
        reverse("dashboard"), reverse("counterpart_list"), counterpart.get_absolute_url(), reverse("organization_list"),
        reverse("meeting_list"), meeting.get_absolute_url(), reverse("meeting_new"), reverse("agreement_list"),
        reverse("exercise_list"), reverse("action_list"), reverse("cable_list"), reverse("counterpart_create"),
    ]  # fmt: skip
    too_wide = {}
    for path in pages:
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
    assert too_wide == {}

    # The menu is folded behind its button, and opens on a press.
    page.goto(f"{base}{reverse('meeting_list')}")
    menu_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings")
    assert not menu_link.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert menu_link.is_visible() and menu_link.get_attribute("aria-current") == "page"
