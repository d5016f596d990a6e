"""manage.py addpost: a production install provisions its first post without the demo data."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenancy.choices import Weekday
from tenancy.models import AuditEvent, Post

pytestmark = pytest.mark.django_db

ARGS = ["--name", "Embassy Aldora", "--country", "xb", "--cable-tag", "al", "--cable-from", "AMEMBASSY ALDORA"]


def test_addpost_creates_a_post_with_its_weekly_cutoff_and_audits_it():
    out = StringIO()
    call_command(
        "addpost", "aldora", *ARGS, "--signature", "HARTLEY", "--timezone", "Asia/Dubai",
        "--cutoff-weekday", "thursday", "--cutoff-time", "16:30", stdout=out,
    )  # fmt: skip
    post = Post.objects.get(code="ALDORA")
    assert (post.host_country, post.cable_country_tag, post.timezone) == ("XB", "AL", "Asia/Dubai")
    assert post.weekly_cutoff_weekday == Weekday.THURSDAY and post.weekly_cutoff_time == dt.time(16, 30)
    assert "Created ALDORA" in out.getvalue()
    assert AuditEvent.objects.filter(object_type="tenancy.Post", object_id=str(post.pk)).exists()


def test_adduser_can_then_provision_a_member_of_the_new_post(monkeypatch):
    call_command("addpost", "ALDORA", *ARGS, "--signature", "HARTLEY", stdout=StringIO())
    monkeypatch.setattr("sys.stdin", StringIO("a long enough password 2026\n"))
    call_command("adduser", "jdoe", "--post", "ALDORA", "--role", "attache", stdout=StringIO())
    assert Post.objects.get(code="ALDORA").memberships.get().user.username == "jdoe"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--timezone", "Mars/Base"], "timezone"),
        (["--cutoff-time", "25:00"], "not a time of day"),
    ],
)
def test_addpost_refuses_bad_input_and_saves_nothing(extra, message):
    with pytest.raises(CommandError, match=message):
        call_command("addpost", "ALDORA", *ARGS, "--signature", "HARTLEY", *extra)
    assert not Post.objects.exists()


def test_addpost_refuses_an_existing_code():
    call_command("addpost", "ALDORA", *ARGS, "--signature", "HARTLEY", stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("addpost", "aldora", *ARGS, "--signature", "HARTLEY")
