"""The dashboard: my upcoming meetings, my open and overdue follow-ups, recent activity at my post."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tenancy.markings import Channel, Marking
from tests.conftest import client_for
from tests.factories import ActionItemFactory, AgreementFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_dashboard_lists_my_upcoming_meetings_only(post, attache, second_attache):
    soon = timezone.now() + dt.timedelta(days=2)
    mine = MeetingFactory(post=post, created_by=attache, title="My planned call", starts_at=soon, status="planned")
    attending = MeetingFactory(post=post, created_by=second_attache, title="Their call I attend", starts_at=soon)
    attending.attendees.add(attache)
    MeetingFactory(post=post, created_by=second_attache, title="Their call alone", starts_at=soon)
    body = client_for(attache).get(reverse("dashboard")).content.decode()
    upcoming = body.split('id="upcoming-heading"')[1].split("</section>")[0]
    assert mine.title in upcoming and attending.title in upcoming and "Their call alone" not in upcoming


def test_dashboard_highlights_my_overdue_follow_ups(post, attache, second_attache):
    ActionItemFactory(
        post=post, assignee=attache, description="Late thing", due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    ActionItemFactory(post=post, assignee=attache, description="Future thing")
    ActionItemFactory(post=post, assignee=second_attache, description="Not mine")
    ActionItemFactory(post=post, assignee=attache, description="Finished thing", status="done")
    body = client_for(attache).get(reverse("dashboard")).content.decode()
    mine = body.split('id="my-actions-heading"')[1].split("</section>")[0]
    assert "Late thing" in mine and "Future thing" in mine
    assert "Not mine" not in mine and "Finished thing" not in mine
    late = mine.split("Late thing")[0].rsplit("<li", 1)[1]
    assert 'class="overdue"' in late
    assert mine.index("Late thing") < mine.index("Future thing")


def test_dashboard_recent_activity_follows_the_policy(post, other_post, diplomat, attache):
    MeetingFactory(post=post, title="Post-wide meeting")
    MeetingFactory(post=post, title="Attaché meeting", channel=Channel.ATTACHE)
    MeetingFactory(post=other_post, title="Elsewhere meeting")
    AgreementFactory(post=post, title="Status of forces agreement")
    body = client_for(diplomat).get(reverse("dashboard")).content.decode()
    recent = body.split('id="recent-heading"')[1]
    assert "Post-wide meeting" in recent and "Status of forces agreement" in recent
    assert "Attaché meeting" not in body and "Elsewhere meeting" not in body
    assert "Attaché meeting" in client_for(attache).get(reverse("dashboard")).content.decode()


def test_dashboard_banner_takes_the_highest_marking(post, attache):
    MeetingFactory(post=post, marking=Marking.SBU)
    body = client_for(attache).get(reverse("dashboard")).content.decode()
    assert body.count("SENSITIVE BUT UNCLASSIFIED") == 2


def test_dashboard_of_admin_shows_no_content(post, post_admin):
    MeetingFactory(post=post, title="Some meeting")
    response = client_for(post_admin).get(reverse("dashboard"))
    assert response.status_code == 200 and "Some meeting" not in response.content.decode()
    assert reverse("meeting_new") not in response.content.decode()


def test_the_admin_is_offered_their_own_work_not_the_content_pages(post, post_admin):
    body = client_for(post_admin).get(reverse("dashboard")).content.decode()
    nav = body.split("<nav")[1].split("</nav>")[0]
    for page in ("people_list", "audit_list"):
        assert f'href="{reverse(page)}"' in nav
    for page in ("counterpart_list", "meeting_list", "cable_list", "handover_pack"):
        assert f'href="{reverse(page)}"' not in nav
    assert f'href="{reverse("lockouts")}"' in body and "My open follow-ups" not in body


def test_readers_of_content_keep_every_content_page_in_the_menu(post, diplomat):
    body = client_for(diplomat).get(reverse("dashboard")).content.decode()
    nav = body.split("<nav")[1].split("</nav>")[0]
    for page in ("counterpart_list", "meeting_list", "cable_list", "handover_pack"):
        assert f'href="{reverse(page)}"' in nav


def test_dashboard_banner_counts_the_weekly_cable_shown(post, chief):
    from tests.factories import CableFactory

    CableFactory(post=post, marking=Marking.SBU)
    body = client_for(chief).get(reverse("dashboard")).content.decode()
    assert body.count("SENSITIVE BUT UNCLASSIFIED") == 2


def _group(body: str, key: str) -> str:
    return body.split(f'id="follow-ups-{key}"')[1].split("<h3")[0].split("</section>")[0]


def test_follow_ups_due_this_week_show_however_long_the_overdue_backlog(post, attache):
    today = timezone.localdate()
    for n in range(30):
        ActionItemFactory(
            post=post, assignee=attache, description=f"Backlog {n}", due_on=today - dt.timedelta(days=40 - n)
        )
    ActionItemFactory(post=post, assignee=attache, description="Send the agenda", due_on=today + dt.timedelta(days=2))
    ActionItemFactory(post=post, assignee=attache, description="Plan the visit", due_on=today + dt.timedelta(days=30))
    ActionItemFactory(post=post, assignee=attache, description="Someday")
    body = client_for(attache).get(reverse("dashboard")).content.decode()
    assert '<span class="badge badge-overdue">30</span>' in _group(body, "overdue")
    assert "8 of 30 shown" in _group(body, "overdue")
    this_week = _group(body, "this_week")
    assert '<span class="badge">1</span>' in this_week and "Send the agenda" in this_week
    later = _group(body, "later")
    assert '<span class="badge">2</span>' in later and "Plan the visit" in later and "Someday" in later


def test_follow_up_counts_leave_out_what_is_not_mine_or_not_open(post, attache, second_attache):
    today = timezone.localdate()
    ActionItemFactory(post=post, assignee=second_attache, description="Not mine", due_on=today)
    ActionItemFactory(post=post, assignee=attache, description="Finished", status="done", due_on=today)
    body = client_for(attache).get(reverse("dashboard")).content.decode()
    assert '<span class="badge">0</span>' in _group(body, "this_week")


@pytest.mark.parametrize("size", [2, 20])
def test_dashboard_query_count_does_not_grow_with_follow_ups(post, attache, size, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(size):
        ActionItemFactory(post=post, assignee=attache, due_on=today + dt.timedelta(days=n - size // 2))
    client = client_for(attache)
    client.get(reverse("dashboard"))  # the session and the post are read once and kept
    # As many for 2 follow-ups as for 20: one query ranks the three groups, one reads their sources.
    with django_assert_max_num_queries(15):
        client.get(reverse("dashboard"))


def test_an_assignee_who_cannot_close_follow_ups_is_told_who_does(post, attache, diplomat):
    ActionItemFactory(post=post, created_by=attache, assignee=diplomat, description="Send the agenda")
    ActionItemFactory(post=post, created_by=attache, assignee=attache, description="Book the room")
    hint = "attachés mark follow-ups done"
    assert hint in client_for(diplomat).get(reverse("dashboard")).content.decode()
    assert hint not in client_for(attache).get(reverse("dashboard")).content.decode()
