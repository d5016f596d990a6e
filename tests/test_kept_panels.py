"""Panels kept per reader (attache_crm.kept_panels) under the write generation (tenancy.writes).

The suite's settings keep nothing (a test's writes never commit); here a shared cache is turned
on — Redis when REDIS_URL names one, as in production, else one in this process — and each
write is committed as far as the generation is concerned by running its on-commit callbacks.
"""

import datetime as dt
import os
import secrets
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteConnection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attache_crm import kept_panels, views
from contacts.models import Counterpart
from engagements import contact_pages, services
from tenancy import policy, writes
from tenancy.markings import Channel
from tests.access.world import build_world
from tests.conftest import client_for
from tests.factories import CounterpartFactory, MeetingFactory, MeetingParticipantFactory

pytestmark = pytest.mark.django_db


def _pages_cache(location: str | None, prefix: str = "") -> dict:
    if location is None:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept-panels-tests"}
    return {
        "BACKEND": "attache_crm.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


@pytest.fixture
def kept_pages(settings):
    """A fresh "pages" cache. On Redis, keys of this test's own prefix, removed one by one after
    it: the database is shared with the Celery broker of other tests, so it is never flushed."""
    redis_url, prefix = os.environ.get("REDIS_URL") or None, f"kept-panels-test-{secrets.token_hex(4)}"
    settings.CACHES = {**settings.CACHES, "pages": _pages_cache(redis_url, prefix)}
    cache = caches["pages"]
    if redis_url is None:
        cache.clear()
    yield cache
    if redis_url is not None:
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def _forget_waiting_counts() -> bool:
    """Drop the write counts waiting for a commit of the test's transaction; were there any?"""
    waiting = [entry for entry in connection.run_on_commit if entry[1] is writes.move_on]
    connection.run_on_commit[:] = [entry for entry in connection.run_on_commit if entry not in waiting]
    return bool(waiting)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit(): …` runs the on-commit callbacks of the writes inside, as their commit would.

    The test's own transaction never commits, and a transaction is counted once: the count its
    setup's writes are waiting for is taken first, as if the setup had been committed, and the
    block's own count, once run, is not left waiting."""

    @contextmanager
    def committed():
        if _forget_waiting_counts():
            writes.move_on()
        with django_capture_on_commit_callbacks(execute=True):
            yield
        _forget_waiting_counts()

    return committed


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _meeting_with(post, counterpart, **fields):
    meeting = MeetingFactory(post=post, **fields)
    MeetingParticipantFactory(meeting=meeting, counterpart=counterpart)
    return meeting


def test_the_dashboard_is_built_once_while_nothing_is_written(kept_pages, post, attache, django_assert_max_num_queries):
    client = client_for(attache)
    first = _page(client, "/")
    # Only the signed-in user is read again (the session comes from its own cache).
    with django_assert_max_num_queries(1):
        again = _page(client, "/")
    strip_csrf = lambda body: body.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip_csrf(again) == strip_csrf(first)
    assert "My open follow-ups" in again


def test_a_committed_write_is_on_the_next_page(kept_pages, commit, post, attache):
    client = client_for(attache)
    assert "Call the defence attaché back" not in _page(client, "/")
    with commit():
        services.action_item_create(
            post=post,
            by=attache,
            description="Call the defence attaché back",
            assignee=attache,
            due_on=timezone.localdate(),
        )
    assert "Call the defence attaché back" in _page(client, "/")


def test_narrowing_a_channel_hides_the_meeting_from_a_diplomat_at_once(kept_pages, commit, post, attache, diplomat):
    counterpart = CounterpartFactory(post=post, owner=attache)
    meeting = _meeting_with(post, counterpart, title="Luncheon with the J5", created_by=attache)
    diplomat_client, path = client_for(diplomat), counterpart.get_absolute_url()
    assert "Luncheon with the J5" in _page(diplomat_client, path)
    with commit():
        services.meeting_update(meeting=meeting, by=attache, channel=Channel.ATTACHE)
    assert "Luncheon with the J5" not in _page(diplomat_client, path)


def test_a_page_kept_for_one_reader_is_never_served_to_another(kept_pages, post, attache, diplomat):
    counterpart = CounterpartFactory(post=post, owner=attache)
    _meeting_with(post, counterpart, title="Attaché-only dinner", channel=Channel.ATTACHE, created_by=attache)
    path = counterpart.get_absolute_url()
    assert "Attaché-only dinner" in _page(client_for(attache), path)
    assert "Attaché-only dinner" not in _page(client_for(diplomat), path)


def test_a_hidden_counterpart_stays_a_404_and_each_filter_is_kept_apart(kept_pages, post, attache, diplomat):
    restricted = CounterpartFactory(post=post, owner=attache, channel=Channel.RESTRICTED)
    for _ in range(2):
        assert client_for(diplomat).get(restricted.get_absolute_url()).status_code == 404
    counterpart = CounterpartFactory(post=post, owner=attache)
    _meeting_with(post, counterpart, title="Staff talks", created_by=attache)
    client, path = client_for(attache), counterpart.get_absolute_url()
    assert "Staff talks" in _page(client, path)
    assert "Staff talks" not in _page(client, f"{path}?kind=agreement")
    assert "Staff talks" in _page(client, path)


def test_whether_a_counterpart_page_is_shown_is_decided_on_every_request(kept_pages, post, attache, diplomat):
    """Even with its parts kept and the generation not moved on (the write below is never counted
    here), a counterpart hidden from the reader is a 404 at once."""
    counterpart = CounterpartFactory(post=post, owner=attache)
    client, path = client_for(diplomat), counterpart.get_absolute_url()
    _page(client, path)
    Counterpart.objects.filter(pk=counterpart.pk).update(channel=Channel.RESTRICTED)
    assert client.get(path).status_code == 404


def test_a_kept_page_is_built_again_in_the_next_minute(
    kept_pages, post, attache, monkeypatch, django_assert_num_queries
):
    client = client_for(attache)
    _page(client, "/")
    later = kept_panels.time.time() + 60
    monkeypatch.setattr(kept_panels.time, "time", lambda: later)
    with CaptureQueriesContext(connection) as queries:
        _page(client, "/")
    assert len(queries) > 5  # the panels' selectors ran again


def test_a_panel_is_kept_only_until_its_minute_ends(kept_pages, post, attache, monkeypatch):
    """Its key names the minute, so nobody asks for it later: Redis holds it no longer."""
    client = client_for(attache)
    kept_for, keep = [], kept_pages.set
    monkeypatch.setattr(
        kept_pages, "set", lambda key, value, timeout: kept_for.append(timeout) or keep(key, value, timeout)
    )
    at_45_seconds = int(kept_panels.time.time() // 60) * 60 + 45.5
    monkeypatch.setattr(kept_panels.time, "time", lambda: at_45_seconds)
    _page(client, "/")
    assert kept_for == [15 + kept_panels.SLACK_SECONDS]


def test_when_the_cache_does_not_answer_pages_are_built_for_the_request(settings, post, attache):
    settings.CACHES = {**settings.CACHES, "pages": _pages_cache("redis://127.0.0.1:1/0")}
    meeting = MeetingFactory(
        post=post, title="Range day", created_by=attache, starts_at=timezone.now() + dt.timedelta(days=1)
    )
    meeting.attendees.add(attache)
    assert "Range day" in _page(client_for(attache), "/")


# ---------------------------------------------------------------- the write generation


def test_a_transaction_is_counted_once_when_it_commits_and_not_when_it_rolls_back(kept_pages, commit, post):
    with commit():
        pass  # the setup, committed
    before = writes.generation()
    with commit(), transaction.atomic():
        for title in ("One", "Two", "Three"):
            MeetingFactory(post=post, title=title)
    assert writes.generation() == before + 1
    with commit():
        with pytest.raises(RuntimeError), transaction.atomic():
            MeetingFactory(post=post, title="Never kept")
            raise RuntimeError
    assert writes.generation() == before + 1


def test_raw_sql_writes_are_counted(kept_pages, commit, post):
    with commit():
        counterpart = CounterpartFactory(post=post)
    before = writes.generation()
    with commit(), connection.cursor() as cursor:
        cursor.execute("UPDATE contacts_counterpart SET position = %s WHERE id = %s", ["J3", counterpart.pk])
    assert writes.generation() == before + 1


@pytest.mark.parametrize(
    ("sql", "counted"),
    [
        ('INSERT INTO "engagements_meeting" ("title") VALUES (%s)', True),
        ('UPDATE "contacts_counterpart" SET "position" = %s', True),
        ('DELETE FROM "engagements_meetingparticipant" WHERE id = %s', True),
        ("update tenancy_membership set role = %s", True),
        ("TRUNCATE engagements_meeting", True),
        ('WITH moved AS (SELECT 1) UPDATE "engagements_actionitem" SET status = %s', True),
        ('SELECT "engagements_meeting"."updated_at" FROM "engagements_meeting"', False),
        ('WITH ranked AS (SELECT "updated_at" FROM t) SELECT * FROM ranked', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "tenancy_auditevent" ("action") VALUES (%s)', False),
        ('INSERT INTO "axes_accesslog" ("username") VALUES (%s)', False),
        ("SAVEPOINT s1", False),
    ],
)
def test_which_statements_move_the_generation_on(sql, counted):
    assert writes.counts(sql) is counted


# ---------------------------------------------------------------- what may be kept


@pytest.mark.parametrize("role", ["attache", "second_attache", "diplomat", "chief"])
def test_no_kept_part_carries_a_csrf_token_or_another_request_s_traces(role):
    """A kept part is served to its reader in any browser: a form's CSRF token (tied to one
    browser's cookie) or the path it was first asked for must not be in it."""
    world = build_world()
    user = world.users[role]
    request = RequestFactory().get("/", {"marker": "QueryTraceZq"})
    request.user = user
    parts = [views._dashboard_panels(request)["panels"]]
    for (resource, _), record in world.records.items():
        if resource == "counterpart" and policy.is_visible(user, record):
            # Another spelling of its address (the page answers it too): the part is served under both.
            request = RequestFactory().get(f"/counterparts/0{record.pk}/", {"marker": "QueryTraceZq"})
            request.user = user
            parts += contact_pages._counterpart_page(request, record)["kept"].values()
    assert len(parts) > 1
    for html in parts:
        assert "csrfmiddlewaretoken" not in html
        assert "QueryTraceZq" not in html
        assert "/counterparts/0" not in html


def test_a_connection_opened_inside_an_execute_wrapper_block_keeps_counting():
    """Such blocks (a per-request query counter) remove the last wrapper when they end."""
    fresh = connections.create_connection("default")
    try:
        with fresh.execute_wrapper(lambda execute, *args: execute(*args)):
            fresh.ensure_connection()
        assert [type(wrapper) for wrapper in fresh.execute_wrappers] == [writes._CountWrites]
    finally:
        fresh.close()


def test_a_write_in_a_transaction_managed_by_hand_is_counted_at_once(kept_pages):
    """No on-commit hook there (Django refuses one): the count cannot wait for the commit."""

    class HandManagedConnection:
        alias = "default"
        in_atomic_block = False
        run_on_commit = []

        def get_autocommit(self):
            return False

    before = writes.generation()
    count_writes = writes._CountWrites(HandManagedConnection())
    count_writes(lambda *args: None, 'UPDATE "contacts_counterpart" SET "position" = %s', ["J3"], False, {})
    assert writes.generation() == before + 1


def test_what_is_kept_for_one_database_is_never_read_for_another(kept_pages, post, attache, monkeypatch):
    """One Redis may serve two databases (a benchmark and a development server) where the same
    user id is someone else."""
    client = client_for(attache)
    _page(client, "/")
    for spelled in list(writes._identities):
        monkeypatch.setitem(writes._identities, spelled, "another-database")
    with CaptureQueriesContext(connection) as queries:
        _page(client, "/")
    assert len(queries) > 5  # built again, not read from the other database's keys


def _connection_to(settings_dict: dict):
    """A new connection (not one of the named ones) with these settings."""
    default = connections["default"]
    return type(default)({**default.settings_dict, **settings_dict}, alias="default")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the server's own identity is PostgreSQL's")
def test_one_database_has_one_identity_however_it_is_reached_and_another_has_another():
    here = writes.identity(connection)
    host = connection.settings_dict.get("HOST") or "127.0.0.1"
    spellings = [{"PORT": ""}, {"PORT": "5432"}, {"HOST": host.replace("127.0.0.1", "localhost")}]
    others = [{"NAME": "postgres"}]
    for settings_dict, same in [*((s, True) for s in spellings), *((s, False) for s in others)]:
        probe = _connection_to(settings_dict)
        try:
            assert (writes.identity(probe) == here) is same, settings_dict
        finally:
            probe.close()


def test_a_sqlite_file_is_named_by_its_real_path(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    base = {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}}
    named = [
        SQLiteConnection({**base, "NAME": str(tmp_path / where)}) for where in ("real/a.db", "alias/a.db", "real/b.db")
    ]
    assert writes.identity(named[0]) == writes.identity(named[1]) != writes.identity(named[2])


def test_a_lost_generation_starts_again_past_every_number_it_had_reached(kept_pages):
    writes.move_on()
    reached = writes.generation()
    kept_pages.delete(writes._key())
    assert writes.generation() > reached
    kept_pages.delete(writes._key())
    writes.move_on()
    assert writes.generation() > reached


def test_a_write_committed_while_a_page_is_built_from_older_rows_is_on_the_next_page(
    kept_pages, commit, post, attache, monkeypatch
):
    """The page below reads its counterpart, then the counterpart is renamed and the rename
    committed before the page's panels are built: they show the old name and must not be served
    as current after the rename."""
    counterpart = CounterpartFactory(post=post, owner=attache, family_name="Oldname")
    client, path = client_for(attache), counterpart.get_absolute_url()
    read_the_counterpart = contact_pages.contact_selectors.visible_counterpart

    def read_then_rename(user, pk):
        read = read_the_counterpart(user, pk)
        with commit():
            Counterpart.objects.filter(pk=pk).update(family_name="Newname")
        return read

    monkeypatch.setattr(contact_pages.contact_selectors, "visible_counterpart", read_then_rename)
    assert "oldname" in _page(client, path).lower()
    monkeypatch.undo()
    page = _page(client, path).lower()
    assert "newname" in page
    assert "oldname" not in page


def test_a_request_without_a_generation_snapshot_keeps_nothing(kept_pages, attache):
    request = RequestFactory().get("/")
    request.user = attache
    built = []
    for _ in range(2):
        kept_panels.kept("probe", request, lambda: built.append(1) or len(built))
    assert built == [1, 1]


def test_a_database_that_cannot_say_who_it_is_keeps_nothing_and_pages_are_still_served(
    kept_pages, post, attache, monkeypatch
):
    def unanswered(connection):
        raise OperationalError("the server did not answer")

    monkeypatch.setattr(writes, "_identities", {})
    monkeypatch.setattr(writes, "identity", unanswered)
    client = client_for(attache)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            _page(client, "/")
        assert len(queries) > 5  # built for each request
