"""The audit log: append-only everywhere, readable and filterable by the chief and the admin at /audit/."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tenancy import audit
from tenancy.markings import Channel
from tenancy.models import AuditEvent

from ..conftest import client_for
from ..factories import CounterpartFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(attache):
    return audit.record(action="create", user=attache, detail="original")


# ---------------------------------------------------------------- append-only


def test_orm_refuses_to_change_an_event(event):
    event.detail = "edited"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="edited")


def test_orm_refuses_to_delete_an_event(event):
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, detail="original").exists()


@pytest.mark.parametrize(
    "sql",
    ["UPDATE tenancy_auditevent SET detail = 'edited' WHERE id = %s", "DELETE FROM tenancy_auditevent WHERE id = %s"],
)
def test_the_database_refuses_raw_sql_update_and_delete(event, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).detail == "original"


def _run_deferred_checks():
    # TRUNCATE refuses to run past deferred foreign-key checks: run this test's pending ones first.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# Emptying the table in one statement: TRUNCATE on PostgreSQL (which row triggers never see),
# DELETE without WHERE on SQLite, which has no TRUNCATE.
EMPTYING = {
    "postgresql": [
        "TRUNCATE tenancy_auditevent",
        "TRUNCATE tenancy_auditevent RESTART IDENTITY",
        # The log refers to users and posts: a cascade from there would reach it.
        "TRUNCATE auth_user CASCADE",
        "TRUNCATE tenancy_post CASCADE",
    ],
    "sqlite": ["DELETE FROM tenancy_auditevent"],
}
REFUSED = {"postgresql": "append-only: TRUNCATE refused", "sqlite": "append-only: DELETE refused"}


@pytest.mark.parametrize("sql", EMPTYING[connection.vendor])
def test_the_database_refuses_to_empty_the_audit_log(event, sql):
    """Issue row 10, as the attack: emptying the table in one statement, which row triggers may not see."""
    _run_deferred_checks()
    with pytest.raises(DatabaseError, match=REFUSED[connection.vendor]):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).detail == "original"


def test_manage_py_flush_refuses_to_empty_the_audit_log_outside_tests(event, settings):
    settings.AUDIT_LOG_FLUSHABLE = False
    _run_deferred_checks()
    with pytest.raises(CommandError, match="couldn't be flushed") as refused:
        call_command("flush", interactive=False, verbosity=0)
    assert REFUSED[connection.vendor] in str(refused.value.__cause__)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_test_runner_empties_the_log_and_leaves_it_guarded(event, settings):
    """Between transactional tests `flush` may empty the log (test settings only); the database
    refuses the next attempt by any other client all the same."""
    settings.AUDIT_LOG_FLUSHABLE = True
    _run_deferred_checks()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    kept = audit.record(action="create", detail="after the flush")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM tenancy_auditevent")
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_admin_offers_no_way_to_change_or_delete_an_event(event, django_user_model):
    operator = django_user_model.objects.create_superuser("operator", "op@example.org", "x" * 20)
    client = client_for(operator)
    change_url = reverse("admin:tenancy_auditevent_change", args=[event.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"detail": "edited"}).status_code == 403
    assert client.post(reverse("admin:tenancy_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    changelist = client.post(
        reverse("admin:tenancy_auditevent_changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert changelist.status_code in (200, 302)
    assert client.get(reverse("admin:tenancy_auditevent_add")).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, detail="original").exists()


# ---------------------------------------------------------------- what is audited


def test_views_of_attache_and_restricted_records_are_audited_not_post_channel(post, attache, rf):
    request = rf.get("/", REMOTE_ADDR="10.9.8.7")
    request.user = attache
    for channel in Channel.values:
        audit.viewed(request, CounterpartFactory(post=post, channel=channel))
    views = AuditEvent.objects.filter(action="view")
    assert sorted(e.detail for e in views) == ["attache channel", "restricted channel"]
    assert {e.ip for e in views} == {"10.9.8.7"} and {e.user for e in views} == {attache}


def test_access_denied_is_audited(diplomat):
    client_for(diplomat).get(reverse("audit_list"))
    (event,) = AuditEvent.objects.filter(action="access_denied")
    assert event.user == diplomat and event.outcome == "denied"


def test_event_time_is_utc(event):
    assert event.at.utcoffset() == timedelta(0)


# ---------------------------------------------------------------- /audit/


@pytest.mark.parametrize("role,status", [("chief", 200), ("admin", 200), ("attache", 403), ("diplomat", 403)])
def test_only_chief_and_admin_read_the_audit_log(users_by_role, role, status):
    assert client_for(users_by_role[role]).get(reverse("audit_list")).status_code == status


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("audit_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_audit_log_shows_own_post_and_members_sign_ins_only(chief, attache, outsider, post, other_post):
    audit.record(action="create", user=attache, post=post, detail="here-event")
    audit.record(action="create", user=outsider, post=other_post, detail="elsewhere-event")
    audit.record(action="login", user=attache, detail="member-login")
    audit.record(action="login", user=outsider, detail="outsider-login")
    body = client_for(chief).get(reverse("audit_list")).content.decode()
    assert "here-event" in body and "member-login" in body
    assert "elsewhere-event" not in body and "outsider-login" not in body


def test_audit_log_filters(chief, attache, diplomat, post):
    audit.record(action="create", user=attache, post=post, obj=None, detail="alpha-create")
    audit.record(action="access_denied", user=diplomat, post=post, outcome="denied", detail="beta-denied")
    cp = CounterpartFactory(post=post)
    audit.record(action="update", user=attache, obj=cp, detail="gamma-update")
    client = client_for(chief)

    def shown(**params):
        body = client.get(reverse("audit_list"), params).content.decode()
        return {d for d in ("alpha-create", "beta-denied", "gamma-update") if d in body}

    assert shown() == {"alpha-create", "beta-denied", "gamma-update"}
    assert shown(user="diplo") == {"beta-denied"}
    assert shown(action="update") == {"gamma-update"}
    assert shown(outcome="denied") == {"beta-denied"}
    assert shown(object_type="contacts.Counterpart") == {"gamma-update"}
    today = timezone.localdate()  # at the post, as the filter reads it
    assert shown(date_from=today.isoformat(), date_to=today.isoformat()) == {
        "alpha-create",
        "beta-denied",
        "gamma-update",
    }
    assert shown(date_to=(today - timedelta(days=1)).isoformat()) == set()


def test_audit_log_bad_filter_is_a_400_not_a_500(chief):
    client = client_for(chief)
    assert client.get(reverse("audit_list"), {"date_from": "not-a-date"}).status_code == 400
    assert client.get(reverse("audit_list"), {"action": "drop table"}).status_code == 400
    assert client.get(reverse("audit_list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}).status_code == 400
    assert client.get(reverse("audit_list"), {"page": "9999"}).status_code == 200


def test_audit_log_is_paginated_with_bounded_queries(chief, attache, post, django_assert_max_num_queries):
    client = client_for(chief)
    client.get(reverse("audit_list"))  # warm up the session
    AuditEvent.objects.bulk_create(
        [AuditEvent(user=attache, username="attache", post=post, action="create") for _ in range(10)]
    )
    with django_assert_max_num_queries(8):
        small = client.get(reverse("audit_list"))
    AuditEvent.objects.bulk_create(
        [AuditEvent(user=attache, username="attache", post=post, action="create") for _ in range(200)]
    )
    with django_assert_max_num_queries(8):
        large = client.get(reverse("audit_list"))
    assert small.status_code == large.status_code == 200
    assert "Page 1 of 5" in large.content.decode()
    assert "Page 2 of 5" in client.get(reverse("audit_list"), {"page": 2}).content.decode()


def test_a_second_post_admin_does_not_read_this_posts_log(other_post, post, attache):
    other_admin = UserFactory(username="otheradmin")
    MembershipFactory(user=other_admin, post=other_post, role="admin")
    audit.record(action="create", user=attache, post=post, detail="bandar-secret-event")
    assert "bandar-secret-event" not in client_for(other_admin).get(reverse("audit_list")).content.decode()
