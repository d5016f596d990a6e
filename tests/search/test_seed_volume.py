"""manage.py seed_volume: bulk, deterministic, and the same derived search keys as a save()."""

import datetime as dt
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory

from contacts.models import Appointment, Counterpart, Organization
from contacts.search import search_counterparts
from engagements.models import ActionItem, Meeting, MeetingParticipant
from reports import services, weeks
from seeding import volume
from tenancy.models import Membership, Post

ANCHOR = dt.date(2026, 6, 19)
SMALL = {
    "posts": 2,
    "counterparts_per_post": 30,
    "meetings_per_post": 120,
    "anchor": ANCHOR,
}


def seed(**options):
    out = io.StringIO()
    call_command("seed_volume", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def fingerprint() -> list:
    """Everything that must come out the same from the same parameters, ids included."""
    return [
        list(Post.objects.order_by("pk").values_list("pk", "code", "name", "host_country", "timezone")),
        list(
            Counterpart.objects.order_by("pk").values_list(
                "pk",
                "post_id",
                "family_name",
                "given_names",
                "native_name",
                "aliases",
                "nato_grade",
                "channel",
                "owner_id",
                "name_folded",
                "name_phonetic",
            )
        ),
        list(Meeting.objects.order_by("pk").values_list("pk", "post_id", "title", "starts_at", "status", "channel")),
        list(MeetingParticipant.objects.order_by("pk").values_list("meeting_id", "counterpart_id")),
        list(ActionItem.objects.order_by("pk").values_list("meeting_id", "assignee_id", "due_on", "status")),
    ]


@pytest.mark.django_db
def test_counts_follow_the_parameters():
    output = seed()
    assert Post.objects.filter(code__in=["V001", "V002"]).count() == 2
    assert Counterpart.objects.count() == 60
    assert Meeting.objects.count() == 240
    for post in Post.objects.all():
        assert Counterpart.objects.filter(post=post).count() == 30
        assert Meeting.objects.filter(post=post).count() == 120
        assert Organization.objects.filter(post=post).count() == volume.ORGANIZATIONS_PER_POST
        # One user per role (two attachés), plus the two HQ users who hold a role everywhere.
        assert Membership.objects.filter(post=post).count() == len(volume.ROLES_PER_POST) + len(volume.HQ_USERS)
    # Every meeting has 1 to 4 participants of its own post, each at most once.
    participants = MeetingParticipant.objects.select_related("meeting", "counterpart")
    assert 240 <= participants.count() <= 4 * 240
    assert all(p.meeting.post_id == p.counterpart.post_id for p in participants)
    assert not Meeting.objects.filter(participants__isnull=True).exists()
    # Exactly one current appointment per counterpart.
    assert Appointment.objects.filter(end_on__isnull=True).count() == 60
    assert "contacts_counterpart" in output and "password" in output


@pytest.mark.django_db
def test_same_parameters_same_data():
    with transaction.atomic():
        seed()
        first = fingerprint()
        transaction.set_rollback(True)
    assert not Post.objects.exists()
    seed()
    assert fingerprint() == first
    assert len(first[1]) == 60


@pytest.mark.django_db
def test_derived_columns_are_those_a_save_computes():
    seed()
    for counterpart in Counterpart.objects.all():
        stored = (
            counterpart.name_folded,
            counterpart.name_phonetic,
            counterpart.grade_seniority,
        )
        counterpart.refresh_derived_fields()
        assert stored == (
            counterpart.name_folded,
            counterpart.name_phonetic,
            counterpart.grade_seniority,
        )
    # …so the loaded names are searchable like any other.
    some = Counterpart.objects.order_by("pk").first()
    assert some in search_counterparts(Counterpart.objects.all(), some.family_name)


@pytest.mark.django_db
def test_users_sign_in_and_own_what_they_keep():
    seed()
    request = RequestFactory().post("/accounts/login/")
    for username in ("v001-attache", "v002-diplomat", "hq-chief"):
        assert authenticate(request, username=username, password=volume.DEFAULT_PASSWORD) is not None
    members = {(m.user_id, m.post_id) for m in Membership.objects.all()}
    for counterpart in Counterpart.objects.all():
        assert (counterpart.owner_id, counterpart.post_id) in members


@pytest.mark.django_db
def test_dates_follow_the_anchor_and_feed_a_weekly_cable():
    seed()
    latest = Meeting.objects.order_by("-starts_at").first().starts_at.date()
    earliest = Meeting.objects.order_by("starts_at").first().starts_at.date()
    assert ANCHOR < latest <= ANCHOR + dt.timedelta(weeks=volume.WEEKS_PLANNED_AHEAD)
    assert earliest >= ANCHOR - dt.timedelta(days=365 * volume.YEARS_OF_HISTORY)
    assert not Meeting.objects.filter(starts_at__date__gte=ANCHOR, status="conducted").exists()
    post = Post.objects.get(code="V001")
    cable = services.weekly_summary_draft(post=post, period_start=weeks.monday_of(ANCHOR) - dt.timedelta(days=7))
    assert cable.paragraphs.count() >= 1


@pytest.mark.django_db
def test_second_run_reuses_and_partial_volume_refuses():
    seed()
    assert "already loaded" in seed()
    assert Counterpart.objects.count() == 60
    with pytest.raises(CommandError, match="already exist"):
        seed(posts=3)  # V001 and V002 exist, V003 does not: never mixed into a half-new volume
    with pytest.raises(CommandError):
        seed(posts=0)
