"""Journey: an attaché records a gift received at a meeting (above the minimal value, so the page
shows its report deadline), then finds a clearance request past its lead time on the dashboard and
in the weekly summary."""

import datetime as dt

import pytest
from django.utils import timezone

from office.models import Gift
from reports import services as report_services
from reports import weeks
from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    ClearanceFactory,
    CounterpartFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_attache_registers_a_gift_and_sees_a_late_clearance(live_server, page, shots, minimal_values):
    post = PostFactory(
        code="BANDAR", name="Embassy Bandar", host_country="XB", cable_country_tag="BN", timezone="Asia/Dubai"
    )
    attache = UserFactory(username="attache", first_name="Dana", last_name="Reyes")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    counterpart = CounterpartFactory(
        post=post, family_name="Haddad", given_names="Karim", rank_title="Colonel", position="Director of Plans"
    )
    meeting = MeetingFactory(
        post=post, created_by=attache, title="Office call with the Director of Plans", status="conducted",
        starts_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    today = timezone.localdate(timezone=post.tzinfo)
    ClearanceFactory(
        post=post, created_by=attache, mission="REACH 4417", starts_on=today + dt.timedelta(days=6),
        ends_on=today + dt.timedelta(days=7), submit_by=today - dt.timedelta(days=2),
    )  # fmt: skip
    base = live_server.url
    login(page, base, "attache", PASSWORD)

    # The meeting's form: "gift exchanged" leads to the register, the meeting filled in.
    page.goto(f"{base}/meetings/{meeting.pk}/edit/")
    page.get_by_label("Gift exchanged").check()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{base}/gifts/new/?post={post.pk}&meeting={meeting.pk}")
    shots("gift-form-prefilled")
    assert page.locator("#id_meeting").input_value() == str(meeting.pk)
    assert page.locator("#id_counterpart").input_value() == str(counterpart.pk)
    assert "Director of Plans" in page.locator("#id_official").input_value()
    page.fill("#id_description", "Silver khanjar in a presentation case — «Bandar»")
    page.fill("#id_value_usd", "650")
    page.fill("#id_value_basis", "Appraisal by the embassy's GSO")
    page.fill("#id_recipient", "COL Dana Reyes")
    page.get_by_role("button", name="Save").click()
    gift = Gift.objects.get()
    page.wait_for_url(f"{base}/gifts/{gift.pk}/")
    shots("gift-page")
    due = gift.received_on + dt.timedelta(days=60)
    reporting = page.locator("section", has=page.locator("#report-heading")).inner_text()
    assert f"report due {due.day} {due:%b %Y}" in reporting
    assert "$480.00" in reporting

    # The dashboard: the request past its lead time, and the gift still undisposed.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"{base}/")
    shots("dashboard")
    panel = page.locator("section", has=page.locator("#office-heading")).inner_text()
    assert "REACH 4417" in panel and "Past lead time" in panel
    assert "Silver khanjar" in panel and "Undisposed" in panel

    # The weekly summary the scheduler drafts for this week has the CLEARANCES section.
    cable = report_services.weekly_summary_draft(post=post, period_start=weeks.monday_of(today))
    page.goto(f"{base}/cables/{cable.pk}/")
    shots("weekly-summary")
    text = " ".join(page.locator("main").inner_text().split())  # the cable's lines are wrapped
    assert "CLEARANCES" in text
    assert "pending past the lead time: aircraft overflight REACH 4417" in text
