"""Shared fixtures: one user of each role at one post, and an outsider at another post."""

import pytest
from django.test import Client

from contacts.choices import Role

from .factories import PASSWORD, MembershipFactory, PostFactory, UserFactory


@pytest.fixture
def post(db):
    return PostFactory(code="BANDAR", name="Embassy Bandar", host_country="BN", cable_country_tag="BN")


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
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def password():
    return PASSWORD
