"""An attaché's session ends while they write a meeting up: sending it leads through the notice and
the sign-in, and the meeting is saved with every word."""

import pytest
from django.contrib.sessions.models import Session

from engagements.models import Meeting
from tenancy.choices import Role
from tests.factories import PASSWORD, CounterpartFactory, MembershipFactory, PostFactory, UserFactory

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _end_every_session() -> None:
    """What the idle limit does, without waiting fifteen minutes: the server forgets the session."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(key).delete()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_session_that_ends_mid_write_loses_nothing(live_server, page, shots, width):
    page.set_viewport_size({"width": width, "height": 900})
    post = PostFactory(code="BANDAR", host_country="BN", cable_country_tag="BN", timezone="Asia/Dubai")
    attache = UserFactory(username="attache")
    MembershipFactory(user=attache, post=post, role=Role.ATTACHE)
    counterpart = CounterpartFactory(post=post, family_name="Haddad", given_names="Karim", rank_title="Colonel")
    base = live_server.url
    login(page, base, "attache", PASSWORD)
    page.goto(f"{base}{counterpart.get_absolute_url()}")
    words = "A long write-up of the staff talks — نقاش طويل — that must not be lost."
    page.get_by_label("What was said").fill(words)
    _end_every_session()
    page.get_by_role("button", name="Save meeting").click()

    page.locator("[data-consent-accept]").first.click()
    page.fill("input[name=username]", "attache")
    page.fill("input[name=password]", PASSWORD)
    shots(f"sign-in-again-{width}")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}{counterpart.get_absolute_url()}")
    shots(f"saved-{width}")
    assert "Meeting logged" in page.locator(".messages").inner_text()
    assert Meeting.objects.get().summary == words
