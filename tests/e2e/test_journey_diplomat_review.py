"""Journey 2 (DESIGN §1): a diplomat searches a counterpart by a transliterated name ("Mohamed" finds
"Muhammad") and reads one page — position, rank and position history, every meeting, agreement and
exercise they appear in, newest first — with attaché-channel material absent from the page source."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.choices import NatoGrade
from tenancy.choices import Role
from tenancy.markings import Channel
from tests.factories import (
    PASSWORD,
    AgreementFactory,
    AppointmentFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    OrganizationFactory,
    PostFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HIDDEN = [
    "Attache-only back-channel dinner",  # an attaché-channel meeting with him
    "Restricted source debrief",  # a restricted meeting with him
    "He mentioned his health privately",  # restricted_notes of the counterpart
    "Notes for attaches only",  # restricted_notes of a post-channel meeting
    "Attache-channel basing study",  # an attaché-channel agreement
]


@pytest.fixture
def scene(db):
    post = PostFactory(code="BANDAR", name="Embassy Bandar", host_country="BN", cable_country_tag="BN")
    attache, diplomat = UserFactory(username="attache"), UserFactory(username="diplomat")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    MembershipFactory(user=diplomat, post=post, role=Role.DIPLOMAT)
    ministry = OrganizationFactory(post=post, name="Ministry of Defence", acronym="MOD")
    staff = OrganizationFactory(post=post, name="Joint Staff", acronym="JS")
    hamdan = CounterpartFactory(
        post=post,
        family_name="Al-Hamdan",
        given_names="Muhammad",
        aliases="Mohammed Al Hamdan",
        rank_title="Major General",
        nato_grade=NatoGrade.OF7,
        position="Director of Plans",
        organization=ministry,
        owner=attache,
        restricted_notes="He mentioned his health privately",
    )
    AppointmentFactory(counterpart=hamdan, organization=staff, position="Deputy J5", rank_title="Brigadier",
                       nato_grade=NatoGrade.OF6, start_on=dt.date(2021, 7, 1), end_on=dt.date(2024, 6, 30))  # fmt: skip
    AppointmentFactory(counterpart=hamdan, organization=ministry, position="Director of Plans",
                       rank_title="Major General", nato_grade=NatoGrade.OF7, start_on=dt.date(2024, 7, 1))  # fmt: skip
    CounterpartFactory(post=post, family_name="Tamimi", given_names="Khalid", organization=ministry)
    now = timezone.now()
    for days, title, channel, notes in [
        (40, "Office call on the staff talks", Channel.POST, "Notes for attaches only"),
        (10, "Working group on exercise dates", Channel.POST, ""),
        (20, "Attache-only back-channel dinner", Channel.ATTACHE, ""),
        (5, "Restricted source debrief", Channel.RESTRICTED, ""),
    ]:
        meeting = MeetingFactory(post=post, title=title, channel=channel, created_by=attache, restricted_notes=notes,
                                 starts_at=now - dt.timedelta(days=days))  # fmt: skip
        MeetingParticipantFactory(meeting=meeting, counterpart=hamdan)
    exercise = ExerciseFactory(post=post, name="DESERT FALCON 26")
    exercise.counterparts.add(hamdan)
    visible_agreement = AgreementFactory(post=post, title="Staff talks terms of reference")
    hidden_agreement = AgreementFactory(post=post, title="Attache-channel basing study", channel=Channel.ATTACHE)
    for agreement in (visible_agreement, hidden_agreement):
        agreement.parties.add(ministry)
        meeting = MeetingFactory(post=post, title=f"Talks on {agreement.title}", channel=agreement.channel,
                                 starts_at=now - dt.timedelta(days=30))  # fmt: skip
        MeetingParticipantFactory(meeting=meeting, counterpart=hamdan)
        meeting.agreements.add(agreement)
    return hamdan


def test_diplomat_finds_a_counterpart_by_transliteration_and_reads_a_clean_timeline(live_server, page, shots, scene):
    login(page, live_server.url, "diplomat", PASSWORD)
    page.goto(f"{live_server.url}/counterparts/")
    page.fill("input[name=q]", "Mohamed Hamdan")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/counterparts/?*q=Mohamed*")
    shots("search")
    results = page.locator("table tbody tr")
    assert results.count() == 1
    assert "AL-HAMDAN" in results.first.inner_text()

    results.first.locator("a").first.click()
    page.wait_for_url(f"**/counterparts/{scene.pk}/")
    shots("counterpart")
    text = page.locator("main").inner_text()
    assert "Director of Plans" in text and "Major General" in text and "OF-7" in text
    assert "Deputy J5" in text  # the position history
    for title in ["Office call on the staff talks", "Working group on exercise dates", "DESERT FALCON 26",
                  "Staff talks terms of reference"]:  # fmt: skip
        assert title in text, title
    # Newest first: the working group (10 days ago) before the office call (40 days ago).
    assert text.index("Working group on exercise dates") < text.index("Office call on the staff talks")

    source = page.content()
    for secret in HIDDEN:
        assert secret not in source, secret
