"""Shared fixtures: one user of each role at one post, and an outsider at another post."""

import pytest
from django.test import Client

from contacts.choices import Role

from .factories import PASSWORD, MembershipFactory, PostFactory, UserFactory


@pytest.fixture
def post(db):
    return PostFactory(code="BANDAR", name="Embassy Bandar", host_country="XB", cable_country_tag="BN")


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

    from attache_crm import policy
    from attache_crm.accounts import otp

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
