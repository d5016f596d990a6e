"""Shared fixtures: one user of each role at one post, and an outsider at another post."""

import os

import pytest
from django.test import Client
from django.utils import timezone

from tenancy.choices import Role

from .factories import PASSWORD, MembershipFactory, PostFactory, UserFactory


@pytest.fixture
def post(db):
    """The post, its calendar active for the test: "today" in a test is today at the post, as on
    its pages (near midnight UTC the two differ by a day)."""
    post = PostFactory(code="BANDAR", name="Embassy Bandar", host_country="XB", cable_country_tag="BN")
    with timezone.override(post.tzinfo):
        yield post


@pytest.fixture
def other_post(db):
    return PostFactory(code="OTHER", name="Embassy Other")


def _member(post, role, username):
    user = UserFactory(username=username)
    MembershipFactory(user=user, post=post, role=role)
    return user


@pytest.fixture
def attache(post):
    return _member(post, Role.ATTACHE, "attache")


@pytest.fixture
def second_attache(post):
    return _member(post, Role.ATTACHE, "attache2")


@pytest.fixture
def diplomat(post):
    return _member(post, Role.DIPLOMAT, "diplomat")


@pytest.fixture
def chief(post):
    return _member(post, Role.CHIEF, "chief")


@pytest.fixture
def post_admin(post):
    return _member(post, Role.ADMIN, "postadmin")


@pytest.fixture
def outsider(other_post):
    """An attaché at another post: must see nothing of `post`."""
    return _member(other_post, Role.ATTACHE, "outsider")


@pytest.fixture
def users_by_role(attache, diplomat, chief, post_admin, outsider):
    return {"attache": attache, "diplomat": diplomat, "chief": chief, "admin": post_admin, "outsider": outsider}


def client_for(user) -> Client:
    """A client signed in as `user`; with the second factor verified when their role requires one."""
    client = Client()
    client.force_login(user)
    verify_second_factor(client, user)
    return client


def verify_second_factor(client, user) -> None:
    """Mark the client's session as having passed TOTP, as the admin role must (tests of other things)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from attache_crm.accounts import otp
    from tenancy import policy

    required = otp.is_required_by_role(user)
    policy.forget_roles(user)  # leave the caller's user object as it was
    if not required:
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def password():
    return PASSWORD


# ---------------------------------------------------------------- the production stack tests
# tests/prod/ starts the stack of docker-compose.yml as processes on PostgreSQL and Redis, which
# the embedded defaults do not have. There those tests are left out of the run and the summary
# says so in one line; .ci/run provides both services and runs them.


NOT_RUN = pytest.StashKey[int]()


def _production_services() -> bool:
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    return database_url.startswith(("postgres://", "postgresql://")) and redis_url.startswith("redis://")


def pytest_collection_modifyitems(config, items):
    if _production_services():
        return
    needing = [item for item in items if "stack" in getattr(item, "fixturenames", ())]
    if needing:
        config.hook.pytest_deselected(items=needing)
        items[:] = [item for item in items if "stack" not in getattr(item, "fixturenames", ())]
        config.stash[NOT_RUN] = len(needing)


def pytest_terminal_summary(terminalreporter, config):
    if not_run := config.stash.get(NOT_RUN, 0):
        terminalreporter.write_line(
            f"{not_run} production-stack tests not run: they need PostgreSQL and Redis "
            "(DATABASE_URL=postgres://…, REDIS_URL=redis://…), which .ci/run starts and sets."
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A test database kept from an earlier run (--reuse-db) was emptied by that run's last
    transactional tests: put back the rows its migrations entered, as a fresh one has them."""
    from office.migrations import _minimal_values
    from office.models import GiftThreshold

    with django_db_blocker.unblock():
        _minimal_values.ensure(GiftThreshold)


@pytest.fixture
def minimal_values(db):
    """The gift minimal values the migration enters (a transactional test's flush empties the table)."""
    from office.migrations import _minimal_values
    from office.models import GiftThreshold

    _minimal_values.ensure(GiftThreshold)
