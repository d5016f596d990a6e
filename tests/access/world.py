"""One post's worth of records in every channel, each carrying unique marker strings.

Every record's title/name/summary holds `marker(resource, variant)` and its restricted_notes hold
`notes_marker(resource, variant)`; a page that shows a record it should not, or notes it should
not, gives itself away by containing the marker. Records link across channels on purpose (a
post-channel meeting with an attaché-channel counterpart, a post-channel counterpart whose
timeline holds restricted meetings …): pages must leave the hidden side of each link out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from guardian.shortcuts import assign_perm

from calendars.services import feed_issue, feed_revoke
from reports.models import Cable, CableStatus
from tenancy.choices import Role
from tenancy.markings import Channel, Marking

from ..factories import (
    ActionItemFactory,
    AgreementFactory,
    AppointmentFactory,
    CableFactory,
    CableParagraphFactory,
    ClearanceFactory,
    CounterpartFactory,
    ExerciseFactory,
    GiftFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    OrganizationFactory,
    PostFactory,
    UserFactory,
)

# The channel axis of the matrix. "restricted" is kept by another attaché and given to nobody;
# "restricted_own" is kept by the matrix's attaché; "restricted_granted" is kept by another
# attaché and given one by one to the matrix's attaché and diplomat.
RECORD_VARIANTS = ("post", "attache", "restricted", "restricted_own", "restricted_granted")
CABLE_VARIANTS = ("draft", "released_post", "released_attache")
RECORD_RESOURCES = (
    "organization", "counterpart", "meeting", "agreement", "exercise", "actionitem", "clearance", "gift",
)  # fmt: skip
ROLES = ("attache", "diplomat", "chief", "admin", "outsider", "anonymous")

_CHANNEL = {
    "post": Channel.POST,
    "attache": Channel.ATTACHE,
    "restricted": Channel.RESTRICTED,
    "restricted_own": Channel.RESTRICTED,
    "restricted_granted": Channel.RESTRICTED,
}


def marker(resource: str, variant: str, post: str = "") -> str:
    """e.g. 'MkMeetingAttacheZq': unique, no marker a prefix of another, survives upper-casing."""
    camel = "".join(part.capitalize() for part in f"{post}_{resource}_{variant}".split("_") if part)
    return f"Mk{camel}Zq"


def notes_marker(resource: str, variant: str, post: str = "") -> str:
    return "Rn" + marker(resource, variant, post)[2:]


@dataclass(frozen=True)
class Secret:
    """A record addressed by a secret rather than by its id: `pk` is what its URL carries."""

    pk: str


@dataclass
class World:
    post: object
    other_post: object
    users: dict = field(default_factory=dict)  # role -> user (plus "second_attache")
    records: dict = field(default_factory=dict)  # (resource, variant) -> object
    other_records: dict = field(default_factory=dict)  # resource -> object at the other post

    def get(self, resource: str, variant: str):
        return self.records[(resource, variant)]


def _owner_kwargs(resource: str, user) -> dict:
    kwargs = {"created_by": user}
    if resource == "counterpart":
        kwargs["owner"] = user
    return kwargs


def build_world() -> World:
    post = PostFactory(code="BANDAR", name="Embassy Bandar", host_country="BN", cable_country_tag="BN")
    other_post = PostFactory(code="OTHER", name="Embassy Other")
    world = World(post=post, other_post=other_post)
    for role, username, at in [
        (Role.ATTACHE, "attache", post),
        (Role.ATTACHE, "attache2", post),
        (Role.DIPLOMAT, "diplomat", post),
        (Role.CHIEF, "chief", post),
        (Role.ADMIN, "postadmin", post),
        (Role.ATTACHE, "outsider", other_post),
    ]:
        user = UserFactory(username=username, is_staff=role == Role.ADMIN)
        MembershipFactory(user=user, post=at, role=role)
        world.users[{"attache2": "second_attache", "postadmin": "admin"}.get(username, username)] = user
    attache, keeper, diplomat = world.users["attache"], world.users["second_attache"], world.users["diplomat"]

    for variant in RECORD_VARIANTS:
        owner = attache if variant == "restricted_own" else keeper
        common = {"post": post, "channel": _CHANNEL[variant], "marking": Marking.SBU}

        def rec(resource, factory, **fields):
            obj = factory(**common, **_owner_kwargs(resource, owner), **fields)
            world.records[(resource, variant)] = obj
            return obj

        rec("organization", OrganizationFactory, name=marker("organization", variant), acronym="")
        rec(
            "counterpart",
            CounterpartFactory,
            family_name=marker("counterpart", variant),
            given_names="Tomas",
            organization=None,
            restricted_notes=notes_marker("counterpart", variant),
            biography=f"Biography of {marker('counterpart', variant)}",
            contact_every_days=30,  # on the dashboard's stay-in-touch panel of its keeper and the chief
        )
        rec(
            "meeting",
            MeetingFactory,
            title=marker("meeting", variant),
            summary=f"Summary {marker('meeting', variant)}",
            restricted_notes=notes_marker("meeting", variant),
        )
        # In force and expiring, a planning conference next week: both on the dashboard too.
        rec(
            "agreement",
            AgreementFactory,
            title=marker("agreement", variant),
            summary=marker("agreement", variant),
            status="in_force",
            expires_on=timezone.localdate() + dt.timedelta(days=60),
        )
        rec(
            "exercise",
            ExerciseFactory,
            name=marker("exercise", variant),
            summary=marker("exercise", variant),
            ipc_on=timezone.localdate() + dt.timedelta(days=7),
        )
        # Travel soon and past its lead time, a gift above the minimal value: both on the dashboard too.
        rec(
            "clearance",
            ClearanceFactory,
            mission=marker("clearance", variant),
            itinerary=marker("clearance", variant),
            starts_on=timezone.localdate() + dt.timedelta(days=5),
            ends_on=timezone.localdate() + dt.timedelta(days=6),
        )
        rec("gift", GiftFactory, description=marker("gift", variant), value_usd=900)

    # Links: every record points at the post-channel ones, and the post-channel ones point at
    # every variant, so both directions of a cross-channel link are on some page.
    org_post, cp_post = world.get("organization", "post"), world.get("counterpart", "post")
    meeting_post = world.get("meeting", "post")
    for variant in RECORD_VARIANTS:
        counterpart = world.get("counterpart", variant)
        counterpart.organization = org_post
        counterpart.save()
        AppointmentFactory(
            counterpart=counterpart,
            organization=world.get("organization", variant),
            position=marker("counterpart", variant),
        )
        MeetingParticipantFactory(meeting=world.get("meeting", variant), counterpart=cp_post)
        if variant != "post":
            MeetingParticipantFactory(meeting=meeting_post, counterpart=counterpart)
            meeting_post.agreements.add(world.get("agreement", variant))
            meeting_post.exercises.add(world.get("exercise", variant))
            world.get("exercise", "post").counterparts.add(counterpart)
            world.get("agreement", "post").parties.add(world.get("organization", variant))
        world.get("exercise", variant).counterparts.add(cp_post)
        world.get("agreement", variant).parties.add(org_post)
        world.get("meeting", variant).attendees.add(attache)
        gift = world.get("gift", variant)
        gift.counterpart, gift.meeting = cp_post, world.get("meeting", variant)
        gift.save()
        if variant != "post":  # the post-channel gift names records of every channel in turn
            gift_post = world.get("gift", "post")
            gift_post.counterpart, gift_post.meeting = counterpart, world.get("meeting", variant)
            gift_post.save()
        owner = attache if variant == "restricted_own" else keeper
        world.records[("actionitem", variant)] = ActionItemFactory(
            post=post,
            channel=_CHANNEL[variant],
            created_by=owner,
            assignee=diplomat,
            meeting=world.get("meeting", variant),
            description=marker("actionitem", variant),
            due_on=timezone.localdate() + dt.timedelta(days=3),
        )

    for resource in RECORD_RESOURCES:
        record = world.get(resource, "restricted_granted")
        for user in (attache, diplomat):
            assign_perm(f"view_{record._meta.model_name}", user, record)

    for number, variant in enumerate(CABLE_VARIANTS):
        channel = Channel.ATTACHE if variant == "released_attache" else Channel.POST
        cable = CableFactory(
            post=post,
            channel=channel,
            marking=Marking.SBU,
            created_by=attache,
            subject=marker("cable", variant),
            period_start=dt.date(2026, 6, 1) + dt.timedelta(weeks=number),
            period_end=dt.date(2026, 6, 5) + dt.timedelta(weeks=number),
        )
        CableParagraphFactory(
            cable=cable, position=1, marking=Marking.SBU, channel=channel, text=f"Text {marker('cable', variant)}"
        )
        if variant != "draft":
            Cable.objects.filter(pk=cable.pk).update(
                status=CableStatus.RELEASED,
                serial_year=2026,
                serial_number=100 + number,
                released_by=world.users["chief"],
                released_at=timezone.now(),
                released_text=f"Text {marker('cable', variant)}",
            )
        world.records[("cable", variant)] = cable

    from apitokens.models import PersonalAccessToken

    world.records[("token", "own")], _ = PersonalAccessToken.issue(
        user=attache, name="matrix token", expires_at=timezone.now() + dt.timedelta(days=30)
    )

    for role in ("attache", "diplomat", "chief", "admin", "outsider", "anonymous"):
        holder = world.users.get(role, attache)
        feed, text = feed_issue(user=holder, lifetime_days=30, all_channels=True)
        world.records[("calendar_address", role)] = Secret(text)
        if role == "attache":
            world.records[("calendarfeed", "own")] = feed
        if role == "anonymous":
            feed_revoke(feed=feed, by=holder)

    # People pages: a member of BANDAR whom its admin manages, and the outsider, who is not theirs.
    member = UserFactory(username="member")
    MembershipFactory(user=member, post=post, role=Role.DIPLOMAT)
    world.records[("person", "member")] = member
    world.records[("person", "other")] = world.users["outsider"]

    # The other post: its records must never show at BANDAR (and the outsider sees only these).
    outsider = world.users["outsider"]
    other = {"post": other_post, "created_by": outsider}
    world.other_records["organization"] = OrganizationFactory(**other, name=marker("organization", "post", "other"))
    world.other_records["counterpart"] = CounterpartFactory(
        **other,
        owner=outsider,
        organization=world.other_records["organization"],
        family_name=marker("counterpart", "post", "other"),
        restricted_notes=notes_marker("counterpart", "post", "other"),
    )
    world.other_records["meeting"] = MeetingFactory(
        **other, title=marker("meeting", "post", "other"), restricted_notes=notes_marker("meeting", "post", "other")
    )
    world.other_records["agreement"] = AgreementFactory(**other, title=marker("agreement", "post", "other"))
    world.other_records["exercise"] = ExerciseFactory(**other, name=marker("exercise", "post", "other"))
    world.other_records["actionitem"] = ActionItemFactory(
        **other, assignee=outsider, description=marker("actionitem", "post", "other")
    )
    world.other_records["cable"] = CableFactory(**other, subject=marker("cable", "post", "other"))
    world.other_records["clearance"] = ClearanceFactory(**other, mission=marker("clearance", "post", "other"))
    world.other_records["gift"] = GiftFactory(**other, description=marker("gift", "post", "other"), value_usd=900)
    return world
