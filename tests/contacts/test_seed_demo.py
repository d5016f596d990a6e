"""manage.py seed_demo: idempotent, deterministic, quick, and every demo user can sign in."""

import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from contacts.models import Appointment, Counterpart
from engagements.models import (
    ActionItem,
    Agreement,
    Exercise,
    Meeting,
    MeetingParticipant,
)
from seeding import demo
from tenancy.markings import Channel
from tenancy.models import Post

pytestmark = pytest.mark.django_db


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_is_idempotent_and_quick():
    started = time.monotonic()
    first_output = _seed()
    elapsed = time.monotonic() - started
    post = Post.objects.get(code="BANDAR")
    first = demo.counts(post)
    second_output = _seed()
    assert demo.counts(post) == first
    assert Post.objects.count() == 1
    assert elapsed < 20
    for output in (first_output, second_output):
        assert demo.DEMO_PASSWORD in output and "attache" in output and "diplomat" in output


def test_if_empty_does_nothing_when_a_post_exists(other_post):
    assert "not loaded" in _seed("--if-empty")
    assert not Post.objects.filter(code="BANDAR").exists()
    assert not Counterpart.objects.exists()


def test_demo_post_settings():
    _seed()
    post = Post.objects.get(code="BANDAR")
    assert (post.host_country, post.cable_country_tag, post.timezone) == ("XB", "BN", "Asia/Dubai")
    assert post.cable_from == "AMEMBASSY BANDAR" and post.cable_info_lines == ["SECDEF WASHDC", "DIA WASHDC"]
    assert post.default_tag_list == ["MARR", "PREL"] and post.signature == "HARTLEY"
    assert (post.weekly_cutoff_weekday, post.weekly_cutoff_time.strftime("%H:%M")) == (4, "15:00")


def test_demo_content_has_what_the_journeys_need():
    _seed()
    counts = demo.counts(Post.objects.get(code="BANDAR"))
    assert 55 <= counts["counterparts"] <= 70 and 10 <= counts["organizations"] <= 15
    assert counts["meetings"] == 300 and counts["participants"] >= 300
    muhammad = Counterpart.objects.get(family_name="Al-Mansouri")
    assert "Mohamed" in muhammad.aliases and muhammad.native_name == "محمد المنصوري"
    assert Counterpart.objects.filter(family_name="Chaykovskiy", native_name__contains="Чайковский").exists()
    assert Counterpart.objects.filter(given_names="José", family_name__startswith="García").exists()
    assert Counterpart.objects.filter(native_name="王建国").exists()
    assert Appointment.objects.filter(end_on__isnull=False).exists()
    assert Appointment.objects.filter(end_on__isnull=True).count() == counts["counterparts"]
    assert Meeting.objects.filter(channel=Channel.ATTACHE).exists()
    assert Meeting.objects.filter(channel=Channel.RESTRICTED).exists()
    assert Meeting.objects.exclude(restricted_notes="").exists()
    assert (
        Meeting.objects.filter(include_in_weekly=True).exists()
        and Meeting.objects.filter(include_in_weekly=False).exists()
    )
    assert Meeting.objects.filter(status="planned").exists()
    assert MeetingParticipant.objects.exclude(position_at_time="").count() == MeetingParticipant.objects.count()
    assert Agreement.objects.values("status").distinct().count() >= 6
    assert all(a.status_changes.first().to_status == a.status for a in Agreement.objects.all())
    assert Exercise.objects.values("phase").distinct().count() >= 5
    from django.utils import timezone

    assert ActionItem.objects.filter(status="open", due_on__lt=timezone.localdate()).exists()  # some overdue


def test_seed_is_deterministic():
    _seed()
    titles = list(Meeting.objects.order_by("starts_at", "id").values_list("title", flat=True)[:20])
    names = list(Counterpart.objects.order_by("id").values_list("family_name", "given_names", "position"))
    # Wipe content and load again: the same choices come out of the same seed.
    ActionItem.objects.all().delete()
    Meeting.objects.all().delete()
    Exercise.objects.all().delete()
    Agreement.objects.all().delete()
    Counterpart.objects.all().delete()
    from contacts.models import Organization

    Organization.objects.filter(parent__isnull=False).update(parent=None)
    Organization.objects.all().delete()
    _seed()
    assert list(Meeting.objects.order_by("starts_at", "id").values_list("title", flat=True)[:20]) == titles
    assert list(Counterpart.objects.order_by("id").values_list("family_name", "given_names", "position")) == names


@pytest.mark.parametrize("username", ["attache", "diplomat", "chief", "admin"])
def test_each_demo_user_signs_in_and_sees_the_dashboard(username):
    _seed()
    client = Client()
    # Axes, first of the authentication backends, needs the request it would lock out.
    assert client.login(request=HttpRequest(), username=username, password=demo.DEMO_PASSWORD)
    response = client.get(reverse("dashboard"))
    if username == "admin":
        # The admin role must enrol a second factor first: do it as the user would, with a code.
        assert response.status_code == 302 and reverse("otp_setup") in response["Location"]
        client.get(reverse("otp_setup"))
        device = TOTPDevice.objects.get(user__username="admin", confirmed=False)
        token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
        assert client.post(reverse("otp_setup"), {"token": token}).status_code == 302
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "BANDAR" in response.content.decode()


def test_seed_demo_refuses_to_run_under_production_settings():
    """Issue row 10: under production settings it would create logins with the published password."""
    import os
    import subprocess
    import sys

    from tests.access.test_settings import PROD_ENV, ROOT

    env = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env={**env, **PROD_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: seed_demo refuses to run under production settings (demo logins have a public password)."
    ]


def test_seed_demo_refused_changes_nothing(settings, django_user_model):
    from django.core.management import CommandError

    settings.DEMO_SEED_ALLOWED = False
    with pytest.raises(CommandError, match="production settings"):
        _seed()
    assert not Post.objects.exists() and not django_user_model.objects.exists()
