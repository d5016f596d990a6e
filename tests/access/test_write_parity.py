"""One table of write cases, each run through the HTML form and through the API: both must come to
the same outcome (saved fields and links, refusal code, the same message, the same audit events),
and that outcome must be the one the case expects.

The rules themselves live in the services (contacts.services, engagements.services) and the policy
(tenancy.policy.check_write / check_handling); this table is what keeps any interface from
deciding one of them on its own again. Rows of the issue's table each case covers: 5 (owner
rule), 6 (links the editor cannot see), 7 (the post rule), and the limits and marking guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm

from contacts.models import Counterpart
from tenancy import policy
from tenancy.choices import Role
from tenancy.markings import Channel

from ..factories import (
    ActionItemFactory,
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from .writes import Outcome, Tags, write_api, write_html

WHEN = dt.datetime(2026, 5, 12, 8, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 5, 20)
TOO_MANY = f"Ensure this field has no more than {200} elements."


# ---------------------------------------------------------------- the scene every case starts from


@pytest.fixture
def scene(post, other_post, attache, second_attache, diplomat, chief, post_admin, outsider):
    """Records at `post` in the channels the cases need, owned by the attaché or a colleague."""
    two_roles = UserFactory(username="tworoles")  # attaché at `post`, diplomat at `other_post`
    MembershipFactory(user=two_roles, post=post, role=Role.ATTACHE)
    MembershipFactory(user=two_roles, post=other_post, role=Role.DIPLOMAT)
    former = UserFactory(username="former")  # attended a meeting, no longer works at the post
    users = SimpleNamespace(
        attache=attache, colleague=second_attache, diplomat=diplomat, chief=chief, admin=post_admin,
        outsider=outsider, two_roles=two_roles, former=former,
    )  # fmt: skip
    mine = {"post": post, "created_by": attache}
    theirs = {"post": post, "created_by": second_attache}
    start = WHEN - dt.timedelta(days=3)
    r = SimpleNamespace()
    r.org = OrganizationFactory(**theirs, name="Joint Staff", acronym="JS")
    r.org_mine = OrganizationFactory(**mine, name="Navy Staff", acronym="NS")
    r.org_hidden = OrganizationFactory(**theirs, channel=Channel.RESTRICTED, name="Hidden Directorate")
    r.cp = CounterpartFactory(**theirs, owner=second_attache, organization=r.org, family_name="Colleagues")
    r.cp_mine = CounterpartFactory(**mine, owner=attache, organization=r.org, family_name="Mine")
    r.cp_mine_restricted = CounterpartFactory(
        **mine, owner=attache, organization=r.org, family_name="Confidant", channel=Channel.RESTRICTED
    )
    r.cp_other = CounterpartFactory(**mine, owner=attache, organization=r.org, family_name="Other")
    r.cp_hidden = CounterpartFactory(
        **theirs, owner=second_attache, organization=r.org, family_name="Hidden", channel=Channel.RESTRICTED
    )
    r.cp_granted = CounterpartFactory(
        **theirs, owner=second_attache, organization=r.org, family_name="Granted", channel=Channel.RESTRICTED
    )
    assign_perm("contacts.view_counterpart", attache, r.cp_granted)
    r.cp_in_hidden_org = CounterpartFactory(**theirs, owner=second_attache, organization=r.org_hidden)
    r.agr = AgreementFactory(**theirs, title="Training MOU")
    r.agr_hidden = AgreementFactory(**theirs, title="Hidden SOFA", channel=Channel.RESTRICTED)
    r.ex = ExerciseFactory(**theirs, name="EAGLE", starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=5))
    r.ex_hidden = ExerciseFactory(
        **theirs, name="HIDDEN", channel=Channel.RESTRICTED, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=5)
    )
    r.meeting = MeetingFactory(**mine, title="Staff talks", starts_at=start, ends_at=start + dt.timedelta(hours=1))
    for counterpart in (r.cp, r.cp_hidden):
        MeetingParticipantFactory(meeting=r.meeting, counterpart=counterpart)
    r.meeting.agreements.add(r.agr, r.agr_hidden)
    r.meeting.exercises.add(r.ex, r.ex_hidden)
    r.meeting.attendees.add(attache, former)
    r.meeting_theirs = MeetingFactory(**theirs, title="Their call", starts_at=start, ends_at=start)
    r.meeting_hidden = MeetingFactory(**theirs, title="Hidden call", channel=Channel.RESTRICTED, starts_at=start)
    r.meeting_other_post = MeetingFactory(post=other_post, created_by=outsider, title="Elsewhere", starts_at=start)
    r.agreement = AgreementFactory(**mine, title="Mine MOU")
    r.agreement.parties.add(r.org, r.org_hidden)
    r.agreement_theirs = AgreementFactory(**theirs, title="Their MOU")
    r.exercise = ExerciseFactory(**mine, name="FALCON", starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=3))
    r.exercise.counterparts.add(r.cp, r.cp_hidden)
    r.item = ActionItemFactory(**mine, description="Send the agenda", meeting=r.meeting_hidden, assignee=attache)
    r.item_mine = ActionItemFactory(**mine, description="Book the room", meeting=r.meeting, assignee=attache)
    return SimpleNamespace(post=post, other_post=other_post, users=users, r=r)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Case:
    id: str
    rows: str  # the rows of the table this case covers ("5", "6", "7", "-" for the rest)
    by: str
    kind: str
    target: str | None  # a record of the scene, or None for a new record
    change: Callable  # scene -> {field: value}
    status: str  # "saved", "400", "403", "404"
    errors: Callable | dict = field(default_factory=dict)  # scene -> the expected errors (400/403/404)
    check: Callable | None = None  # (scene, snapshot) -> None, on the record written
    at: str = "post"  # the post of a new record

    def expected_errors(self, s) -> dict:
        return self.errors(s) if callable(self.errors) else self.errors


def _no_such_post():
    return {"detail": policy.NO_SUCH_POST}


def _denied_add(plural):
    return {"detail": f"You may not add {plural} at this post."}


def _denied_change(name):
    return {"detail": f"You may not change this {name}."}


# fmt: off
NEW = {
    "counterpart": lambda s: {"family_name": "Haddad", "given_names": "Samir", "position": "J5", "organization": s.r.org},
    "organization": lambda s: {"name": "Air Staff", "acronym": "AS", "kind": "service_hq"},
    "meeting": lambda s: {"title": "Office call", "kind": "office_call", "starts_at": WHEN, "ends_at": WHEN},
    "agreement": lambda s: {"title": "Exchange MOU", "kind": "mou", "status": "proposed"},
    "exercise": lambda s: {"name": "DESERT WIND", "kind": "bilateral", "host_country": "XB", "starts_on": TODAY,
                           "ends_on": TODAY + dt.timedelta(days=4)},
    "actionitem": lambda s: {"description": "Call the J5", "assignee": s.users.attache, "due_on": TODAY},
}
PLURAL = {
    "counterpart": "counterparts", "organization": "organizations", "meeting": "meetings",
    "agreement": "agreements", "exercise": "exercises", "actionitem": "action items",
}
# fmt: on


def _ids(snapshot, name):
    return set(snapshot[name])


def _saved(**expected):
    def check(s, snap):
        for name, value in expected.items():
            value = value(s) if callable(value) else value
            assert snap[name] == value, f"{name}: {snap[name]!r} != {value!r}"

    return check


def _links(name, *, keep: Callable, want: Callable):
    """The links `name` hold the hidden ones kept and the visible ones chosen, nothing else."""

    def check(s, snap):
        assert _ids(snap, name) == {o.pk for o in keep(s)} | {o.pk for o in want(s)}

    return check


ONLY_OWNER_CHANNEL = policy.ONLY_OWNER_CHANGES.format(what="channel")
ONLY_OWNER_OWNER = policy.ONLY_OWNER_CHANGES.format(what="owner")
TOO_LONG_TEXT = "Ensure this value has at most 20000 characters (it has 20001)."

# fmt: off
CASES: list[Case] = [
    # ---- row 7: the post rule, one answer (404 not your post, 403 your post but not your role)
    *[Case(f"create {kind} at a post without a role: 404", "7", "attache", kind, None, NEW[kind], "404",
           lambda s: _no_such_post(), at="other_post") for kind in NEW],
    *[Case(f"diplomat creates {kind}: 403", "7", "diplomat", kind, None, NEW[kind], "403",
           lambda s, kind=kind: _denied_add(PLURAL[kind])) for kind in NEW],
    Case("chief creates a counterpart: 403", "7", "chief", "counterpart", None, NEW["counterpart"], "403",
         lambda s: _denied_add("counterparts")),
    Case("post admin creates a meeting: 403", "7", "admin", "meeting", None, NEW["meeting"], "403",
         lambda s: _denied_add("meetings")),
    Case("attaché at A, diplomat at B: counterpart at A saved", "7", "two_roles", "counterpart", None,
         NEW["counterpart"], "saved", check=_saved(post=lambda s: str(s.post.pk))),
    Case("attaché at A, diplomat at B: counterpart at B refused", "7", "two_roles", "counterpart", None,
         NEW["counterpart"], "403", lambda s: _denied_add("counterparts"), at="other_post"),
    Case("attaché at A, diplomat at B: meeting at B refused", "7", "two_roles", "meeting", None,
         NEW["meeting"], "403", lambda s: _denied_add("meetings"), at="other_post"),
    Case("attaché at A, diplomat at B: meeting at A saved", "7", "two_roles", "meeting", None,
         NEW["meeting"], "saved", check=_saved(title="Office call")),
    Case("attaché at A, diplomat at B: change at B refused", "7", "two_roles", "meeting", "meeting_other_post",
         lambda s: {"title": "Taken over"}, "403", lambda s: _denied_change("meeting"),
         check=_saved(title="Elsewhere")),
    Case("change a meeting of another post: 404", "7", "attache", "meeting", "meeting_other_post",
         lambda s: {"title": "Taken over"}, "404", {"detail": policy.NO_SUCH_RECORD}),
    Case("change a hidden restricted counterpart: 404", "7", "attache", "counterpart", "cp_hidden",
         lambda s: {"position": "Taken over"}, "404", {"detail": policy.NO_SUCH_RECORD}),
    Case("change a granted restricted counterpart (not its owner): 403", "7", "attache", "counterpart",
         "cp_granted", lambda s: {"position": "Taken over"}, "403", lambda s: _denied_change("counterpart")),
    Case("diplomat changes a post-channel meeting: 403", "7", "diplomat", "meeting", "meeting",
         lambda s: {"title": "Taken over"}, "403", lambda s: _denied_change("meeting")),
    # ---- row 5: who may own a record, who may change its channel or owner
    Case("restricted counterpart owned by a diplomat: 400", "5", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "channel": "restricted", "owner": s.users.diplomat}, "400",
         {"owner": [policy.OWNER_NOT_ELIGIBLE]}),
    Case("restricted counterpart owned by the post admin: 400", "5", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "channel": "restricted", "owner": s.users.admin}, "400",
         {"owner": [policy.OWNER_NOT_ELIGIBLE]}),
    Case("restricted counterpart without an owner: 400", "5", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "channel": "restricted", "owner": None}, "400",
         {"owner": [policy.OWNER_REQUIRED]}),
    Case("restricted counterpart owned by another attaché: saved", "5", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "channel": "restricted", "owner": s.users.colleague}, "saved",
         check=_saved(owner=lambda s: str(s.users.colleague.pk), channel="restricted")),
    Case("restricted counterpart owned by the chief: saved", "5", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "channel": "restricted", "owner": s.users.chief}, "saved",
         check=_saved(owner=lambda s: str(s.users.chief.pk))),
    Case("owner of another post's people: 400", "5", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "owner": s.users.outsider}, "400",
         lambda s: {"owner": [policy.NO_SUCH_PERSON_ID.format(id=s.users.outsider.pk)]}),
    Case("owner hands a restricted counterpart to a diplomat: 400", "5", "attache", "counterpart",
         "cp_mine_restricted", lambda s: {"owner": s.users.diplomat}, "400", {"owner": [policy.OWNER_NOT_ELIGIBLE]}),
    Case("owner hands a restricted counterpart to another attaché: saved", "5", "attache", "counterpart",
         "cp_mine_restricted", lambda s: {"owner": s.users.colleague}, "saved",
         check=_saved(owner=lambda s: str(s.users.colleague.pk))),
    Case("attaché takes a colleague's counterpart restricted as its owner: 400", "5", "attache", "counterpart",
         "cp", lambda s: {"channel": "restricted", "owner": s.users.attache}, "400",
         {"channel": [ONLY_OWNER_CHANNEL], "owner": [ONLY_OWNER_OWNER]},
         check=_saved(channel="post", owner=lambda s: str(s.users.colleague.pk))),
    Case("attaché narrows a colleague's counterpart to the attaché channel: 400", "5", "attache",
         "counterpart", "cp", lambda s: {"channel": "attache"}, "400", {"channel": [ONLY_OWNER_CHANNEL]}),
    Case("attaché makes themselves owner of a colleague's counterpart: 400", "5", "attache", "counterpart",
         "cp", lambda s: {"owner": s.users.attache}, "400", {"owner": [ONLY_OWNER_OWNER]}),
    Case("attaché takes a colleague's meeting restricted: 400", "5", "attache", "meeting", "meeting_theirs",
         lambda s: {"channel": "restricted"}, "400", {"channel": [ONLY_OWNER_CHANNEL]}),
    Case("attaché narrows a colleague's agreement: 400", "5", "attache", "agreement", "agreement_theirs",
         lambda s: {"channel": "attache"}, "400", {"channel": [ONLY_OWNER_CHANNEL]}),
    Case("attaché edits a colleague's counterpart, channel untouched: saved", "5", "attache", "counterpart",
         "cp", lambda s: {"position": "Deputy J5"}, "saved", check=_saved(position="Deputy J5", channel="post")),
    Case("owner takes their counterpart restricted: saved", "5", "attache", "counterpart", "cp_mine",
         lambda s: {"channel": "restricted"}, "saved", check=_saved(channel="restricted")),
    Case("owner narrows their meeting to the attaché channel: saved", "5", "attache", "meeting", "meeting",
         lambda s: {"channel": "attache"}, "saved", check=_saved(channel="attache")),
    Case("chief changes a counterpart's channel: 403 (the chief edits no content)", "5", "chief",
         "counterpart", "cp", lambda s: {"channel": "attache"}, "403", lambda s: _denied_change("counterpart")),
    # ---- row 6: links the editor cannot see are kept; hidden ids are answered as absent ones
    Case("meeting participants replaced, the hidden one kept", "6", "attache", "meeting", "meeting",
         lambda s: {"counterparts": [s.r.cp_mine, s.r.cp_other]}, "saved",
         check=_links("participants", keep=lambda s: [s.r.cp_hidden], want=lambda s: [s.r.cp_mine, s.r.cp_other])),
    Case("meeting participants emptied, the hidden one kept", "6", "attache", "meeting", "meeting",
         lambda s: {"counterparts": []}, "saved",
         check=_links("participants", keep=lambda s: [s.r.cp_hidden], want=lambda s: [])),
    Case("meeting agreements emptied, the hidden one kept", "6", "attache", "meeting", "meeting",
         lambda s: {"agreements": []}, "saved",
         check=_links("agreements", keep=lambda s: [s.r.agr_hidden], want=lambda s: [])),
    Case("meeting exercises emptied, the hidden one kept", "6", "attache", "meeting", "meeting",
         lambda s: {"exercises": []}, "saved",
         check=_links("exercises", keep=lambda s: [s.r.ex_hidden], want=lambda s: [])),
    Case("meeting attendees replaced, one who left the post kept", "6", "attache", "meeting", "meeting",
         lambda s: {"attendees": [s.users.colleague]}, "saved",
         check=_links("attendees", keep=lambda s: [s.users.former], want=lambda s: [s.users.colleague])),
    Case("agreement parties replaced, the hidden one kept", "6", "attache", "agreement", "agreement",
         lambda s: {"parties": [s.r.org_mine]}, "saved",
         check=_links("parties", keep=lambda s: [s.r.org_hidden], want=lambda s: [s.r.org_mine])),
    Case("exercise counterparts emptied, the hidden one kept", "6", "attache", "exercise", "exercise",
         lambda s: {"counterparts": []}, "saved",
         check=_links("counterparts", keep=lambda s: [s.r.cp_hidden], want=lambda s: [])),
    Case("follow-up from a hidden meeting edited, its source kept", "6", "attache", "actionitem", "item",
         lambda s: {"description": "Send the agenda today"}, "saved",
         check=_saved(meeting=lambda s: str(s.r.meeting_hidden.pk), description="Send the agenda today")),
    Case("counterpart in a hidden organization edited, the organization kept", "6", "colleague",
         "counterpart", "cp_in_hidden_org", lambda s: {"position": "Director"}, "saved",
         check=_saved(organization=lambda s: str(s.r.org_hidden.pk))),
    Case("hidden counterpart id in a new meeting: 400 as absent", "6", "attache", "meeting", None,
         lambda s: {**NEW["meeting"](s), "counterparts": [s.r.cp_hidden]}, "400",
         lambda s: {"counterparts": [policy.NO_SUCH_RECORD_ID.format(id=s.r.cp_hidden.pk)]}),
    Case("absent counterpart id in a new meeting: 400, same words", "6", "attache", "meeting", None,
         lambda s: {**NEW["meeting"](s), "counterparts": [987654]}, "400",
         {"counterparts": [policy.NO_SUCH_RECORD_ID.format(id=987654)]}),
    Case("hidden party id on an agreement: 400 as absent", "6", "attache", "agreement", "agreement",
         lambda s: {"parties": [s.r.org_hidden]}, "400",
         lambda s: {"parties": [policy.NO_SUCH_RECORD_ID.format(id=s.r.org_hidden.pk)]}),
    Case("another post's counterpart on an exercise: 400 as absent", "6", "attache", "exercise", "exercise",
         lambda s: {"counterparts": [s.r.cp, s.other_cp]}, "400",
         lambda s: {"counterparts": [policy.NO_SUCH_RECORD_ID.format(id=s.other_cp.pk)]}),
    Case("hidden parent organization: 400 as absent", "6", "attache", "organization", None,
         lambda s: {**NEW["organization"](s), "parent": s.r.org_hidden}, "400",
         lambda s: {"parent": [policy.NO_SUCH_RECORD_ID.format(id=s.r.org_hidden.pk)]}),
    Case("attendee who is the post admin: 400", "6", "attache", "meeting", "meeting",
         lambda s: {"attendees": [s.users.admin]}, "400",
         {"attendees": ["Only people working at this post can be chosen."]}),
    # ---- limits, choices and the marking guard
    Case("201 participants: 400", "9", "attache", "meeting", None,
         lambda s: {**NEW["meeting"](s), "counterparts": s.many}, "400", {"counterparts": [TOO_MANY]}),
    Case("summary over 20,000 characters: 400", "-", "attache", "meeting", "meeting",
         lambda s: {"summary": "x" * 20_001}, "400", {"summary": [TOO_LONG_TEXT]}),
    Case("biography over 20,000 characters: 400", "-", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "biography": "y" * 20_001}, "400", {"biography": [TOO_LONG_TEXT]}),
    Case("title over 200 characters: 400", "-", "attache", "agreement", "agreement",
         lambda s: {"title": "t" * 201}, "400",
         {"title": ["Ensure this value has at most 200 characters (it has 201)."]}),
    Case("a channel that does not exist: 400", "-", "attache", "agreement", "agreement",
         lambda s: {"channel": "embassy"}, "400",
         {"channel": ["Select a valid choice. embassy is not one of the available choices."]}),
    Case("a kind that does not exist: 400", "-", "attache", "organization", None,
         lambda s: {**NEW["organization"](s), "kind": "navy"}, "400",
         {"kind": ["Select a valid choice. navy is not one of the available choices."]}),
    Case("classified marking on a new counterpart: 400, audited", "-", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "marking": "SECRET"}, "400", lambda s: {"marking": s.secret}),
    Case("classified marking on a meeting: 400, audited", "-", "attache", "meeting", "meeting",
         lambda s: {"marking": "TOP SECRET"}, "400", lambda s: {"marking": s.top_secret}),
    # ---- successful writes of every kind
    *[Case(f"attaché creates {kind}", "-", "attache", kind, None, NEW[kind], "saved",
           check=_saved(created_by=lambda s: str(s.users.attache.pk), post=lambda s: str(s.post.pk)))
      for kind in NEW],
    Case("attaché creates a meeting with links", "-", "attache", "meeting", None,
         lambda s: {**NEW["meeting"](s), "counterparts": [s.r.cp], "attendees": [s.users.attache],
                    "agreements": [s.r.agr], "exercises": [s.r.ex], "channel": "attache", "marking": "SBU"},
         "saved", check=_saved(participants=lambda s: [s.r.cp.pk], channel="attache", marking="SBU")),
    Case("attaché creates a counterpart with tags", "-", "attache", "counterpart", None,
         lambda s: {**NEW["counterpart"](s), "tags": Tags(["alumni", "maritime"])}, "saved",
         check=_saved(tags=["alumni", "maritime"], owner=lambda s: str(s.users.attache.pk))),
    Case("attaché changes an organization", "-", "attache", "organization", "org",
         lambda s: {"name": "Joint Staff HQ"}, "saved", check=_saved(name="Joint Staff HQ")),
    Case("attaché changes a counterpart's position", "-", "attache", "counterpart", "cp_mine",
         lambda s: {"position": "Commander"}, "saved", check=_saved(position="Commander")),
    Case("attaché changes a meeting", "-", "attache", "meeting", "meeting",
         lambda s: {"title": "Staff talks, round 2", "status": "conducted", "include_in_weekly": False}, "saved",
         check=_saved(title="Staff talks, round 2", include_in_weekly="False")),
    Case("attaché changes an agreement", "-", "attache", "agreement", "agreement",
         lambda s: {"title": "Mine MOU, amended"}, "saved", check=_saved(title="Mine MOU, amended")),
    Case("attaché changes an exercise", "-", "attache", "exercise", "exercise",
         lambda s: {"name": "FALCON 26", "location": "Coast"}, "saved", check=_saved(name="FALCON 26")),
    Case("attaché closes a follow-up through its status", "-", "attache", "actionitem", "item_mine",
         lambda s: {"status": "done"}, "saved", check=_saved(status="done", completed=True)),
]
# fmt: on


def _prepare(scene, case: Case):
    """What some cases need beyond the scene: a counterpart at the other post, 201 counterparts,
    the spill guard's messages."""
    from tenancy import spill

    if case.id.startswith("another post's"):
        scene.other_cp = CounterpartFactory(post=scene.other_post, organization=None)
    if case.id.startswith("201"):
        Counterpart.objects.bulk_create(
            Counterpart(post=scene.post, family_name=f"Bulk{i}", country="XB", created_by=scene.users.attache)
            for i in range(201)
        )
        scene.many = list(Counterpart.objects.filter(family_name__startswith="Bulk"))
    for name, value in (("secret", "SECRET"), ("top_secret", "TOP SECRET")):
        # Both interfaces refuse a classified marking with the spill guard's words, naming what it found.
        setattr(scene, name, spill.refusal(spill.find(value, kind="marking")).messages)


def _run(write, scene, case) -> Outcome:
    """One write in a savepoint rolled back after, so that both interfaces start from the same rows."""
    user = getattr(scene.users, case.by)
    target = getattr(scene.r, case.target) if case.target else None
    post = scene.post if case.at == "post" else scene.other_post
    with transaction.atomic():
        with timezone.override(dt.UTC):
            outcome = write(user=user, kind_name=case.kind, post=post, target=target, change=case.change(scene))
        transaction.set_rollback(True)
    return outcome


@pytest.mark.parametrize("case", CASES, ids=[f"[row {c.rows}] {c.id}" for c in CASES])
def test_write_gives_the_same_outcome_through_the_form_and_the_api(scene, case):
    _prepare(scene, case)
    html = _run(write_html, scene, case)
    api = _run(write_api, scene, case)
    assert html == api, f"the form and the API disagree:\nHTML {html}\nAPI  {api}"
    assert html.status == case.status, html
    if case.status == "saved":
        assert html.created == (1 if case.target is None else 0)
    else:
        assert html.errors == case.expected_errors(scene)
        assert html.created == 0
    if case.status == "403":
        assert html.audited == ["access_denied"]
    if "marking" in html.errors:
        assert html.audited == ["classified_refused"]
    if case.check is not None:
        case.check(scene, html.record)


def test_the_table_is_large_and_covers_every_kind_and_outcome():
    assert len(CASES) >= 40
    assert {c.kind for c in CASES} == {"counterpart", "organization", "meeting", "agreement", "exercise", "actionitem"}
    assert {c.status for c in CASES} == {"saved", "400", "403", "404"}
    assert {"5", "6", "7"} <= {c.rows for c in CASES}
    assert len({c.id for c in CASES}) == len(CASES)


def test_a_refused_case_is_told_apart_from_a_saved_one(scene):
    """The comparison is not vacuous: a saved write and a refused one do not compare equal."""
    saved = next(c for c in CASES if c.status == "saved" and c.target == "meeting")
    refused = next(c for c in CASES if c.id.startswith("classified marking on a meeting"))
    _prepare(scene, refused)
    assert _run(write_api, scene, saved) != _run(write_api, scene, refused)
