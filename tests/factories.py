"""factory_boy factories for every model."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from contacts.choices import NatoGrade, Service
from contacts.models import Appointment, Counterpart, Organization
from engagements import last_contact, meeting_weeks
from engagements.models import ActionItem, Agreement, Exercise, Meeting, MeetingParticipant
from office.models import Clearance, Gift
from reports.models import Cable, CableParagraph
from tenancy.choices import Role
from tenancy.markings import Channel, Marking
from tenancy.models import Membership, Post

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    # Hashed at build time: no post-generation hook, so no second save of every user.
    password = factory.django.Password(PASSWORD)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"POST{n}")
    name = factory.LazyAttribute(lambda p: f"Embassy {p.code.title()}")
    host_country = "DE"
    cable_country_tag = "GM"
    timezone = "Europe/Berlin"
    cable_from = factory.LazyAttribute(lambda p: f"AMEMBASSY {p.code}")
    cable_to = "SECSTATE WASHDC"
    cable_info = "SECDEF WASHDC\nDIA WASHDC"
    default_tags = "MARR, PREL"
    signature = "HARTLEY"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)
    role = Role.ATTACHE


class RecordFactory(factory.django.DjangoModelFactory):
    post = factory.SubFactory(PostFactory)
    created_by = None
    marking = Marking.U
    channel = Channel.POST


class OrganizationFactory(RecordFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Ministry of Defence {n}")
    acronym = factory.Sequence(lambda n: f"MOD{n}")
    country = "DE"


class CounterpartFactory(RecordFactory):
    class Meta:
        model = Counterpart

    family_name = factory.Sequence(lambda n: f"Arden{n}")
    given_names = "Tomas"
    country = "DE"
    service = Service.ARMY
    rank_title = "General"
    nato_grade = NatoGrade.OF9
    position = "Chief of Defence Staff"
    organization = factory.SubFactory(OrganizationFactory, post=factory.SelfAttribute("..post"))


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    counterpart = factory.SubFactory(CounterpartFactory)
    position = "Chief of Defence Staff"
    rank_title = "General"
    nato_grade = NatoGrade.OF9
    start_on = dt.date(2024, 1, 1)


class MeetingFactory(RecordFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Office call {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=1))
    status = "conducted"
    summary = "Discussed the exercise schedule."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        meeting = super()._create(model_class, *args, **kwargs)
        meeting_weeks.refresh(meeting.post, [meeting.starts_at])  # as the meeting services do
        return meeting


class MeetingParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    counterpart = factory.SubFactory(CounterpartFactory, post=factory.SelfAttribute("..meeting.post"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        participant = super()._create(model_class, *args, **kwargs)
        last_contact.refresh([participant.counterpart_id])  # as the meeting services do
        return participant


class AgreementFactory(RecordFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Technical arrangement {n}")
    kind = "technical"
    status = "negotiating"


class ClearanceFactory(RecordFactory):
    """A draft request; its submit-by day computed as the services do."""

    class Meta:
        model = Clearance

    kind = "overflight"
    mission = factory.Sequence(lambda n: f"REACH {n:03d}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=40))
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + dt.timedelta(days=2))
    submit_by = factory.LazyAttribute(lambda c: _submit_by(c.post, c.kind, c.starts_on))


def _submit_by(post, kind, starts_on):
    from office.leadtimes import submit_by

    return submit_by(post, kind, starts_on)


class GiftFactory(RecordFactory):
    """A gift received; its report terms computed as the services do."""

    class Meta:
        model = Gift

    direction = "received"
    official = "Brigadier General Example, Director of Plans"
    received_on = factory.LazyFunction(timezone.localdate)
    description = factory.Sequence(lambda n: f"Engraved dagger {n}")
    value_usd = 120
    value_basis = "Retail price of a comparable item"
    recipient = "The defense attaché"
    threshold_usd = factory.LazyAttribute(lambda g: _report_terms(g)[0])
    report_due_on = factory.LazyAttribute(lambda g: _report_terms(g)[1])


def _report_terms(gift):
    from decimal import Decimal

    from office.services import report_terms

    return report_terms(gift.direction, gift.received_on, Decimal(gift.value_usd))


class ExerciseFactory(RecordFactory):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"NORTHERN SHIELD {n}")
    host_country = "DE"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda e: e.starts_on + dt.timedelta(days=10))


class ActionItemFactory(RecordFactory):
    class Meta:
        model = ActionItem

    description = factory.Sequence(lambda n: f"Send the draft agenda {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class CableFactory(RecordFactory):
    class Meta:
        model = Cable

    kind = "weekly_summary"
    period_start = dt.date(2026, 6, 15)
    period_end = dt.date(2026, 6, 19)
    subject = "BANDARIA: DAO WEEKLY SUMMARY, 15-19 JUNE 2026"
    # As drafting does: the floor starts at the channel the cable was made in.
    channel_floor = factory.SelfAttribute("channel")


class CableParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CableParagraph

    cable = factory.SubFactory(CableFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "The week was quiet."
