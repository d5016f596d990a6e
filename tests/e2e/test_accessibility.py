"""axe-core (the engine most accessibility audits use) on every main page of each content role:
no WCAG 2.1 A/AA violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    ActionItemFactory,
    AgreementFactory,
    CounterpartFactory,
    ExerciseFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    PostFactory,
    UserFactory,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _world():
    post = PostFactory(code="BANDAR", host_country="BN", cable_country_tag="BN", timezone="Asia/Dubai")
    users = {}
    for role in (Role.ATTACHE, Role.DIPLOMAT, Role.CHIEF):
        users[role] = UserFactory(username=str(role))
        MembershipFactory(user=users[role], post=post, role=role)
    attache = users[Role.ATTACHE]
    counterpart = CounterpartFactory(post=post, family_name="Haddad", rank_title="Colonel", owner=attache)
    meeting = MeetingFactory(post=post, created_by=attache, title="Office call")
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    ActionItemFactory(post=post, created_by=attache, assignee=users[Role.DIPLOMAT], meeting=meeting)
    agreement = AgreementFactory(post=post, created_by=attache)
    exercise = ExerciseFactory(post=post, created_by=attache)
    return users, [
        reverse("dashboard"), reverse("counterpart_list"), counterpart.get_absolute_url(), reverse("organization_list"),
        reverse("meeting_list"), meeting.get_absolute_url(), reverse("agreement_list"), agreement.get_absolute_url(),
        reverse("exercise_list"), exercise.get_absolute_url(), reverse("action_list"), reverse("cable_list"),
    ]  # fmt: skip


@pytest.mark.parametrize("role", [Role.ATTACHE, Role.DIPLOMAT, Role.CHIEF])
def test_main_pages_have_no_accessibility_violations(live_server, browser, role):
    users, pages = _world()
    if role == Role.ATTACHE:
        pages += [reverse("meeting_new"), reverse("counterpart_create"), reverse("meeting_quick")]
    if role == Role.CHIEF:
        pages += [reverse("audit_list")]
    axe = Axe()
    found = {}
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        login(page, live_server.url, str(role), PASSWORD)
        for path in pages:
            page.goto(f"{live_server.url}{path}")
            violations = axe.run(page, options=WCAG_AA).response["violations"]
            if violations:
                found[(width, path)] = sorted(f"{v['id']}: {v['nodes'][0]['target']}" for v in violations)
        context.close()
    assert found == {}
