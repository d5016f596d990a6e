"""Change history through the access policy: a past value shows only to a reader who could see the
record in the channel it had while that value was current, and links count visible records only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags
from guardian.shortcuts import assign_perm

from engagements import services
from tenancy import policy
from tenancy.history import HISTORY_LIMIT, history_for
from tenancy.markings import Channel
from tests.conftest import client_for
from tests.factories import (
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def history_section(response) -> str:
    """The text of the change-history table of a record page (the rest shows current values)."""
    body = response.content.decode()
    start = body.index('aria-labelledby="changes-heading"')
    return " ".join(strip_tags(body[start : body.index("</section>", start)]).split())


def edit_meeting_data(meeting, **overrides) -> dict:
    """The meeting edit form as the page fills it in, with `overrides` typed over it."""
    data = {
        "title": meeting.title,
        "kind": meeting.kind,
        "status": meeting.status,
        "starts_at": "2026-03-02T10:00",
        "ends_at": "",
        "location": meeting.location,
        "objectives": meeting.objectives,
        "summary": meeting.summary,
        "outcome": meeting.outcome,
        "restricted_notes": meeting.restricted_notes,
        "include_in_weekly": "yes",
        "marking": meeting.marking,
        "channel": meeting.channel,
        "counterparts": [p.counterpart_id for p in meeting.participants.all()],
    }
    return data | overrides


def changes_of(entries) -> list[tuple[str, str, str]]:
    return [change for entry in entries for change in entry["changes"]]


# ---------------------------------------------------------------- channel changes (row 2)


def test_attack_diplomat_reads_history_of_a_meeting_moved_from_attache_channel_to_post(post, attache, diplomat, chief):
    """As seen: an attaché moves a meeting from the attaché channel to `post` with a new summary;
    a diplomat opening its history read the attaché-channel summary."""
    meeting = MeetingFactory(
        post=post, created_by=attache, channel=Channel.ATTACHE, title="Talk with J5",
        summary="ATTACHE-ERA: the minister will resign in May.",
    )  # fmt: skip
    data = edit_meeting_data(meeting, channel="post", summary="Routine talk on the exercise calendar.")
    assert client_for(attache).post(reverse("meeting_edit", args=[meeting.pk]), data).status_code == 302

    response = client_for(diplomat).get(meeting.get_absolute_url())
    assert response.status_code == 200
    body, history = response.content.decode(), history_section(response)
    assert "Routine talk on the exercise calendar." in body
    assert "ATTACHE-ERA" not in body
    # Not even the step out of the attaché channel: what came before is a period they never saw.
    assert "Attaché channel" not in history and "Created" not in history
    assert "No recorded changes." in history
    # The chief read the record in both channels: the whole story is theirs.
    chief_history = history_section(client_for(chief).get(meeting.get_absolute_url()))
    assert "ATTACHE-ERA" in chief_history and "Attaché channel" in chief_history


def test_diplomat_sees_nothing_of_a_meeting_moved_from_post_to_attache_channel(post, attache, diplomat, chief):
    meeting = MeetingFactory(post=post, created_by=attache, summary="Post-era summary.")
    services.meeting_update(meeting=meeting, by=attache, channel=Channel.ATTACHE, summary="Sensitive follow-on.")

    assert client_for(diplomat).get(meeting.get_absolute_url()).status_code == 404
    # The selector alone gives nothing either, though the diplomat read the first version then.
    assert history_for(diplomat, meeting) == []
    assert ("Summary", "Post-era summary.", "Sensitive follow-on.") in changes_of(history_for(chief, meeting))


def test_history_skips_the_attache_period_of_a_meeting_that_came_back_to_post(post, attache, diplomat):
    meeting = MeetingFactory(post=post, created_by=attache, summary="First summary.")
    services.meeting_update(meeting=meeting, by=attache, channel=Channel.ATTACHE)
    services.meeting_update(meeting=meeting, by=attache, summary="ATTACHE-ERA draft naming the source.")
    services.meeting_update(meeting=meeting, by=attache, channel=Channel.POST, summary="Second summary.")

    entries = history_for(diplomat, meeting)
    assert changes_of(entries) == [("Summary", "First summary.", "Second summary.")]
    assert entries[-1]["created"] is True
    history = history_section(client_for(diplomat).get(meeting.get_absolute_url()))
    assert "ATTACHE-ERA" not in history and "Attaché channel" not in history
    assert "First summary." in history and "Second summary." in history


@pytest.mark.parametrize("granted", [True, False], ids=["granted", "not-granted"])
def test_restricted_period_shows_only_to_those_granted_it(post, attache, second_attache, diplomat, granted):
    """A restricted meeting kept by another attaché, then moved to post: its restricted past is
    for its owner, the chief and those granted it, never for a colleague or a diplomat without
    the grant."""
    meeting = MeetingFactory(
        post=post, created_by=second_attache, channel=Channel.RESTRICTED, summary="RESTRICTED-ERA first."
    )
    services.meeting_update(meeting=meeting, by=second_attache, summary="RESTRICTED-ERA second.")
    if granted:
        for user in (attache, diplomat):
            assign_perm("engagements.view_meeting", user, meeting)
        granted_changes = changes_of(history_for(diplomat, meeting))
        assert ("Summary", "RESTRICTED-ERA first.", "RESTRICTED-ERA second.") in granted_changes
    services.meeting_update(meeting=meeting, by=second_attache, channel=Channel.POST, summary="Post summary.")

    for reader in (attache, diplomat):
        history = history_section(client_for(reader).get(meeting.get_absolute_url()))
        assert ("RESTRICTED-ERA" in history) is granted, reader
        assert ("Restricted" in history) is granted, reader
        assert ("Created" in history) is granted, reader
    owner_history = history_section(client_for(second_attache).get(meeting.get_absolute_url()))
    assert "RESTRICTED-ERA first." in owner_history and "Created" in owner_history


def test_restricted_versions_of_another_owner_stay_hidden_from_an_attache(post, attache, second_attache):
    """The owner of each version counts: a record restricted to a colleague in the past shows the
    attaché only the versions of the periods they could read."""
    meeting = MeetingFactory(post=post, created_by=attache, summary="Shared summary.")
    services.meeting_update(meeting=meeting, by=attache, channel=Channel.RESTRICTED)
    meeting.created_by = second_attache  # the record changed hands while restricted
    meeting.save()
    services.meeting_update(meeting=meeting, by=second_attache, summary="RESTRICTED-ERA kept by the colleague.")
    services.meeting_update(meeting=meeting, by=second_attache, channel=Channel.ATTACHE, summary="Back to all.")

    changes = changes_of(history_for(attache, meeting))
    assert all("RESTRICTED-ERA" not in old + new for _, old, new in changes)
    assert ("Summary", "Shared summary.", "Back to all.") in changes


def test_restricted_notes_history_is_never_shown_to_diplomats(post, attache, diplomat):
    meeting = MeetingFactory(post=post, created_by=attache, title="Office call")
    services.meeting_update(meeting=meeting, by=attache, restricted_notes="NOTES: source says the budget is cut.")
    services.meeting_update(meeting=meeting, by=attache, restricted_notes="NOTES: cut confirmed.", title="Renamed")

    assert changes_of(history_for(diplomat, meeting)) == [("Title", "Office call", "Renamed")]
    labels = {label for label, _, _ in changes_of(history_for(attache, meeting))}
    assert "Restricted notes" in labels


# ---------------------------------------------------------------- link counts (row 2)

LINKS = {
    # record page -> (factory of the record, link field, factory of the linked records)
    "agreement": (AgreementFactory, "parties", OrganizationFactory, services.agreement_update),
    "exercise": (ExerciseFactory, "counterparts", CounterpartFactory, services.exercise_update),
}


def _hidden_kwargs(role, post, second_attache) -> dict:
    # For a diplomat the attaché channel is hidden; for an attaché, a colleague's restricted record.
    if role == "diplomat":
        return {"post": post, "channel": Channel.ATTACHE, "created_by": second_attache}
    return {"post": post, "channel": Channel.RESTRICTED, "created_by": second_attache, "owner": second_attache}


@pytest.mark.parametrize("role", ["diplomat", "attache"])
@pytest.mark.parametrize("kind", list(LINKS))
def test_attack_history_link_counts_count_visible_links_only(
    post, attache, second_attache, diplomat, chief, role, kind
):
    """As seen: a history row said "0 linked → 1 linked" when the only new link was to a record
    the reader cannot see."""
    record_factory, field, linked_factory, update = LINKS[kind]
    record = record_factory(post=post, created_by=second_attache)
    hidden_kwargs = _hidden_kwargs(role, post, second_attache)
    if linked_factory is OrganizationFactory:
        hidden_kwargs.pop("owner", None)
    visible = linked_factory(post=post)
    hidden = linked_factory(**hidden_kwargs)
    reader = {"diplomat": diplomat, "attache": attache}[role]
    link_label = record._meta.get_field(field).verbose_name.capitalize()

    update(**{kind: record, "by": second_attache, field: [hidden]})  # a hidden link alone: no change to them
    update(**{kind: record, "by": second_attache, field: [hidden, visible], "summary": "Visible step."})

    history = history_section(client_for(reader).get(record.get_absolute_url()))
    assert "0 linked → 1 linked" in history
    assert "2 linked" not in history
    assert [c for c in changes_of(history_for(reader, record)) if c[0] == link_label] == [
        (link_label, "0 linked", "1 linked")
    ]
    chief_links = [c for c in changes_of(history_for(chief, record)) if c[0] == link_label]
    assert chief_links == [(link_label, "1 linked", "2 linked"), (link_label, "0 linked", "1 linked")]  # newest first


def test_related_records_are_named_only_when_visible(post, attache, diplomat):
    """Links held in a foreign key (a counterpart's organization) are named through the policy."""
    hidden = OrganizationFactory(post=post, channel=Channel.ATTACHE, name="HIDDEN-ORG directorate", acronym="")
    shown = OrganizationFactory(post=post, name="Ministry of Defence", acronym="")
    counterpart = CounterpartFactory(post=post, owner=attache, organization=hidden, position="Director")
    counterpart.organization = shown
    counterpart.save()
    counterpart.position = "Deputy"
    counterpart.organization = hidden
    counterpart.save()

    changes = changes_of(history_for(diplomat, counterpart))
    assert ("Organization", "—", "Ministry of Defence") in changes
    assert ("Organization", "Ministry of Defence", "—") in changes
    assert all("HIDDEN-ORG" not in old + new for _, old, new in changes)
    assert ("Organization", "HIDDEN-ORG directorate", "Ministry of Defence") in changes_of(
        history_for(attache, counterpart)
    )


def test_versions_of_models_without_a_channel_are_not_judged(post, attache):
    with pytest.raises(LookupError):
        policy.visible_versions(attache, post)


# ---------------------------------------------------------------- query counts


def _agreement_with_changes(post, by, count: int):
    agreement = AgreementFactory(post=post, created_by=by, title="Agreement 0")
    parties = [OrganizationFactory(post=post) for _ in range(3)]
    parties.append(OrganizationFactory(post=post, channel=Channel.ATTACHE))
    for number in range(1, count + 1):
        services.agreement_update(
            agreement=agreement, by=by, title=f"Agreement {number}", parties=parties[: number % len(parties) + 1]
        )
    return agreement


@pytest.mark.parametrize("changes", [2, 3 * HISTORY_LIMIT])
def test_history_costs_a_fixed_number_of_queries(post, attache, diplomat, django_assert_max_num_queries, changes):
    agreement = _agreement_with_changes(post, attache, changes)
    policy.roles(diplomat)  # read once per request; counted with the page below
    # One query for the versions, one for the links of the versions shown.
    with django_assert_max_num_queries(2):
        entries = history_for(diplomat, agreement)
    assert 1 <= len(entries) <= HISTORY_LIMIT


@pytest.mark.parametrize("changes", [2, 3 * HISTORY_LIMIT])
def test_record_pages_with_history_cost_the_same_whatever_its_length(
    post, attache, diplomat, django_assert_max_num_queries, changes
):
    """Measured: 15 queries for each page at both sizes (54 for agreements and exercises with 60
    changes when each row's links were read one row at a time)."""
    agreement = _agreement_with_changes(post, attache, changes)
    meeting = MeetingFactory(post=post, created_by=attache)
    for number in range(changes):
        services.meeting_update(meeting=meeting, by=attache, summary=f"Summary {number}")
    exercise = ExerciseFactory(
        post=post, created_by=attache, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 9)
    )
    for number in range(changes):
        services.exercise_update(exercise=exercise, by=attache, location=f"Range {number}")
    client = client_for(diplomat)
    for record in (meeting, agreement, exercise):
        with django_assert_max_num_queries(15):
            assert client.get(record.get_absolute_url()).status_code == 200


def test_history_author_shows_without_a_query_per_row(post, diplomat):
    authors = [UserFactory(first_name=f"Author{n}", last_name="Smith") for n in range(5)]
    for author in authors:  # attachés of the post: only they may edit its meetings
        MembershipFactory(user=author, post=post)
    meeting = MeetingFactory(post=post, created_by=authors[0])
    for number, author in enumerate(authors):
        services.meeting_update(meeting=meeting, by=author, summary=f"Summary {number}")
    policy.roles(diplomat)
    with CaptureQueriesContext(connection) as queries:
        entries = history_for(diplomat, meeting)
        names = [entry["record"].history_user.get_full_name() for entry in entries if not entry["created"]]
    assert "Author4 Smith" in names and len(queries) == 1
