"""What is kept from the meetings for fast reading — each counterpart's last contact per channel
and each post's conducted meetings per week — says what the meetings say, for every reader.

A reader's last contacts and weekly counts are compared with the same figures computed straight
from the meetings the access policy lets them see, after meetings are logged, edited (status,
start, channel, people), shared one by one, and two counterparts merged; and the kept values
equal a recount from scratch.
"""

import datetime as dt
import io
import random
from collections import Counter

import pytest
from django.contrib.admin import site as admin_site
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from guardian.shortcuts import assign_perm

from contacts.models import LAST_MET_FIELDS, Counterpart
from engagements import charts, last_contact, meeting_weeks, services, stay_in_touch
from engagements.choices import MeetingStatus
from engagements.merge import counterpart_merge
from engagements.models import Meeting, MeetingWeek
from tenancy import policy
from tenancy.choices import Role
from tenancy.markings import Channel
from tests.conftest import _member
from tests.factories import CounterpartFactory

pytestmark = pytest.mark.django_db

READERS = ["attache", "second_attache", "diplomat", "chief", "post_admin", "chief_here_attache_there"]
STATUSES = [MeetingStatus.CONDUCTED, MeetingStatus.CONDUCTED, MeetingStatus.PLANNED, MeetingStatus.CANCELLED]
CHANNELS = [Channel.POST, Channel.ATTACHE, Channel.RESTRICTED]


@pytest.fixture
def chief_here_attache_there(post, other_post):
    user = _member(other_post, Role.CHIEF, "chief-there")
    _member(post, Role.ATTACHE, "chief-there")
    return user


@pytest.fixture
def other_attache(other_post):
    return _member(other_post, Role.ATTACHE, "attache-there")


def _expected_last_contacts(reader, ids) -> dict[int, dt.datetime]:
    rows = (
        policy.visible(reader, Meeting)
        .filter(status=MeetingStatus.CONDUCTED, participants__counterpart_id__in=ids)
        .values_list("participants__counterpart_id", "starts_at", "post_id", "participants__counterpart__post_id")
    )
    latest = {}
    for pk, starts_at, meeting_post, counterpart_post in rows:
        if meeting_post == counterpart_post and (pk not in latest or starts_at > latest[pk]):
            latest[pk] = starts_at
    return latest


def _expected_weeks(reader, first: dt.date) -> Counter:
    counts = Counter()
    visible = policy.visible(reader, Meeting).filter(status=MeetingStatus.CONDUCTED).select_related("post")
    for meeting in visible:
        monday = meeting_weeks.monday_of(meeting.starts_at, meeting.post.tzinfo)
        if monday >= first:
            counts[monday] += 1
    return counts


def _kept() -> tuple[list, list]:
    columns = list(Counterpart.objects.order_by("pk").values_list("pk", *LAST_MET_FIELDS.values()))
    weeks = list(
        MeetingWeek.objects.order_by("post", "channel", "week").values_list("post", "channel", "week", "meetings")
    )
    return columns, weeks


def _assert_every_reader_told_the_truth(request, counterparts, first):
    ids = [c.pk for c in counterparts]
    for name in READERS:
        reader = request.getfixturevalue(name)
        policy.forget_roles(reader)
        assert stay_in_touch.last_contacts(reader, ids) == _expected_last_contacts(reader, ids), name
        assert +charts.weekly_counts(reader, first) == _expected_weeks(reader, first), name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_values_match_the_meetings_for_every_reader(
    request, seed, post, other_post, attache, second_attache, diplomat, chief, other_attache
):
    rng = random.Random(seed)
    now = timezone.now()
    here = [CounterpartFactory(post=post, contact_every_days=30) for _ in range(6)]
    there = [CounterpartFactory(post=other_post, contact_every_days=30) for _ in range(3)]
    first = charts.week_starts(timezone.localdate())[0]

    def log(at_post, by, people):
        return services.meeting_log(
            post=at_post,
            by=by,
            title="Call",
            starts_at=now + dt.timedelta(days=rng.randint(-200, 30), hours=rng.randint(0, 23)),
            status=rng.choice(STATUSES),
            channel=rng.choice(CHANNELS),
            counterparts=rng.sample(people, rng.randint(1, 3)),
        )

    meetings = [log(post, attache, here) for _ in range(20)] + [log(other_post, other_attache, there) for _ in range(6)]
    restricted = [m for m in meetings if m.channel == Channel.RESTRICTED and m.post == post]
    for reader, meeting in zip(
        [second_attache, diplomat, request.getfixturevalue("chief_here_attache_there")], restricted, strict=False
    ):
        assign_perm("engagements.view_meeting", reader, meeting)
    _assert_every_reader_told_the_truth(request, here + there, first)

    for meeting in rng.sample([m for m in meetings if m.post == post], 8):
        change = rng.choice(["status", "start", "channel", "people"])
        fields = {
            "status": {"status": rng.choice(STATUSES)},
            "start": {"starts_at": now - dt.timedelta(days=rng.randint(0, 150))},
            "channel": {"channel": rng.choice(CHANNELS)},
            "people": {"counterparts": rng.sample(here, rng.randint(1, 2))},
        }[change]
        services.meeting_update(meeting=Meeting.objects.get(pk=meeting.pk), by=attache, **fields)
    counterpart_merge(survivor=here[0], merged=here[1], by=chief)
    here.pop(1)
    _assert_every_reader_told_the_truth(request, here + there, first)

    kept = _kept()
    last_contact.refresh_all()
    meeting_weeks.refresh_posts([post, other_post])
    assert _kept() == kept


def test_a_stale_copy_saved_later_does_not_put_an_older_last_contact_back(post, attache):
    counterpart = CounterpartFactory(post=post)
    stale = Counterpart.objects.get(pk=counterpart.pk)
    met = timezone.now() - dt.timedelta(days=1)
    services.meeting_log(post=post, by=attache, title="Call", starts_at=met, counterparts=[counterpart])
    stale.phone = "+971 50 000 0000"
    stale.save()
    saved = Counterpart.objects.get(pk=counterpart.pk)
    assert saved.phone == "+971 50 000 0000" and saved.last_met_post_at == met


def test_a_meeting_changed_or_deleted_in_the_admin_is_counted_again(post, attache):
    counterpart = CounterpartFactory(post=post)
    met = timezone.now() - dt.timedelta(days=3)
    meeting = services.meeting_log(post=post, by=attache, title="Call", starts_at=met, counterparts=[counterpart])
    monday = meeting_weeks.monday_of(met, post.tzinfo)
    model_admin, request = admin_site._registry[Meeting], RequestFactory().post("/")
    request.user = attache

    meeting.status = MeetingStatus.CANCELLED
    model_admin.save_model(request, meeting, form=None, change=True)
    assert Counterpart.objects.get(pk=counterpart.pk).last_met_post_at is None
    assert not MeetingWeek.objects.filter(post=post, week=monday).exists()

    meeting.status = MeetingStatus.CONDUCTED
    model_admin.save_model(request, meeting, form=None, change=True)
    assert MeetingWeek.objects.get(post=post, week=monday).meetings == 1
    model_admin.delete_model(request, meeting)
    assert Counterpart.objects.get(pk=counterpart.pk).last_met_post_at is None
    assert not MeetingWeek.objects.filter(post=post, week=monday).exists()


def test_recount_command_rewrites_what_was_written_outside_the_application(post, attache):
    counterpart = CounterpartFactory(post=post)
    met = timezone.now() - dt.timedelta(days=3)
    services.meeting_log(post=post, by=attache, title="Call", starts_at=met, counterparts=[counterpart])
    Counterpart.objects.update(last_met_post_at=None)
    MeetingWeek.objects.all().delete()
    call_command("recount_meetings", stdout=io.StringIO())
    assert Counterpart.objects.get(pk=counterpart.pk).last_met_post_at == met
    assert MeetingWeek.objects.get(post=post).meetings == 1
