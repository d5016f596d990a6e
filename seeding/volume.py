"""Benchmark volume ("headquarters", docs/design.md): many posts, each with its counterparts and years of meetings.

`load(spec)` writes everything in bulk — PostgreSQL COPY (the meetings streamed while they are
generated, so the database ingests on one core while Python generates on the other), or
bulk_create in large batches on other databases — never one save() per row. Derived columns are
filled by the same code as a save would use (Counterpart.refresh_derived_fields).

Deterministic: every post draws from its own random stream seeded by (seed, post number, table),
and ids are allocated in order, so the same parameters give the same names, counts and links.
Dates are laid out relative to `anchor` (default today) so that a fresh load has meetings last
week and planned ones next month; pass `anchor` for byte-identical data.

Not written: change history (simple_history) and audit events — a bulk load is not a user's act.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from contacts import names
from contacts.choices import CounterpartStatus, NatoGrade, OrganizationKind, Service
from contacts.models import Appointment, Counterpart, Organization
from engagements import last_contact, meeting_weeks
from engagements.choices import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    ExerciseKind,
    ExercisePhase,
    MeetingKind,
    MeetingStatus,
)
from engagements.models import (
    ActionItem,
    Agreement,
    AgreementStatusChange,
    Exercise,
    ExercisePhaseChange,
    Meeting,
    MeetingParticipant,
    MeetingWeek,
)
from office import volume as office_volume
from tenancy.choices import Role
from tenancy.markings import Channel, Marking
from tenancy.models import Membership, Post

from .bulk import Sink
from .volume_words import (
    CITY_SYLLABLES,
    CIVILIAN_TITLES,
    GRADES,
    HOST_COUNTRIES,
    LANGUAGES,
    NAVAL_TITLES,
    ORG_UNITS,
    OUTCOMES,
    POSITIONS,
    REGION_NAMES,
    REGIONS,
    SCHOOLS,
    SENTENCES,
    TAG_NAMES,
    TIMEZONES,
    TOPICS,
)

POST_CODE = "V{:03d}"  # V001 … V150: never clashes with real or demo posts
ROLES_PER_POST = (
    ("attache", Role.ATTACHE),
    ("attache2", Role.ATTACHE),
    ("diplomat", Role.DIPLOMAT),
    ("chief", Role.CHIEF),
    ("admin", Role.ADMIN),
)
# A role at every volume post: a headquarters reader, who searches and lists across all of them.
HQ_USERS = (("hq-chief", Role.CHIEF), ("hq-diplomat", Role.DIPLOMAT))
# Benchmark data only; printed by the command and in bench/README.md.
DEFAULT_PASSWORD = "volume-benchmark-password"
YEARS_OF_HISTORY = 5
# One counterpart in CADENCE_SHARE has a stay-in-touch cadence, one of CADENCES (days) in turn.
CADENCE_SHARE = 10
CADENCES = (30, 60, 90, 180)
WEEKS_PLANNED_AHEAD = 8
ORGANIZATIONS_PER_POST = 24
AGREEMENTS_PER_POST = 30
EXERCISES_PER_POST = 12


@dataclass
class VolumeSpec:
    posts: int = 150
    counterparts_per_post: int = 1000
    meetings_per_post: int = 10000
    seed: int = 20260101
    anchor: dt.date = field(default_factory=lambda: timezone.localdate())
    password: str = DEFAULT_PASSWORD


def post_codes(spec: VolumeSpec) -> list[str]:
    return [POST_CODE.format(n) for n in range(1, spec.posts + 1)]


def username(code: str, suffix: str) -> str:
    return f"{code.lower()}-{suffix}"


def loaded_counts(spec: VolumeSpec) -> dict[str, int]:
    """What of this volume is already in the database (for 'reuse if loaded')."""
    posts = Post.objects.filter(code__in=post_codes(spec))
    return {
        "posts": posts.count(),
        "counterparts": Counterpart.objects.filter(post__in=posts).count(),
        "meetings": Meeting.objects.filter(post__in=posts).count(),
        # Written by the load's last step (with the last contacts): 0 until that step committed.
        "weekly_counts": int(MeetingWeek.objects.filter(post__in=posts).exists()),
    }


def is_loaded(spec: VolumeSpec) -> bool:
    counts = loaded_counts(spec)
    return counts == {
        "posts": spec.posts,
        "counterparts": spec.posts * spec.counterparts_per_post,
        "meetings": spec.posts * spec.meetings_per_post,
        "weekly_counts": 1 if spec.meetings_per_post else 0,
    }


# ---------------------------------------------------------------- names


def _weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def _city(rng: random.Random) -> str:
    return "".join(rng.choice(CITY_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _region(post_number: int) -> str:
    return REGION_NAMES[(post_number - 1) % len(REGION_NAMES)]


def _person_name(rng: random.Random, region: str) -> tuple[str, str, str, str]:
    """(family, given, native, aliases) of one person of a region: a common name or a synthetic one."""
    pool = REGIONS[region]
    given, given_native, given_aliases = rng.choice(pool["given"])
    if rng.random() < 0.45:
        family, family_native, family_aliases = rng.choice(pool["family"])
    else:
        family = pool["prefix"] * (rng.random() < 0.5) + rng.choice(pool["roots"]) + rng.choice(pool["suffixes"])
        family_native = family_aliases = ""
    native = f"{given_native} {family_native}".strip() if given_native and family_native else ""
    aliases = ", ".join(a for a in (family_aliases, given_aliases) if a)
    return family, given, native, aliases


# ---------------------------------------------------------------- the load


@dataclass
class _PostPlan:
    number: int
    post_id: int
    code: str
    region: str
    country: str
    users: dict  # suffix -> user id
    org_ids: list = field(default_factory=list)
    # (id, rank_title, grade, position, channel) of each counterpart, for meeting participants
    counterparts: list = field(default_factory=list)
    agreement_ids: list = field(default_factory=list)
    exercise_ids: list = field(default_factory=list)


def _rng(spec: VolumeSpec, number: int, table: str) -> random.Random:
    return random.Random(f"{spec.seed}:{number}:{table}")


def _channel(rng: random.Random, restricted_share: float = 0.03, attache_share: float = 0.12) -> str:
    draw = rng.random()
    if draw < restricted_share:
        return Channel.RESTRICTED
    if draw < restricted_share + attache_share:
        return Channel.ATTACHE
    return Channel.POST


def _marking(rng: random.Random) -> str:
    draw = rng.random()
    return Marking.SBU_NF if draw < 0.02 else Marking.SBU if draw < 0.30 else Marking.U


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def load(spec: VolumeSpec, log=print) -> dict[str, int]:
    """Write the whole volume; returns rows written per table. Refuses to write over a partial load."""
    if Post.objects.filter(code__in=post_codes(spec)).exists():
        raise RuntimeError("Volume posts already exist; drop the database or use another one.")
    sink = Sink(log)
    started = time.monotonic()
    if sink.postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '512MB'")
    with transaction.atomic():
        plans = _posts_and_users(spec, sink)
    log(f"posts and users: {time.monotonic() - started:.1f}s")
    for step in (_organizations, _counterparts, _agreements, _exercises, _meetings, _office):
        with transaction.atomic():
            step(spec, sink, plans)
    sink.finish()
    started_last = time.monotonic()
    with transaction.atomic():
        if sink.postgres:
            # Statistics first: without them the planner reads every participation per counterpart.
            _each_table(sink, "ANALYZE")
        last_contact.refresh_all()
        meeting_weeks.refresh_posts(Post.objects.filter(code__in=post_codes(spec)))
    log(f"last contacts and weekly counts: {time.monotonic() - started_last:.1f}s")
    if sink.postgres and not connection.in_atomic_block:  # VACUUM refuses a transaction (tests hold one)
        _analyze(sink, log)
    log(f"volume loaded in {time.monotonic() - started:.1f}s")
    return sink.counts


# Written from the loaded meetings by the last step, as the services keep it (not through the sink).
DERIVED_TABLES = (MeetingWeek._meta.db_table,)


def _each_table(sink: Sink, statement: str) -> None:
    """Run a maintenance statement ("ANALYZE", "VACUUM (ANALYZE)") on every table loaded and on
    the tables derived from them. Unvacuumed, a table has no visibility map, and an index-only
    read of it still visits the table for every row (autovacuum spares a running database that)."""
    names = [table.name for table in sink.tables.values()]
    with connection.cursor() as cursor:
        for name in dict.fromkeys([*names, *DERIVED_TABLES]):
            cursor.execute(f"{statement} {name}")


def _analyze(sink: Sink, log) -> None:
    """Fresh statistics and visibility maps, as a database that has been running for a while has."""
    started = time.monotonic()
    _each_table(sink, "VACUUM (ANALYZE)")
    log(f"vacuum analyze: {time.monotonic() - started:.1f}s")


def _posts_and_users(spec: VolumeSpec, sink: Sink) -> list[_PostPlan]:
    User = get_user_model()
    # Hashed once: PBKDF2 for each of 750 users would take minutes.
    password = make_password(spec.password)
    now = timezone.now()
    posts, users, plans = [], [], []
    post_ids = sink.ids(Post, spec.posts)
    for number, post_id in zip(range(1, spec.posts + 1), post_ids, strict=False):
        rng = _rng(spec, number, "post")
        region = _region(number)
        country = HOST_COUNTRIES[region][((number - 1) // len(REGION_NAMES)) % len(HOST_COUNTRIES[region])]
        city = _city(rng)
        code = POST_CODE.format(number)
        posts.append(
            Post(
                id=post_id,
                code=code,
                name=f"Embassy {city}",
                host_country=country,
                cable_country_tag=country,
                timezone=TIMEZONES[region],
                cable_from=f"AMEMBASSY {city.upper()}",
                cable_to="SECSTATE WASHDC",
                cable_info="SECDEF WASHDC\nDIA WASHDC",
                default_tags="MARR, PREL",
                signature=rng.choice(["HARTLEY", "MORGAN", "OKAFOR", "LINDQVIST", "RAMOS", "CHEN"]),
                weekly_cutoff_weekday=4,
                weekly_cutoff_time=dt.time(12, 0),
            )
        )
        plans.append(_PostPlan(number, post_id, code, region, country, {}))
    Post.objects.bulk_create(posts)
    user_ids = iter(sink.ids(User, spec.posts * len(ROLES_PER_POST) + len(HQ_USERS)))
    memberships = []
    for plan in plans:
        for suffix, role in ROLES_PER_POST:
            user_id = next(user_ids)
            name = username(plan.code, suffix)
            users.append(
                User(
                    id=user_id,
                    username=name,
                    password=password,
                    email=f"{name}@example.org",
                    first_name=suffix.capitalize(),
                    last_name=plan.code,
                    date_joined=now,
                )
            )
            plan.users[suffix] = user_id
            memberships.append(Membership(user_id=user_id, post_id=plan.post_id, role=role))
    for name, role in HQ_USERS:
        user_id = next(user_ids)
        users.append(
            User(
                id=user_id,
                username=name,
                password=password,
                email=f"{name}@example.org",
                first_name="HQ",
                last_name=role,
                date_joined=now,
            )
        )
        memberships.extend(Membership(user_id=user_id, post_id=plan.post_id, role=role) for plan in plans)
    User.objects.bulk_create(users, batch_size=2000)
    Membership.objects.bulk_create(memberships, batch_size=2000)
    sink.counts.update({"posts": len(posts), "users": len(users), "memberships": len(memberships)})
    return plans


def _record(plan: _PostPlan, rng: random.Random, created: dt.datetime, **fields) -> dict:
    author = plan.users["attache2" if rng.random() < 0.3 else "attache"]
    row = {
        "post_id": plan.post_id,
        "created_by_id": author,
        "created_at": created,
        "updated_at": created,
        "marking": _marking(rng),
        "channel": _channel(rng),
    }
    row.update(fields)
    return row


def _organizations(spec: VolumeSpec, sink: Sink, plans: list[_PostPlan]) -> None:
    created = _at(spec.anchor - dt.timedelta(days=365 * YEARS_OF_HISTORY + 30), 9)

    def rows():
        for plan in plans:
            rng = _rng(spec, plan.number, "organizations")
            plan.org_ids = list(sink.ids(Organization, ORGANIZATIONS_PER_POST))
            for i, org_id in enumerate(plan.org_ids):
                if i < len(ORG_UNITS):
                    name, acronym, kind = ORG_UNITS[i]
                    parent = plan.org_ids[0] if i else None
                else:
                    name = f"{rng.choice(['1st', '2nd', '3rd', '4th', '7th', '11th'])} {rng.choice(['Brigade', 'Division', 'Fleet', 'Air Wing', 'Corps', 'Regiment'])} {i}"
                    acronym, kind, parent = (
                        f"U{i}",
                        OrganizationKind.UNIT,
                        plan.org_ids[rng.randint(2, 5)],
                    )
                row = _record(
                    plan,
                    rng,
                    created,
                    id=org_id,
                    name=name,
                    acronym=acronym,
                    kind=kind,
                    parent_id=parent,
                    country=plan.country,
                )
                row["channel"] = Channel.POST
                yield row

    sink.write(Organization, rows())


def _counterparts(spec: VolumeSpec, sink: Sink, plans: list[_PostPlan]) -> None:
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    appointments = sink.buffer(Appointment)
    tag_ids = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0].pk for name in TAG_NAMES]
    tagged = sink.buffer(TaggedItem)
    content_type = ContentType.objects.get_for_model(Counterpart).pk
    grades, weights = zip(*[((g, t), w) for g, w, t in GRADES], strict=False)
    services = [s for s in Service.values if s != Service.OTHER]
    history_start = spec.anchor - dt.timedelta(days=365 * YEARS_OF_HISTORY)

    def rows():
        for plan in plans:
            rng = _rng(spec, plan.number, "counterparts")
            for cp_id in sink.ids(Counterpart, spec.counterparts_per_post):
                family, given, native, aliases = _person_name(rng, plan.region)
                (grade, title) = _weighted(rng, grades, weights)
                service = Service.CIVILIAN if grade == NatoGrade.CIVILIAN else rng.choice(services[:5])
                if service == Service.NAVY:
                    title = NAVAL_TITLES.get(title, title)
                if grade == NatoGrade.CIVILIAN:
                    title = rng.choice(CIVILIAN_TITLES)
                position = rng.choice(POSITIONS)
                org = rng.choice(plan.org_ids)
                channel = _channel(rng, 0.02, 0.10)
                owner = plan.users["attache2" if rng.random() < 0.3 else "attache"]
                created = _at(
                    history_start + dt.timedelta(days=rng.randint(0, 365 * YEARS_OF_HISTORY)),
                    10,
                )
                status = _weighted(rng, CounterpartStatus.values, (85, 8, 6, 1))
                counterpart = Counterpart(
                    id=cp_id,
                    post_id=plan.post_id,
                    created_by_id=owner,
                    created_at=created,
                    updated_at=created,
                    marking=_marking(rng),
                    channel=channel,
                    family_name=family,
                    given_names=given,
                    native_name=native,
                    aliases=aliases,
                    country=plan.country,
                    service=service,
                    rank_title=title,
                    nato_grade=grade,
                    position=position,
                    organization_id=org,
                    languages=", ".join(rng.sample(LANGUAGES, rng.randint(1, 3))),
                    education=", ".join(rng.sample(SCHOOLS, rng.randint(0, 2))),
                    email=f"{_ascii_handle(family, given)}.{cp_id}@mod.example",
                    phone=f"+00 {rng.randint(1000000, 9999999)}",
                    biography=f"{title} {given} {family.upper()} serves as {position}. " * rng.randint(1, 3),
                    protocol_notes="Prefers meetings in the morning." if rng.random() < 0.2 else "",
                    restricted_notes="Source of candid views on procurement." if rng.random() < 0.1 else "",
                    status=status,
                    last_verified_on=spec.anchor - dt.timedelta(days=rng.randint(0, 700)),
                    owner_id=owner,
                    contact_every_days=_cadence(cp_id),
                )
                counterpart.refresh_derived_fields()  # the same code as save()
                plan.counterparts.append((cp_id, title, grade, position, channel))
                start = created.date()
                if rng.random() < 0.35:
                    earlier = start - dt.timedelta(days=rng.randint(400, 1500))
                    appointments.add(
                        {
                            "id": sink.take(Appointment),
                            "counterpart_id": cp_id,
                            "organization_id": rng.choice(plan.org_ids),
                            "position": rng.choice(POSITIONS),
                            "rank_title": title,
                            "nato_grade": grade,
                            "start_on": earlier,
                            "end_on": start - dt.timedelta(days=1),
                        }
                    )
                appointments.add(
                    {
                        "id": sink.take(Appointment),
                        "counterpart_id": cp_id,
                        "organization_id": org,
                        "position": position,
                        "rank_title": title,
                        "nato_grade": grade,
                        "start_on": start,
                        "end_on": None,
                    }
                )
                for tag in rng.sample(tag_ids, rng.choice((0, 0, 0, 1, 1, 2))):
                    tagged.add(
                        {
                            "id": sink.take(TaggedItem),
                            "tag_id": tag,
                            "content_type_id": content_type,
                            "object_id": cp_id,
                        }
                    )
                yield {a: getattr(counterpart, a) for a in sink.table(Counterpart).attnames}

    sink.write(Counterpart, rows())
    appointments.flush()
    tagged.flush()


def _cadence(counterpart_id: int) -> int | None:
    """One counterpart in CADENCE_SHARE gets a stay-in-touch cadence; drawn from the id, not the
    random stream, so the rest of the volume stays the same as before cadences existed."""
    if counterpart_id % CADENCE_SHARE:
        return None
    return CADENCES[counterpart_id // CADENCE_SHARE % len(CADENCES)]


def _ascii_handle(family: str, given: str) -> str:
    return ".".join(names.tokens(f"{given} {family}"))[:40] or "officer"


def _agreements(spec: VolumeSpec, sink: Sink, plans: list[_PostPlan]) -> None:
    parties = sink.buffer(Agreement.parties.through)
    changes = sink.buffer(AgreementStatusChange)
    lifecycle = [
        AgreementStatus.PROPOSED,
        AgreementStatus.NEGOTIATING,
        AgreementStatus.TEXT_AGREED,
        AgreementStatus.SIGNED,
        AgreementStatus.IN_FORCE,
    ]

    def rows():
        for plan in plans:
            rng = _rng(spec, plan.number, "agreements")
            plan.agreement_ids = list(sink.ids(Agreement, AGREEMENTS_PER_POST))
            for agreement_id in plan.agreement_ids:
                steps = rng.randint(1, len(lifecycle))
                began = spec.anchor - dt.timedelta(days=rng.randint(30, 365 * YEARS_OF_HISTORY))
                days = sorted(rng.sample(range(0, max(30, (spec.anchor - began).days)), steps))
                status = lifecycle[steps - 1]
                signed = began + dt.timedelta(days=days[3]) if steps >= 4 else None
                effective = began + dt.timedelta(days=days[4]) if steps >= 5 else None
                created = _at(began, 11)
                yield _record(
                    plan,
                    rng,
                    created,
                    id=agreement_id,
                    kind=rng.choice(AgreementKind.values),
                    title=f"{rng.choice(['Technical arrangement', 'MOU', 'Implementing arrangement'])} on {rng.choice(TOPICS)}",
                    status=status,
                    signed_on=signed,
                    effective_on=effective,
                    expires_on=effective + dt.timedelta(days=365 * 5) if effective else None,
                    review_on=None,
                    summary=f"Covers {rng.choice(TOPICS)}.",
                )
                for org in rng.sample(plan.org_ids, 2):
                    parties.add(
                        {
                            "id": sink.take(Agreement.parties.through),
                            "agreement_id": agreement_id,
                            "organization_id": org,
                        }
                    )
                previous = ""
                for step, offset in zip(lifecycle[:steps], days, strict=False):
                    on = began + dt.timedelta(days=offset)
                    changes.add(
                        {
                            "id": sink.take(AgreementStatusChange),
                            "agreement_id": agreement_id,
                            "from_status": previous,
                            "to_status": step,
                            "changed_on": on,
                            "changed_at": _at(on, 15),
                            "changed_by_id": plan.users["attache"],
                            "note": "",
                        }
                    )
                    previous = step

    sink.write(Agreement, rows())
    parties.flush()
    changes.flush()


def _exercises(spec: VolumeSpec, sink: Sink, plans: list[_PostPlan]) -> None:
    members = sink.buffer(Exercise.counterparts.through)
    changes = sink.buffer(ExercisePhaseChange)
    phases = [
        ExercisePhase.CONCEPT,
        ExercisePhase.IPC,
        ExercisePhase.MPC,
        ExercisePhase.FPC,
        ExercisePhase.EXECUTION,
        ExercisePhase.AFTER_ACTION,
        ExercisePhase.CLOSED,
    ]

    def rows():
        for plan in plans:
            rng = _rng(spec, plan.number, "exercises")
            plan.exercise_ids = list(sink.ids(Exercise, EXERCISES_PER_POST))
            for exercise_id in plan.exercise_ids:
                starts = spec.anchor + dt.timedelta(days=rng.randint(-365 * 3, 240))
                ends = starts + dt.timedelta(days=rng.randint(5, 21))
                ipc, mpc, fpc = (starts - dt.timedelta(days=d) for d in (180, 90, 30))
                milestones = (
                    ipc,
                    mpc,
                    fpc,
                    starts,
                    ends + dt.timedelta(days=1),
                    ends + dt.timedelta(days=60),
                )
                reached = [d for d in milestones if d <= spec.anchor]
                phase = phases[len(reached)]
                yield _record(
                    plan,
                    rng,
                    _at(ipc - dt.timedelta(days=60), 9),
                    id=exercise_id,
                    name=f"{rng.choice(['NORTHERN', 'SOUTHERN', 'EAGLE', 'ANATOLIAN', 'DESERT', 'PACIFIC'])} "
                    f"{rng.choice(['SHIELD', 'RESOLVE', 'FALCON', 'PARTNER', 'HORIZON'])} {starts.year % 100:02d}",
                    kind=rng.choice(ExerciseKind.values),
                    host_country=plan.country,
                    participating_countries=",".join(sorted({plan.country, "US"})),
                    starts_on=starts,
                    ends_on=ends,
                    location=f"{_city(rng)} training area",
                    phase=phase,
                    summary=f"Exercise on {rng.choice(TOPICS)}.",
                    ipc_on=ipc,
                    mpc_on=mpc,
                    fpc_on=fpc,
                )
                for cp in rng.sample(plan.counterparts, min(len(plan.counterparts), rng.randint(3, 8))):
                    members.add(
                        {
                            "id": sink.take(Exercise.counterparts.through),
                            "exercise_id": exercise_id,
                            "counterpart_id": cp[0],
                        }
                    )
                previous = ""
                for to_phase, on in zip(phases[1:], reached, strict=False):
                    changes.add(
                        {
                            "id": sink.take(ExercisePhaseChange),
                            "exercise_id": exercise_id,
                            "from_phase": previous or ExercisePhase.CONCEPT,
                            "to_phase": to_phase,
                            "changed_on": on,
                            "changed_at": _at(on, 16),
                            "changed_by_id": plan.users["attache"],
                        }
                    )
                    previous = to_phase

    sink.write(Exercise, rows())
    members.flush()
    changes.flush()


def _meetings(spec: VolumeSpec, sink: Sink, plans: list[_PostPlan]) -> None:
    participants = sink.buffer(MeetingParticipant)
    attendees = sink.buffer(Meeting.attendees.through)
    linked_agreements = sink.buffer(Meeting.agreements.through)
    linked_exercises = sink.buffer(Meeting.exercises.through)
    actions = sink.buffer(ActionItem)
    first = spec.anchor - dt.timedelta(days=365 * YEARS_OF_HISTORY)
    span_days = 365 * YEARS_OF_HISTORY + 7 * WEEKS_PLANNED_AHEAD
    kinds, kind_weights = MeetingKind.values, (10, 40, 20, 8, 10, 12)

    def rows():
        for plan in plans:
            rng = _rng(spec, plan.number, "meetings")
            people = plan.counterparts
            size = len(people)
            attaches = [plan.users["attache"], plan.users["attache2"]]
            # Spread evenly over the period (the most recent weeks as busy as any), in date order.
            days = sorted(rng.randrange(span_days) for _ in range(spec.meetings_per_post))
            for meeting_id, offset in zip(sink.ids(Meeting, spec.meetings_per_post), days, strict=False):
                day = first + dt.timedelta(days=offset)
                starts = _at(day, rng.randint(7, 17), rng.choice((0, 15, 30, 45)))
                past = day < spec.anchor
                if past:
                    status = _weighted(
                        rng,
                        (
                            MeetingStatus.CONDUCTED,
                            MeetingStatus.CANCELLED,
                            MeetingStatus.POSTPONED,
                        ),
                        (90, 6, 4),
                    )
                else:
                    status = MeetingStatus.PLANNED
                # A few counterparts meet the office constantly (Chief of Defence, J5): skewed choice.
                chosen = []
                for _ in range(_weighted(rng, (1, 2, 3, 4), (45, 30, 18, 7))):
                    person = people[int(size * rng.random() ** 2)]
                    if person not in chosen:
                        chosen.append(person)
                lead = chosen[0]
                kind = _weighted(rng, kinds, kind_weights)
                topic = rng.choice(TOPICS)
                summary = (
                    " ".join(
                        rng.choice(SENTENCES).format(name="the counterpart", topic=topic)
                        for _ in range(rng.randint(1, 3))
                    )
                    if status == MeetingStatus.CONDUCTED
                    else ""
                )
                channel = _channel(rng)
                row = _record(
                    plan,
                    rng,
                    starts - dt.timedelta(days=rng.randint(1, 20)),
                    id=meeting_id,
                    title=f"{MeetingKind(kind).label}: {lead[3]} — {topic}"[:200],
                    kind=kind,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=rng.choice((30, 60, 90, 120))),
                    location=rng.choice(
                        (
                            "Ministry of Defence",
                            "Embassy",
                            "General Staff HQ",
                            "Officers' Club",
                            "VTC",
                        )
                    ),
                    objectives=f"Advance {topic}.",
                    summary=summary,
                    outcome=rng.choice(OUTCOMES) if status == MeetingStatus.CONDUCTED else "",
                    restricted_notes="Candid aside on procurement politics." if rng.random() < 0.08 else "",
                    include_in_weekly=rng.random() < 0.9,
                    status=status,
                    channel=channel,
                )
                if channel == Channel.RESTRICTED:
                    row["created_by_id"] = attaches[0]
                yield row
                for person in chosen:
                    participants.add(
                        {
                            "id": sink.take(MeetingParticipant),
                            "meeting_id": meeting_id,
                            "counterpart_id": person[0],
                            "position_at_time": person[3],
                            "rank_title_at_time": person[1],
                            "nato_grade_at_time": person[2],
                        }
                    )
                for user_id in attaches[: rng.choice((1, 1, 2))]:
                    attendees.add(
                        {
                            "id": sink.take(Meeting.attendees.through),
                            "meeting_id": meeting_id,
                            "user_id": user_id,
                        }
                    )
                if rng.random() < 0.04:
                    linked_agreements.add(
                        {
                            "id": sink.take(Meeting.agreements.through),
                            "meeting_id": meeting_id,
                            "agreement_id": rng.choice(plan.agreement_ids),
                        }
                    )
                if rng.random() < 0.03:
                    linked_exercises.add(
                        {
                            "id": sink.take(Meeting.exercises.through),
                            "meeting_id": meeting_id,
                            "exercise_id": rng.choice(plan.exercise_ids),
                        }
                    )
                if status == MeetingStatus.CONDUCTED and rng.random() < 0.2:
                    due = day + dt.timedelta(days=rng.choice((7, 14, 30)))
                    done = due < spec.anchor - dt.timedelta(days=30) or rng.random() < 0.5
                    assignee = plan.users["diplomat"] if rng.random() < 0.15 else rng.choice(attaches)
                    item = _record(
                        plan,
                        rng,
                        starts + dt.timedelta(hours=3),
                        id=sink.take(ActionItem),
                        description=f"Follow up on {topic}",
                        assignee_id=assignee,
                        due_on=due,
                        status=ActionStatus.DONE if done else ActionStatus.OPEN,
                        meeting_id=meeting_id,
                        agreement_id=None,
                        exercise_id=None,
                        completed_at=_at(due, 12) if done else None,
                    )
                    item["channel"] = channel if channel != Channel.RESTRICTED else Channel.ATTACHE
                    actions.add(item)

    sink.write(Meeting, rows())
    for buffer in (
        participants,
        attendees,
        linked_agreements,
        linked_exercises,
        actions,
    ):
        buffer.flush()


def _office(spec: VolumeSpec, sink: Sink, plans: list[_PostPlan]) -> None:
    office_volume.write(spec, sink, plans, record=_record, rng_for=_rng, weighted=_weighted, at=_at)
