"""A form sent after the session ended is kept through the notice and sign-in, then sent again."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attache_crm.unsent import UNSENT
from engagements.models import Meeting
from tests.engagements.test_meeting_views import log_url, meeting_data
from tests.factories import PASSWORD, CounterpartFactory

from .helpers import consented_client, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def counterpart(post):
    return CounterpartFactory(post=post, family_name="Haddad")


def _expired_write(client, counterpart, **data):
    """Open the form, go idle past the limit, then send it."""
    return client.post(log_url(counterpart), meeting_data(**data))


def test_a_write_up_sent_after_the_idle_limit_is_saved_after_signing_in_again(attache, counterpart):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = consented_client()
        sign_in(client, "attache")
        client.get(log_url(counterpart))
        clock.shift(timedelta(minutes=16))
        sent = _expired_write(client, counterpart, title="Long write-up", summary="Every word — كل كلمة")
        assert sent.status_code == 302 and sent["Location"].startswith(reverse("login"))
        assert not Meeting.objects.exists()
        # The notice comes back first (consent is per session), then the sign-in form.
        assert "consent" in client.get(sent["Location"]).content.decode().lower()
        client.post(reverse("consent"), {"next": log_url(counterpart)})
        signed_in = client.post(
            f"{reverse('login')}?next={log_url(counterpart)}", {"username": "attache", "password": PASSWORD}
        )
        # Django's login sends the user back to the form's address; the form is sent again there.
        replayed = client.get(signed_in["Location"])
    assert replayed.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.title, meeting.summary, meeting.created_by) == ("Long write-up", "Every word — كل كلمة", attache)


def test_a_kept_form_with_errors_comes_back_in_its_form(attache, counterpart):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = consented_client()
        sign_in(client, "attache")
        clock.shift(timedelta(minutes=16))
        _expired_write(client, counterpart, title="", summary="Kept even though the title is missing")
        client.post(reverse("consent"))
        sign_in(client, "attache")
        page = client.get(log_url(counterpart))
    assert page.status_code == 400 and not Meeting.objects.exists()
    assert "Kept even though the title is missing" in page.content.decode()


def test_a_kept_form_is_not_sent_for_someone_else(attache, second_attache, counterpart):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = consented_client()
        sign_in(client, "attache")
        clock.shift(timedelta(minutes=16))
        _expired_write(client, counterpart, title="Attaché one's notes")
        client.post(reverse("consent"))
        sign_in(client, "attache2")
        page = client.get(log_url(counterpart))
    assert page.status_code == 200 and "Attaché one&#x27;s notes" not in page.content.decode()
    assert not Meeting.objects.exists()


def test_a_forged_cross_site_post_is_refused_and_never_kept(attache, counterpart):
    client = Client(enforce_csrf_checks=True)
    response = client.post(log_url(counterpart), meeting_data(title="Forged"))
    assert response.status_code == 403
    assert UNSENT not in client.session and not Meeting.objects.exists()


def test_stay_signed_in_starts_the_idle_clock_again_and_the_limit_stays(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = consented_client()
        sign_in(client, "attache")
        page = client.get("/").content.decode()
        assert 'data-idle-limit="900"' in page and "Stay signed in" in page
        clock.shift(timedelta(minutes=14))
        assert client.post(reverse("session_keepalive")).json() == {"idle_limit_seconds": 900}
        clock.shift(timedelta(minutes=14))  # 28 minutes after the page, 14 after "stay signed in"
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=15, seconds=5))
        assert client.get("/").status_code == 302


def test_stay_signed_in_cannot_revive_an_ended_session(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = consented_client()
        sign_in(client, "attache")
        clock.shift(timedelta(minutes=16))
        assert client.post(reverse("session_keepalive")).status_code == 401
        assert client.get("/").status_code == 302
