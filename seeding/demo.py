"""The demo post BANDAR in the fictional Bandaria, for `manage.py seed_demo` (development only).

Bandaria is imaginary; it has the ISO 3166 user-assigned code XB (settings.COUNTRIES_OVERRIDE)
and the cable geographic tag BN. Everything is generated from a fixed seed, relative to the day it runs, so two runs
on the same day give the same office. Engagement rows are written in bulk with the ORM (the
services validate one user's input; here the data is ours and there are hundreds of rows).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from taggit.models import Tag, TaggedItem

from contacts.choices import CounterpartStatus, Service
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
from engagements.lifecycles import AGREEMENT_TRANSITIONS
from engagements.models import (
    ActionItem,
    Agreement,
    AgreementStatusChange,
    Exercise,
    ExercisePhaseChange,
    Meeting,
    MeetingParticipant,
)
from office import demo as office_demo
from office.models import Clearance, Gift
from reports.models import Cable
from tenancy.choices import Role, Weekday
from tenancy.markings import Channel, Marking
from tenancy.models import Membership, Post

from . import cables
from .demo_data import (
    CIVILIAN_TITLES,
    EDUCATION,
    FAMILY,
    GIVEN,
    GRADE_ORDER,
    LANGUAGES,
    LOCATIONS,
    ORG_SERVICE,
    ORGANIZATIONS,
    OUR_SCHOOLS,
    OUTCOMES,
    POSITIONS,
    RANK_TITLES,
    RESTRICTED_REMARKS,
    SPECIALS,
    TAG_POOL,
    TOPICS,
)

SEED = 20260619
BANDARIAN_COUNTERPARTS = 52  # plus the hand-placed SPECIALS
OVERDUE_CADENCES = 3  # key counterparts whose cadence the demo leaves overdue
DEMO_PASSWORD = "attache-demo-password-2026"
POST_CODE = "BANDAR"

# username, role, first name, last name
DEMO_USERS = [
    ("attache", Role.ATTACHE, "Dana", "Whitfield"),
    ("diplomat", Role.DIPLOMAT, "Marcus", "Oyelaran"),
    ("chief", Role.CHIEF, "Eleanor", "Hartley"),
    ("admin", Role.ADMIN, "Sam", "Kowalczyk"),
]


@dataclass
class SeedResult:
    post: Post
    created: bool
    users: list[str]


def seed() -> SeedResult:
    """Create (or complete) the demo post: content is written once; users, their password and the
    demo cables are put right on every run."""
    with transaction.atomic():
        post, _ = Post.objects.get_or_create(
            code=POST_CODE,
            defaults=dict(
                name="Embassy Bandar — Defense Attaché Office",
                host_country="XB",  # XB: Bandaria, see COUNTRIES_OVERRIDE
                cable_country_tag="BN",
                timezone="Asia/Dubai",
                cable_from="AMEMBASSY BANDAR",
                cable_to="SECSTATE WASHDC",
                cable_info="SECDEF WASHDC\nDIA WASHDC",
                default_tags="MARR, PREL",
                signature="HARTLEY",
                weekly_cutoff_weekday=Weekday.FRIDAY,
                weekly_cutoff_time=dt.time(15, 0),
            ),
        )
        users = _users(post)
        created = not Counterpart.objects.filter(post=post).exists()
        if created:
            _Builder(post, users).build()
        # Before the cables: the weekly summaries speak of the clearances.
        office_demo.seed(post, users[Role.ATTACHE])
        # Idempotent on its side; run every time so a database seeded before the cables existed
        # gets them too.
        cables.seed_cables(post)
    return SeedResult(post=post, created=created, users=[u.username for u in users.values()])


def _users(post: Post) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, role, first, last in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@bandar.example.org"
        user.is_active = True
        # The Django admin is for operators: no demo account gets in (the admin role uses /accounts/people/).
        user.is_staff = user.is_superuser = False
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, post=post, defaults={"role": role})
        users[role] = user
    return users


class _Builder:
    """Writes the demo content of one post; every random choice comes from one seeded generator."""

    def __init__(self, post: Post, users: dict):
        self.post, self.users = post, users
        self.rng = random.Random(SEED)
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.today = timezone.localdate(timezone=post.tzinfo)
        self.attache, self.chief, self.diplomat = (
            users[Role.ATTACHE],
            users[Role.CHIEF],
            users[Role.DIPLOMAT],
        )

    def build(self) -> None:
        self.organizations = self._organizations()
        self.counterparts, self.careers = self._counterparts()
        self.agreements = self._agreements()
        self.exercises = self._exercises()
        self.meetings = self._meetings()
        last_contact.refresh(Counterpart.objects.filter(post=self.post).values_list("pk", flat=True))
        meeting_weeks.refresh_posts([self.post])
        self._follow_ups()
        self._cadences()

    # ------------------------------------------------------------ organizations

    def _organizations(self) -> dict[str, Organization]:
        organizations: dict[str, Organization] = {}
        for acronym, name, kind, parent, channel in ORGANIZATIONS:
            organizations[acronym] = Organization.objects.create(
                post=self.post,
                created_by=self.attache,
                name=name,
                acronym=acronym,
                kind=kind,
                parent=organizations.get(parent),
                country="XB",
                channel=channel,
                marking=Marking.SBU if channel == Channel.ATTACHE else Marking.U,
            )
        return organizations

    # ------------------------------------------------------------ counterparts

    def _counterparts(self):
        """The hand-placed SPECIALS, then Bandarians in shuffled seats; careers are written alongside."""
        rows = [self._special(special) for special in SPECIALS]
        seats = [(org, position, grade) for org, positions in POSITIONS.items() for position, grade in positions]
        self.rng.shuffle(seats)
        used_names: set[tuple[str, str]] = set()
        rows += [self._bandarian(*seat, used_names) for seat in seats[:BANDARIAN_COUNTERPARTS]]

        objects = [counterpart for counterpart, _, _ in rows]
        for counterpart in objects:
            counterpart.refresh_derived_fields()  # bulk_create does not call save()
        bulk_create_with_history(objects, Counterpart, default_user=self.attache)
        self._tag(rows)
        careers: dict[int, list[Appointment]] = {}
        for counterpart, _, steps in rows:
            careers[counterpart.pk] = [Appointment(counterpart=counterpart, **step) for step in steps]
        Appointment.objects.bulk_create([a for career in careers.values() for a in career])
        return objects, careers

    def _special(self, special) -> tuple[Counterpart, list[str], list[dict]]:
        counterpart = Counterpart(
            post=self.post,
            created_by=self.attache,
            owner=self.attache,
            family_name=special.family_name,
            given_names=special.given_names,
            native_name=special.native_name,
            aliases=special.aliases,
            country=special.country,
            service=special.service,
            rank_title=special.rank_title,
            nato_grade=special.nato_grade,
            position=special.position,
            organization=self.organizations.get(special.org) if special.org else None,
            channel=special.channel,
            marking=special.marking,
            restricted_notes=special.restricted_notes,
            education=special.education,
            languages=special.languages or "Arabic, English",
            biography=special.biography,
            protocol_notes=special.protocol_notes,
            last_verified_on=self.today - dt.timedelta(days=self.rng.randint(5, 200)),
        )
        return counterpart, special.tags, self._career(counterpart)

    def _bandarian(self, org_acronym, position, grade, used_names) -> tuple[Counterpart, list[str], list[dict]]:
        rng = self.rng
        while True:  # one person per name pair, so that search results read clearly
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            if (given[0], family[0]) not in used_names:
                used_names.add((given[0], family[0]))
                break
        service = ORG_SERVICE[org_acronym] if grade != "CIV" else Service.CIVILIAN
        if service == Service.JOINT:
            service = rng.choice([Service.ARMY, Service.ARMY, Service.AIR_FORCE, Service.NAVY])
        channel = Channel.ATTACHE if rng.random() < 0.08 else Channel.POST
        counterpart = Counterpart(
            post=self.post,
            created_by=self.attache,
            owner=self.attache if rng.random() < 0.85 else self.chief,
            family_name=family[0],
            given_names=given[0],
            native_name=f"{given[1]} {family[1]}",
            aliases=", ".join(a for a in [given[2] and f"{given[2]} {family[0]}", family[2]] if a),
            country="XB",
            service=service,
            rank_title=self._rank_title(grade, service),
            nato_grade=grade,
            position=position,
            organization=self.organizations[org_acronym],
            channel=channel,
            marking=Marking.SBU if channel == Channel.ATTACHE or rng.random() < 0.1 else Marking.U,
            status=rng.choices(
                [
                    CounterpartStatus.ACTIVE,
                    CounterpartStatus.REASSIGNED,
                    CounterpartStatus.RETIRED,
                ],
                weights=[44, 4, 2],
            )[0],
            languages=rng.choice(LANGUAGES),
            education=rng.choice(EDUCATION),
            email=f"{given[0].lower()}.{family[0].lower().replace('al-', '')}@mod.bn.example",
            phone=f"+000 {rng.randint(200, 899)} {rng.randint(1000, 9999)}",
            last_verified_on=(self.today - dt.timedelta(days=rng.randint(3, 500))) if rng.random() < 0.8 else None,
            restricted_notes=rng.choice(RESTRICTED_REMARKS),
        )
        tags = rng.sample(TAG_POOL, k=rng.randint(0, 2))
        if any(school in counterpart.education for school in OUR_SCHOOLS):
            tags = sorted(set(tags) | {"alumni"})  # alumni of our own schools matter to an attaché
        return counterpart, tags, self._career(counterpart)

    def _rank_title(self, grade: str, service: str) -> str:
        if grade == "CIV":
            return self.rng.choice(CIVILIAN_TITLES)
        title = RANK_TITLES.get(grade, "")
        return f"{title} Bahri" if service == Service.NAVY and grade.startswith("OF") else title

    def _career(self, counterpart: Counterpart) -> list[dict]:
        """Up to three earlier appointments (a grade lower, elsewhere), then the current one."""
        rng = self.rng
        start = self.today - dt.timedelta(days=rng.randint(60, 900))
        steps = [
            dict(
                organization=counterpart.organization,
                position=counterpart.position,
                rank_title=counterpart.rank_title,
                nato_grade=counterpart.nato_grade,
                start_on=start,
                end_on=None,
            )
        ]
        if counterpart.country != self.post.host_country:
            return steps  # foreign attachés: only their present posting is known here
        grade = counterpart.nato_grade
        for _ in range(rng.randint(0, 2)):
            end = start
            start = end - dt.timedelta(days=rng.randint(400, 1100))
            if grade in GRADE_ORDER and GRADE_ORDER.index(grade) > 0 and rng.random() < 0.7:
                grade = GRADE_ORDER[GRADE_ORDER.index(grade) - 1]
            org_acronym = rng.choice(list(POSITIONS))
            position = rng.choice(POSITIONS[org_acronym])[0]
            steps.append(
                dict(
                    organization=self.organizations[org_acronym],
                    position=position,
                    rank_title=self._rank_title(grade, counterpart.service),
                    nato_grade=grade,
                    start_on=start,
                    end_on=end,
                )
            )
        return steps

    def _tag(self, rows) -> None:
        names = sorted({tag for _, tags, _ in rows for tag in tags})
        tags = {}
        for name in names:
            tags[name], _ = Tag.objects.get_or_create(name=name, defaults={"slug": name})
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(Counterpart)
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(tag=tags[name], content_type=content_type, object_id=counterpart.pk)
                for counterpart, names_, _ in rows
                for name in names_
            ]
        )

    def _appointment_at(self, counterpart: Counterpart, day: dt.date) -> Appointment | None:
        for appointment in self.careers[counterpart.pk]:
            if appointment.start_on <= day and (appointment.end_on is None or day < appointment.end_on):
                return appointment
        return None

    # ------------------------------------------------------------ agreements and exercises

    def _agreements(self) -> list[Agreement]:
        plans = [
            (
                "Acquisition and Cross-Servicing Agreement",
                AgreementKind.ACSA,
                AgreementStatus.IN_FORCE,
                ["MOD", "GS"],
            ),
            (
                "Status of Forces Agreement (renewal)",
                AgreementKind.SOFA,
                AgreementStatus.NEGOTIATING,
                ["MOD"],
            ),
            (
                "MOU on Officer Exchange at Staff Colleges",
                AgreementKind.MOU,
                AgreementStatus.SIGNED,
                ["NDC", "DDC"],
            ),
            (
                "Technical Arrangement on Maritime Domain Awareness",
                AgreementKind.TECHNICAL,
                AgreementStatus.TEXT_AGREED,
                ["RBN", "CDC"],
            ),
            (
                "LOA for Air Defence Radar Sustainment",
                AgreementKind.LOA,
                AgreementStatus.PROPOSED,
                ["BAF", "ADC"],
            ),
            (
                "MOU on Humanitarian Assistance Cooperation",
                AgreementKind.MOU,
                AgreementStatus.EXPIRED,
                ["MOD"],
            ),
            (
                "Implementing Arrangement on Fuel Exchange",
                AgreementKind.ACSA,
                AgreementStatus.SUPERSEDED,
                ["GS"],
            ),
            (
                "Technical Arrangement on Range Access",
                AgreementKind.TECHNICAL,
                AgreementStatus.ABANDONED,
                ["BLF"],
            ),
            (
                "MOU on Military Medical Cooperation",
                AgreementKind.MOU,
                AgreementStatus.NEGOTIATING,
                ["MOD", "GS"],
            ),
            (
                "Letter of Intent on Cyber Defence Training",
                AgreementKind.OTHER,
                AgreementStatus.PROPOSED,
                ["DDC"],
            ),
        ]
        agreements, changes = [], []
        for i, (title, kind, status, parties) in enumerate(plans):
            path = _agreement_path(status)
            first_day = self.today - dt.timedelta(days=self.rng.randint(250, 700))
            days = sorted(self.rng.sample(range(0, (self.today - first_day).days), len(path)))
            agreement = Agreement.objects.create(
                post=self.post,
                created_by=self.attache,
                title=title,
                kind=kind,
                status=status,
                marking=Marking.SBU if i % 4 == 1 else Marking.U,
                channel=Channel.ATTACHE if i == 8 else Channel.POST,
                summary=f"{title} between the United States and Bandaria.",
            )
            agreement.parties.set([self.organizations[p] for p in parties])
            previous = ""
            for step, offset in zip(path, days, strict=True):
                on = first_day + dt.timedelta(days=offset)
                changes.append(
                    AgreementStatusChange(
                        agreement=agreement,
                        from_status=previous,
                        to_status=step,
                        changed_on=on,
                        changed_by=self.attache,
                    )
                )
                if step == AgreementStatus.SIGNED:
                    agreement.signed_on = on
                if step == AgreementStatus.IN_FORCE:
                    agreement.effective_on = on
                    agreement.expires_on = on + dt.timedelta(days=5 * 365)
                    agreement.review_on = on + dt.timedelta(days=365)
                previous = step
            agreement.save(update_fields=["signed_on", "effective_on", "expires_on", "review_on"])
            agreements.append(agreement)
        AgreementStatusChange.objects.bulk_create(changes)
        return agreements

    def _exercises(self) -> list[Exercise]:
        plans = [
            (
                "DESERT FALCON 26",
                ExerciseKind.BILATERAL,
                ExercisePhase.MPC,
                120,
                "Al-Sahra training area",
            ),
            (
                "SEA BREEZE 26",
                ExerciseKind.MULTILATERAL,
                ExercisePhase.IPC,
                220,
                "Ras Qasr and the northern approaches",
            ),
            (
                "EAGLE RESOLVE 25",
                ExerciseKind.COMMAND_POST,
                ExercisePhase.AFTER_ACTION,
                -40,
                "General Staff HQ",
            ),
            (
                "IRON SAND 25",
                ExerciseKind.FIELD,
                ExercisePhase.CLOSED,
                -200,
                "Northern Military District",
            ),
            (
                "CORAL SHIELD 26",
                ExerciseKind.MULTILATERAL,
                ExercisePhase.CONCEPT,
                330,
                "Bandar",
            ),
            (
                "NORTHERN STAR 26",
                ExerciseKind.BILATERAL,
                ExercisePhase.CANCELLED,
                60,
                "Northern Military District",
            ),
            (
                "STEEL LANCE 26",
                ExerciseKind.FIELD,
                ExercisePhase.EXECUTION,
                -3,
                "Al-Sahra training area",
            ),
        ]
        order = [
            ExercisePhase.CONCEPT,
            ExercisePhase.IPC,
            ExercisePhase.MPC,
            ExercisePhase.FPC,
            ExercisePhase.EXECUTION,
            ExercisePhase.AFTER_ACTION,
            ExercisePhase.CLOSED,
        ]
        bandarians = [c for c in self.counterparts if c.country == "XB" and c.channel == Channel.POST]
        exercises, changes = [], []
        for name, kind, phase, start_in, location in plans:
            starts_on = self.today + dt.timedelta(days=start_in)
            exercise = Exercise.objects.create(
                post=self.post,
                created_by=self.attache,
                name=name,
                kind=kind,
                host_country="XB",
                participating_countries=["US", "XB"] + (["GB", "FR"] if kind == ExerciseKind.MULTILATERAL else []),
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=self.rng.randint(5, 14)),
                location=location,
                phase=phase,
                summary=f"{kind.label} exercise with the Bandarian Armed Forces.",
                ipc_on=starts_on - dt.timedelta(days=180),
                mpc_on=starts_on - dt.timedelta(days=90),
                fpc_on=starts_on - dt.timedelta(days=30),
            )
            exercise.counterparts.set(self.rng.sample(bandarians, k=4))
            steps = (
                order[: order.index(phase) + 1] if phase in order else [ExercisePhase.CONCEPT, ExercisePhase.IPC, phase]
            )
            previous = ""
            for n, step in enumerate(steps):
                on = min(
                    self.today,
                    starts_on - dt.timedelta(days=240) + dt.timedelta(days=n * 60),
                )
                changes.append(
                    ExercisePhaseChange(
                        exercise=exercise,
                        from_phase=previous,
                        to_phase=step,
                        changed_on=on,
                        changed_by=self.attache,
                    )
                )
                previous = step
            exercises.append(exercise)
        ExercisePhaseChange.objects.bulk_create(changes)
        return exercises

    # ------------------------------------------------------------ meetings

    def _meetings(self) -> list[Meeting]:
        rng = self.rng
        regulars = [c for c in self.counterparts if c.status == CounterpartStatus.ACTIVE]
        frequent = regulars[:14]  # the specials and the first seats: met far more often
        kinds = [MeetingKind.OFFICE_CALL] * 5 + [
            MeetingKind.KEY_LEADER,
            MeetingKind.WORKING_GROUP,
            MeetingKind.WORKING_GROUP,
            MeetingKind.SOCIAL,
            MeetingKind.PHONE_VTC,
            MeetingKind.CONFERENCE,
        ]
        plans = []
        for i in range(300):
            future = i < 18
            if future:
                starts = self.now + dt.timedelta(days=rng.randint(1, 28), hours=rng.randint(0, 6))
            else:
                starts = self.now - dt.timedelta(days=rng.randint(1, 365), hours=rng.randint(0, 8))
            starts = starts.replace(minute=rng.choice([0, 15, 30, 45]))
            count = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
            people = []
            while len(people) < count:
                candidate = rng.choice(frequent) if rng.random() < 0.6 else rng.choice(regulars)
                if candidate not in people:
                    people.append(candidate)
            kind = rng.choice(kinds)
            topic = rng.choice(TOPICS)
            lead = people[0]
            channel = Channel.POST
            roll = rng.random()
            if lead.channel == Channel.RESTRICTED or roll < 0.03:
                channel = Channel.RESTRICTED
            elif lead.channel == Channel.ATTACHE or roll < 0.18:
                channel = Channel.ATTACHE
            if future:
                status = MeetingStatus.PLANNED
            else:
                status = rng.choices(
                    [
                        MeetingStatus.CONDUCTED,
                        MeetingStatus.CANCELLED,
                        MeetingStatus.POSTPONED,
                    ],
                    weights=[92, 5, 3],
                )[0]
            conducted = status == MeetingStatus.CONDUCTED
            meeting = Meeting(
                post=self.post,
                created_by=self.attache,
                title=f"{kind.label}: {lead.rank_title} {lead.family_name} on {topic}".replace("  ", " "),
                kind=kind,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=rng.choice([30, 45, 60, 90, 120])),
                location=rng.choice(LOCATIONS) if kind != MeetingKind.PHONE_VTC else "Phone",
                objectives=f"Discuss {topic}.",
                summary=(
                    f"Discussed {topic}. {lead.display_name} described the host-nation position and asked for our timelines."
                    if conducted
                    else ""
                ),
                outcome=rng.choice(OUTCOMES) if conducted else "",
                restricted_notes=(
                    "Spoke frankly about friction with the ministry; not for wider distribution."
                    if conducted and (channel != Channel.POST and rng.random() < 0.5)
                    else ""
                ),
                include_in_weekly=rng.random() < 0.8,
                status=status,
                channel=channel,
                marking=Marking.SBU_NF
                if channel == Channel.RESTRICTED
                else (Marking.SBU if channel == Channel.ATTACHE or rng.random() < 0.12 else Marking.U),
            )
            plans.append((meeting, people, topic))
        meetings = [plan[0] for plan in plans]
        bulk_create_with_history(meetings, Meeting, default_user=self.attache)

        participants, attendees, agreement_links, exercise_links = [], [], [], []
        Attendee = Meeting.attendees.through
        AgreementLink, ExerciseLink = (
            Meeting.agreements.through,
            Meeting.exercises.through,
        )
        for meeting, people, topic in plans:
            day = timezone.localtime(meeting.starts_at, self.post.tzinfo).date()
            for person in people:
                held = self._appointment_at(person, day)
                participants.append(
                    MeetingParticipant(
                        meeting=meeting,
                        counterpart=person,
                        position_at_time=held.position if held else person.position,
                        rank_title_at_time=held.rank_title if held else person.rank_title,
                        nato_grade_at_time=held.nato_grade if held else person.nato_grade,
                    )
                )
            attendees.append(Attendee(meeting_id=meeting.pk, user_id=self.attache.pk))
            if meeting.kind == MeetingKind.KEY_LEADER:
                attendees.append(Attendee(meeting_id=meeting.pk, user_id=self.chief.pk))
            elif meeting.channel == Channel.POST and rng.random() < 0.15:
                attendees.append(Attendee(meeting_id=meeting.pk, user_id=self.diplomat.pk))
            if "agreement" in topic or rng.random() < 0.12:
                agreement_links.append(
                    AgreementLink(
                        meeting_id=meeting.pk,
                        agreement_id=rng.choice(self.agreements).pk,
                    )
                )
            if "exercise" in topic or rng.random() < 0.1:
                exercise_links.append(ExerciseLink(meeting_id=meeting.pk, exercise_id=rng.choice(self.exercises).pk))
        MeetingParticipant.objects.bulk_create(participants)
        Attendee.objects.bulk_create(attendees)
        AgreementLink.objects.bulk_create(agreement_links, ignore_conflicts=True)
        ExerciseLink.objects.bulk_create(exercise_links, ignore_conflicts=True)
        return meetings

    # ------------------------------------------------------------ follow-ups

    def _follow_ups(self) -> None:
        rng = self.rng
        tasks = [
            "Send the draft agenda", "Share the exercise concept brief", "Confirm dates with the J5 staff",
            "Request the host-nation position in writing", "Prepare read-ahead for the chief", "Book the conference room",
            "Send the course catalogue for staff colleges", "Follow up on the port visit clearance",
            "Draft the contact report", "Return the signed minutes",
        ]  # fmt: skip
        items = []
        for meeting in self.meetings:
            if meeting.status != MeetingStatus.CONDUCTED or rng.random() > 0.45:
                continue
            for _ in range(rng.randint(1, 2)):
                meeting_day = timezone.localtime(meeting.starts_at, self.post.tzinfo).date()
                due_on = meeting_day + dt.timedelta(days=rng.randint(5, 30))
                status = ActionStatus.OPEN
                completed_at = None
                if due_on < self.today and rng.random() < 0.8:
                    status = rng.choices([ActionStatus.DONE, ActionStatus.DROPPED], weights=[9, 1])[0]
                    completed_at = meeting.starts_at + dt.timedelta(days=rng.randint(2, 25))
                assignee = rng.choices([self.attache, self.diplomat, self.chief], weights=[8, 2, 1])[0]
                items.append(
                    ActionItem(
                        post=self.post,
                        created_by=self.attache,
                        description=rng.choice(tasks),
                        assignee=assignee,
                        due_on=due_on,
                        status=status,
                        completed_at=completed_at,
                        meeting=meeting,
                        channel=meeting.channel if meeting.channel != Channel.RESTRICTED else Channel.ATTACHE,
                        marking=meeting.marking if meeting.marking != Marking.SBU_NF else Marking.SBU,
                    )
                )
        for agreement in self.agreements[:4]:
            items.append(
                ActionItem(
                    post=self.post, created_by=self.attache, description=f"Circulate the latest text of the {agreement.title}",
                    assignee=self.attache, due_on=self.today + dt.timedelta(days=rng.randint(-10, 20)), agreement=agreement,
                    channel=agreement.channel, marking=agreement.marking,
                )
            )  # fmt: skip
        for exercise in self.exercises[:3]:
            items.append(
                ActionItem(
                    post=self.post, created_by=self.attache, description=f"Nominate planners for {exercise.name}",
                    assignee=self.attache, due_on=self.today + dt.timedelta(days=rng.randint(-5, 30)), exercise=exercise,
                    channel=exercise.channel, marking=exercise.marking,
                )
            )  # fmt: skip
        bulk_create_with_history(items, ActionItem, default_user=self.attache)

    # ------------------------------------------------------------ stay-in-touch cadences

    def _cadences(self) -> None:
        """Cadences on the key counterparts (the hand-placed ones and the first seats): the first
        OVERDUE_CADENCES met long enough ago get a cadence a few days shorter than the time since,
        so the dashboard opens with some overdue; the others get a quarter or a month."""
        key = [c for c in self.counterparts[: len(SPECIALS) + 6] if c.status == CounterpartStatus.ACTIVE]
        last = {
            row["counterpart_id"]: timezone.localtime(row["last"], self.post.tzinfo).date()
            for row in MeetingParticipant.objects.filter(counterpart__in=key, meeting__status=MeetingStatus.CONDUCTED)
            .values("counterpart_id")
            .annotate(last=Max("meeting__starts_at"))
            .order_by()
        }
        overdue = 0
        for index, counterpart in enumerate(key):
            since = (self.today - last[counterpart.pk]).days if counterpart.pk in last else None
            if since is not None and since >= 12 and overdue < OVERDUE_CADENCES:
                every, overdue = since - 5, overdue + 1
            else:
                every = 30 if index % 2 else 90
            Counterpart.objects.filter(pk=counterpart.pk).update(contact_every_days=min(max(every, 7), 730))


def _agreement_path(status: str) -> list[str]:
    """The statuses an agreement went through to reach `status`, following AGREEMENT_TRANSITIONS."""
    forward = [
        AgreementStatus.PROPOSED,
        AgreementStatus.NEGOTIATING,
        AgreementStatus.TEXT_AGREED,
        AgreementStatus.SIGNED,
        AgreementStatus.IN_FORCE,
    ]
    if status in forward:
        path = forward[: forward.index(status) + 1]
    elif status == AgreementStatus.ABANDONED:
        path = forward[:2] + [status]
    else:  # expired, terminated, superseded: after entry into force
        path = forward + [status]
    for before, after in zip(path, path[1:], strict=False):
        if after not in AGREEMENT_TRANSITIONS[before]:
            raise ValueError(f"The demo agreement lifecycle {before} -> {after} is not allowed.")
    return path


def counts(post: Post) -> dict[str, int]:
    """Rows of each kind at the post (what `seed_demo` reports, and what tests compare)."""
    return {
        "organizations": Organization.objects.filter(post=post).count(),
        "counterparts": Counterpart.objects.filter(post=post).count(),
        "appointments": Appointment.objects.filter(counterpart__post=post).count(),
        "meetings": Meeting.objects.filter(post=post).count(),
        "participants": MeetingParticipant.objects.filter(meeting__post=post).count(),
        "agreements": Agreement.objects.filter(post=post).count(),
        "exercises": Exercise.objects.filter(post=post).count(),
        "follow-ups": ActionItem.objects.filter(post=post).count(),
        "cables": Cable.objects.filter(post=post).count(),
        "clearances": Clearance.objects.filter(post=post).count(),
        "gifts": Gift.objects.filter(post=post).count(),
        "users": Membership.objects.filter(post=post).count(),
    }
