"""Clearance alerts and gift reminders: daily e-mails (once each), the dashboard panel and the
CLEARANCES section of the weekly summary."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from office import notices, tasks
from reports import services as report_services
from tenancy.markings import Channel, Marking
from tests.conftest import client_for
from tests.factories import ClearanceFactory, GiftFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MORNING = dt.datetime(2026, 6, 16, 5, 30, tzinfo=UTC)
TODAY = dt.date(2026, 6, 16)


def test_the_daily_task_sends_the_clearance_alerts(post, attache):
    today = dt.date.today()
    ClearanceFactory(post=post, starts_on=today + dt.timedelta(days=30), submit_by=today - dt.timedelta(days=1))
    assert tasks.clearance_alerts.run() == 1
    assert tasks.clearance_alerts.run() == 0


def _sent(send, now):
    mail.outbox.clear()
    send(now=now)
    return list(mail.outbox)


def test_clearance_alerts_name_only_unclassified_requests(post, attache, diplomat):
    ClearanceFactory(
        post=post, mission="REACH 421", starts_on=TODAY + dt.timedelta(days=9), ends_on=TODAY + dt.timedelta(days=10),
        submit_by=TODAY - dt.timedelta(days=1),
    )  # fmt: skip
    ClearanceFactory(
        post=post, mission="USS Example", kind="ship_visit", status="submitted",
        starts_on=TODAY + dt.timedelta(days=5), ends_on=TODAY + dt.timedelta(days=7), submit_by=TODAY - dt.timedelta(days=25),
    )  # fmt: skip
    ClearanceFactory(
        post=post, mission="Quiet flight", marking=Marking.SBU,
        starts_on=TODAY + dt.timedelta(days=20), ends_on=TODAY + dt.timedelta(days=20), submit_by=TODAY - dt.timedelta(days=2),
    )  # fmt: skip
    ClearanceFactory(post=post, mission="On time", starts_on=TODAY + dt.timedelta(days=40), submit_by=TODAY)
    messages = _sent(notices.send_clearance_alerts, MORNING)
    assert {m.to[0] for m in messages} == {attache.email}  # attachés only
    bodies = " ".join(m.body for m in messages)
    subjects = sorted(m.subject for m in messages)
    assert len(messages) == 3
    assert "REACH 421" in bodies and "still a draft" in bodies
    assert "USS Example" in bodies and "not approved" in bodies
    assert "Quiet flight" not in bodies and "SBU" in bodies
    assert "On time" not in bodies
    assert subjects[0].startswith("[Attaché CRM] Clearance request past its lead time")
    assert _sent(notices.send_clearance_alerts, MORNING + dt.timedelta(hours=4)) == []


def test_gift_reminders_before_the_report_date_and_once(post, attache):
    GiftFactory(post=post, description="Bronze falcon", value_usd=900, received_on=TODAY - dt.timedelta(days=50))
    GiftFactory(post=post, description="Recent vase", value_usd=900, received_on=TODAY - dt.timedelta(days=10))
    GiftFactory(
        post=post, description="Deposited sword", value_usd=900, received_on=TODAY - dt.timedelta(days=55),
        disposition="deposited", disposed_on=TODAY,
    )  # fmt: skip
    messages = _sent(notices.send_gift_reminders, MORNING)
    assert len(messages) == 1 and "Bronze falcon" in messages[0].body
    assert "its report is due on 26 June 2026" in messages[0].body
    assert _sent(notices.send_gift_reminders, MORNING + dt.timedelta(days=1)) == []


def test_dashboard_shows_late_clearances_and_undisposed_gifts(post, attache, diplomat):
    today = dt.date.today()
    ClearanceFactory(
        post=post, mission="REACH 421", starts_on=today + dt.timedelta(days=9), ends_on=today + dt.timedelta(days=9),
        submit_by=today - dt.timedelta(days=1),
    )  # fmt: skip
    ClearanceFactory(
        post=post, mission="Quiet flight", channel=Channel.ATTACHE, status="submitted", starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
    )  # fmt: skip
    GiftFactory(post=post, description="Bronze falcon", value_usd=900)
    body = client_for(attache).get(reverse("dashboard")).content.decode()
    assert "REACH 421" in body and "Past lead time" in body
    assert "Quiet flight" in body and "Not approved" in body
    assert "Bronze falcon" in body and "Undisposed" in body
    seen_by_diplomat = client_for(diplomat).get(reverse("dashboard")).content.decode()
    assert "REACH 421" in seen_by_diplomat and "Quiet flight" not in seen_by_diplomat


def test_weekly_summary_has_a_clearances_section(post, attache):
    week = dt.date(2026, 6, 15)  # cutoff Friday 19 June
    ClearanceFactory(
        post=post, mission="REACH 421", status="approved", starts_on=dt.date(2026, 6, 25),
        ends_on=dt.date(2026, 6, 26), replied_on=dt.date(2026, 6, 17),
    )  # fmt: skip
    ClearanceFactory(
        post=post, mission="USS Example", kind="ship_visit", starts_on=dt.date(2026, 7, 10),
        ends_on=dt.date(2026, 7, 12), submit_by=dt.date(2026, 6, 10),
    )  # fmt: skip
    ClearanceFactory(post=post, mission="Denied flight", status="denied", replied_on=dt.date(2026, 6, 18))
    ClearanceFactory(post=post, mission="Last week", status="approved", replied_on=dt.date(2026, 6, 1))
    ClearanceFactory(
        post=post, mission="Private flight", channel=Channel.RESTRICTED, created_by=attache,
        submit_by=dt.date(2026, 6, 1), starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 7, 1),
    )  # fmt: skip
    cable = report_services.weekly_summary_draft(post=post, period_start=week)
    (section,) = [p for p in cable.paragraphs.all() if p.heading == "CLEARANCES"]
    assert "1 request approved: aircraft overflight REACH 421 (25-26 June 2026)" in section.text
    assert (
        "1 request is pending past the lead time: ship visit USS Example (10-12 July 2026, due to the host nation by 10 June)"
        in section.text
    )
    assert "1 request denied: aircraft overflight Denied flight" in section.text
    assert "Last week" not in section.text and "Private flight" not in section.text


def test_weekly_summary_without_clearances_has_no_section(post):
    cable = report_services.weekly_summary_draft(post=post, period_start=dt.date(2026, 6, 15))
    assert not cable.paragraphs.filter(heading="CLEARANCES").exists()
