"""A fixed week of records at one post (Berlin time, Friday 12:00 cutoff): the golden data set."""

import datetime as dt
import zoneinfo

import pytest

from contacts.choices import NatoGrade
from engagements.models import AgreementStatusChange, ExercisePhaseChange, MeetingParticipant
from tenancy.choices import Role
from tenancy.markings import Channel, Marking
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
WEEK = dt.date(2026, 6, 15)  # Monday; cutoff Friday 19 June 12:00 Berlin = 10:00Z


def local(day, hour, minute=0):
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=BERLIN)


def meet(post, when, counterparts=(), **fields):
    meeting = MeetingFactory(post=post, starts_at=when, ends_at=when + dt.timedelta(hours=1), **fields)
    for counterpart in counterparts:
        MeetingParticipant.objects.create(
            meeting=meeting,
            counterpart=counterpart,
            position_at_time=counterpart.position,
            rank_title_at_time=counterpart.rank_title,
            nato_grade_at_time=counterpart.nato_grade,
        )
    return meeting


@pytest.fixture
def berlin(db):
    """Post with a cable header like DESIGN §4's, in a country whose cable tag is not its ISO code."""
    return PostFactory(
        code="BANDAR",
        name="Embassy Bandar",
        host_country="DE",
        cable_country_tag="GM",
        timezone="Europe/Berlin",
        cable_from="AMEMBASSY BANDAR",
        cable_to="SECSTATE WASHDC",
        cable_info="SECDEF WASHDC\nDIA WASHDC",
        default_tags="MARR, PREL",
        signature="Hartley",
    )


@pytest.fixture
def berlin_chief(berlin):
    user = UserFactory(username="hartley")
    MembershipFactory(user=user, post=berlin, role=Role.CHIEF)
    return user


@pytest.fixture
def golden_week(berlin):
    """The week of 15-19 June 2026, with one of every kind of thing that is in or out of it."""
    post = berlin
    arden = CounterpartFactory(
        post=post,
        family_name="Arden",
        given_names="Tomas",
        rank_title="General",
        nato_grade=NatoGrade.OF9,
        position="Chief of Defence Staff",
    )
    weiss = CounterpartFactory(
        post=post,
        family_name="Weiß",
        given_names="Jana",
        rank_title="Colonel",
        nato_grade=NatoGrade.OF5,
        position="Head of International Cooperation",
        channel=Channel.ATTACHE,
    )
    secret_source = CounterpartFactory(
        post=post, family_name="Hidden", given_names="Hans", channel=Channel.RESTRICTED, position="Deputy Director"
    )
    meet(
        post,
        local(16, 9),
        [arden],
        kind="key_leader",
        title="Call on the CHOD",
        marking=Marking.SBU,
        summary="Discussed the 2027 exercise calendar and the host nation's request for helicopter maintenance training",
        outcome="General ARDEN agreed to a round of staff talks in September.",
    )
    meet(
        post,
        local(17, 14, 30),
        [weiss, secret_source],
        kind="working_group",
        title="the Bilateral Defence Cooperation Working Group",
        channel=Channel.ATTACHE,
        summary="Agreed the agenda for the next working group.",
        outcome="",
    )
    meet(post, local(17, 16), [arden], title="Restricted call", channel=Channel.RESTRICTED, summary="Never in a cable.")
    meet(post, local(18, 9), [arden], title="Not for the weekly", include_in_weekly=False, summary="Left out.")
    meet(post, local(19, 14), [arden], title="After the cutoff", summary="Goes into next week.")
    meet(post, local(12, 11), [arden], title="Before the window", summary="Went into last week.")
    meet(post, local(24, 10), [arden], kind="office_call", title="Office call", status="planned", summary="")
    agreement = AgreementFactory(
        post=post, title="Helicopter maintenance training", kind="technical", status="text_agreed"
    )
    AgreementStatusChange.objects.create(
        agreement=agreement,
        from_status="negotiating",
        to_status="text_agreed",
        changed_on=dt.date(2026, 6, 18),
        note="Signature planned for July",
    )
    hidden_agreement = AgreementFactory(post=post, title="Hidden arrangement", channel=Channel.RESTRICTED)
    AgreementStatusChange.objects.create(
        agreement=hidden_agreement, from_status="proposed", to_status="negotiating", changed_on=dt.date(2026, 6, 17)
    )
    shield = ExerciseFactory(
        post=post,
        name="Northern Shield 26",
        kind="bilateral",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 12),
        location="Munster",
        phase="ipc",
    )
    ExercisePhaseChange.objects.create(
        exercise=shield, from_phase="concept", to_phase="ipc", changed_on=dt.date(2026, 6, 17)
    )
    ExerciseFactory(
        post=post,
        name="Desert Anchor",
        kind="multilateral",
        starts_on=dt.date(2026, 7, 10),
        ends_on=dt.date(2026, 7, 20),
        location="",
        phase="fpc",
    )
    ActionItemFactory(post=post, description="Send the draft agenda for staff talks", due_on=dt.date(2026, 6, 12))
    ActionItemFactory(post=post, description="Book the venue", due_on=dt.date(2026, 6, 25))
    ActionItemFactory(post=post, description="Restricted chore", due_on=dt.date(2026, 6, 1), channel=Channel.RESTRICTED)
    return post


@pytest.fixture
def attache_at_berlin(berlin):
    user = UserFactory(username="datt")
    MembershipFactory(user=user, post=berlin, role=Role.ATTACHE)
    return user


@pytest.fixture
def diplomat_at_berlin(berlin):
    user = UserFactory(username="polof")
    MembershipFactory(user=user, post=berlin, role=Role.DIPLOMAT)
    return user
