"""Fixtures of the API tests: token-authenticated clients and a post full of planted records."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from apitokens.models import PersonalAccessToken
from tenancy.choices import Role
from tenancy.markings import Channel, Marking
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    AppointmentFactory,
    CableFactory,
    CableParagraphFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

CHANNELS = [Channel.POST, Channel.ATTACHE, Channel.RESTRICTED]


def issue_token(user, days: int = 30) -> str:
    _, text = PersonalAccessToken.issue(user=user, name="tests", expires_at=timezone.now() + dt.timedelta(days=days))
    return text


class ApiClient:
    """A Django test client speaking JSON with a bearer token (or a session, see `session_client`)."""

    def __init__(self, user=None, token: str | None = None, client: Client | None = None):
        self.user = user
        self.client = client or Client()
        self.headers = {}
        if token is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def _send(self, method, path, data=None, **extra):
        kwargs = {**self.headers, **extra}
        if data is not None:
            kwargs["data"] = json.dumps(data)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path, params=None, **extra):
        return self.client.get(path, params or {}, **{**self.headers, **extra})

    def post(self, path, data=None, **extra):
        return self._send("post", path, data if data is not None else {}, **extra)

    def put(self, path, data=None, **extra):
        return self._send("put", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._send("patch", path, data, **extra)

    def delete(self, path, **extra):
        return self._send("delete", path, **extra)


def api_for(user) -> ApiClient:
    return ApiClient(user, issue_token(user))


@pytest.fixture
def api():
    return api_for


@pytest.fixture
def world(post, other_post, attache, second_attache, diplomat, chief, post_admin, outsider):
    """Records of every kind in every channel at `post` (and some at `other_post`), each carrying
    a marker string in its text so a leak is visible in any response body.

    Restricted records belong to `second_attache`, so `attache` must not see them; `diplomat`
    is granted one restricted counterpart explicitly.
    """
    from guardian.shortcuts import assign_perm

    records = {}
    for channel in CHANNELS:
        owner = second_attache
        tag = f"{channel.upper()}MARK"
        org = OrganizationFactory(post=post, channel=channel, name=f"Org {tag}", created_by=owner)
        counterpart = CounterpartFactory(
            post=post, channel=channel, organization=org, owner=owner, created_by=owner,
            family_name=f"Cp{tag}", restricted_notes=f"RNOTE-CP-{tag}", marking=Marking.SBU,
        )  # fmt: skip
        AppointmentFactory(counterpart=counterpart, position=f"Position {tag}")
        meeting = MeetingFactory(
            post=post, channel=channel, created_by=owner, title=f"Meeting {tag}",
            restricted_notes=f"RNOTE-MTG-{tag}",
        )  # fmt: skip
        MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
        agreement = AgreementFactory(post=post, channel=channel, created_by=owner, title=f"Agreement {tag}")
        agreement.parties.add(org)
        exercise = ExerciseFactory(post=post, channel=channel, created_by=owner, name=f"Exercise {tag}")
        exercise.counterparts.add(counterpart)
        item = ActionItemFactory(
            post=post, channel=channel, created_by=owner, meeting=meeting, description=f"Follow-up {tag}",
            assignee=diplomat,
        )  # fmt: skip
        records[channel] = {
            "organizations": org,
            "counterparts": counterpart,
            "meetings": meeting,
            "agreements": agreement,
            "exercises": exercise,
            "action-items": item,
        }
    # Cables: a draft in the attaché channel, a released one in the post channel.
    draft = CableFactory(
        post=post,
        channel=Channel.ATTACHE,
        subject="DRAFT CABLEMARK",
        period_start=dt.date(2026, 6, 15),
    )
    CableParagraphFactory(cable=draft, text="Draft paragraph DRAFTPARAMARK", channel=Channel.ATTACHE)
    released = CableFactory(
        post=post, channel=Channel.POST, subject="RELEASED CABLEMARK", status="released",
        period_start=dt.date(2026, 6, 8), period_end=dt.date(2026, 6, 12), serial_year=2026, serial_number=1,
        released_text="RELEASED TEXT", released_at=timezone.now(),
    )  # fmt: skip
    CableParagraph_objects = released.paragraphs.model.objects
    CableParagraph_objects.bulk_create([released.paragraphs.model(cable=released, position=1, text="Released para")])
    records["cables"] = {"draft": draft, "released": released}

    # The diplomat is granted one restricted counterpart.
    granted = CounterpartFactory(
        post=post, channel=Channel.RESTRICTED, owner=second_attache, family_name="CpGRANTEDMARK",
        restricted_notes="RNOTE-CP-GRANTED",
    )  # fmt: skip
    assign_perm("contacts.view_counterpart", diplomat, granted)
    records["granted"] = granted

    # Another post's records: nobody at `post` sees them.
    records["other"] = {
        "counterparts": CounterpartFactory(post=other_post, family_name="CpOTHERPOSTMARK"),
        "meetings": MeetingFactory(post=other_post, title="Meeting OTHERPOSTMARK"),
    }
    return records


@pytest.fixture
def member_without_role(db):
    return UserFactory(username="norole")


@pytest.fixture
def multi_post_attache(post, other_post):
    user = UserFactory(username="multipost")
    MembershipFactory(user=user, post=post, role=Role.ATTACHE)
    MembershipFactory(user=user, post=other_post, role=Role.ATTACHE)
    return user
