"""axe-core (the engine most accessibility audits use) on every main page, for every role of a post
(the attaché, the diplomat, the chief and the post's administrator): no WCAG 2.1 A/AA violation,
whatever each page answers that role (its content, or the page that says it is not theirs)."""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenancy.choices import Role
from tests.factories import (
    PASSWORD,
    ActionItemFactory,
    AgreementFactory,
    AppointmentFactory,
    CableFactory,
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

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ROLES = [Role.ATTACHE, Role.DIPLOMAT, Role.CHIEF, Role.ADMIN]


def _world():
    post = PostFactory(code="BANDAR", host_country="BN", cable_country_tag="BN", timezone="Asia/Dubai")
    users = {}
    for role in ROLES:
        users[role] = UserFactory(username=str(role))
        MembershipFactory(user=users[role], post=post, role=role)
    attache = users[Role.ATTACHE]
    organization = OrganizationFactory(post=post, created_by=attache)
    counterpart = CounterpartFactory(
        post=post, family_name="Haddad", rank_title="Colonel", owner=attache, organization=organization
    )
    AppointmentFactory(counterpart=counterpart)
    meeting = MeetingFactory(post=post, created_by=attache, title="Office call")
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart, position_at_time="Director of Plans")
    ActionItemFactory(post=post, created_by=attache, assignee=users[Role.DIPLOMAT], meeting=meeting)
    agreement = AgreementFactory(post=post, created_by=attache)
    exercise = ExerciseFactory(post=post, created_by=attache, participating_countries=["FR", "DE"])
    exercise.counterparts.add(counterpart)
    clearance = ClearanceFactory(post=post, created_by=attache)
    gift = GiftFactory(post=post, created_by=attache)
    cable = CableFactory(post=post, created_by=attache)
    pages = [
        reverse("dashboard"),
        reverse("counterpart_list"), counterpart.get_absolute_url(), reverse("counterpart_create"),
        reverse("counterpart_edit", args=[counterpart.pk]),
        reverse("organization_list"), reverse("organization_detail", args=[organization.pk]),
        reverse("meeting_list"), meeting.get_absolute_url(), reverse("meeting_new"), reverse("meeting_quick"),
        reverse("agreement_list"), agreement.get_absolute_url(), reverse("agreement_new"),
        reverse("exercise_list"), exercise.get_absolute_url(), reverse("exercise_new"),
        reverse("exercise_edit", args=[exercise.pk]),
        reverse("action_list"),
        reverse("cable_list"), reverse("cable_detail", args=[cable.pk]), reverse("cable_edit", args=[cable.pk]),
        reverse("clearance_list"), reverse("clearance_detail", args=[clearance.pk]), reverse("clearance_new"),
        reverse("gift_list"), reverse("gift_detail", args=[gift.pk]), reverse("gift_new"),
        reverse("handover_pack"), reverse("audit_list"),
        reverse("people_list"), reverse("lockouts"),
    ]  # fmt: skip
    # The timeline's filter with an error beside a field, as a reader who mistyped a day sees it.
    pages.append(counterpart.get_absolute_url() + "?date_from=2026-02-30&kind=meeting")
    return users, pages


def _pass_second_factor(page, base_url, user, step_offset):
    """The administrator's role needs the second factor: type a code of a device made for them."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + step_offset * device.step  # one code per sign-in: a code is used once
    page.goto(f"{base_url}{reverse('otp_verify')}?next=/")
    page.fill("input[name=token]", f"{totp.token():0{device.digits}d}")
    page.press("input[name=token]", "Enter")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_accessibility_violations(live_server, browser, role):
    users, pages = _world()
    axe = Axe()
    found, statuses = {}, {}
    for sign_in, width in enumerate((1280, 390)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        if role == Role.ADMIN:
            page.goto(f"{live_server.url}/accounts/login/")
            consent = page.locator("[data-consent-accept]")
            if consent.count():
                consent.first.click()
            page.fill("input[name=username]", str(role))
            page.fill("input[name=password]", PASSWORD)
            page.press("input[name=password]", "Enter")
            page.wait_for_load_state()
            _pass_second_factor(page, live_server.url, users[role], sign_in)
        else:
            login(page, live_server.url, str(role), PASSWORD)
        for path in pages:
            response = page.goto(f"{live_server.url}{path}")
            statuses[path] = response.status
            violations = axe.run(page, options=WCAG_AA).response["violations"]
            if violations:
                found[(width, path)] = sorted(f"{v['id']}: {v['nodes'][0]['target']}" for v in violations)
        context.close()
    print(
        f"\naxe {role}: {len(pages)} pages x 2 widths, statuses {sorted(statuses.items(), key=lambda kv: kv[1])[-6:]}, violations {len(found)}"
    )
    assert found == {}
    # Each role reaches at least its dashboard and its own lists: the run checked pages, not sign-in.
    assert statuses[reverse("dashboard")] == 200
