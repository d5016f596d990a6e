"""Each signed-in request reads its user with their memberships and posts in one query: the roles
every check asks for, the posts the page header names, and the post's time zone."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attache_crm.accounts.backends import ModelBackend
from attache_crm.timezones import home_timezone
from tenancy import policy
from tenancy.choices import Role

from ..conftest import client_for
from ..factories import MembershipFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def _membership_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "tenancy_membership" in q["sql"]]


def test_the_header_names_every_post_of_the_user_from_the_one_user_query(attache, post):
    second = PostFactory(code="AQABA", name="Embassy Aqaba", timezone="Asia/Amman")
    MembershipFactory(user=attache, post=second, role=Role.DIPLOMAT)
    client = client_for(attache)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("password_change")).content.decode()
    assert len(_membership_queries(queries)) == 1
    header = page[page.index('class="whoami"') :]
    # In post code order, each with its role.
    assert header.index("<strong>AQABA</strong> · Diplomat") < header.index("<strong>BANDAR</strong> · Attaché")


def test_the_memberships_read_with_the_user_are_whole_records(attache, post):
    user = ModelBackend().get_user(attache.pk)
    assert policy.roles(user) == {post.pk: Role.ATTACHE}
    (membership,) = policy.memberships(user)
    assert membership.role == Role.ATTACHE and membership.user_id == attache.pk
    read = membership.post
    post.refresh_from_db()
    for field in type(read)._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(post, field.attname), field.name


def test_a_user_of_one_post_reads_times_in_its_zone_and_of_two_posts_in_utc(attache, post):
    post.timezone = "Asia/Dubai"
    post.save()
    assert str(home_timezone(ModelBackend().get_user(attache.pk))) == "Asia/Dubai"
    MembershipFactory(user=attache, post=PostFactory(code="AQABA"), role=Role.DIPLOMAT)
    assert str(home_timezone(ModelBackend().get_user(attache.pk))) == "UTC"


def test_a_user_without_a_post_has_no_roles_and_no_memberships(db):
    user = ModelBackend().get_user(UserFactory(username="nobody").pk)
    assert policy.roles(user) == {} and policy.memberships(user) == []


def test_a_user_of_many_posts_is_shown_each_role_with_a_count_not_every_post(db):
    chief = UserFactory(username="hq-chief")
    for n in range(5):
        MembershipFactory(user=chief, post=PostFactory(code=f"P{n:02d}"), role=Role.CHIEF)
    MembershipFactory(user=chief, post=PostFactory(code="P99"), role=Role.DIPLOMAT)
    page = client_for(chief).get(reverse("password_change")).content.decode()
    header = page[page.index('class="whoami"') :]
    assert "<strong>5 posts</strong> · Chief of mission" in header
    assert "<strong>1 post</strong> · Diplomat" in header
    assert "P00" not in header


def test_a_view_is_given_the_user_itself_with_the_state_of_their_second_factor(attache):
    user = client_for(attache).get(reverse("password_change")).wsgi_request.user
    assert type(user) is type(attache) and user.pk == attache.pk
    assert user.is_verified() is False and user.otp_device is None


def test_a_request_without_a_session_is_anonymous_without_reading_any_user(db):
    with CaptureQueriesContext(connection) as queries:
        user = Client().get(reverse("login")).wsgi_request.user
    assert type(user) is AnonymousUser
    assert not [q for q in queries if "auth_user" in q["sql"]]


def test_the_posts_of_a_role_follow_a_change_of_memberships(attache, post):
    user = ModelBackend().get_user(attache.pk)
    assert policy.posts_with(user, [Role.ATTACHE, Role.DIPLOMAT]) == [post.pk]
    second = MembershipFactory(user=attache, post=PostFactory(code="AQABA"), role=Role.DIPLOMAT).post
    policy.forget_roles(user)
    assert sorted(policy.posts_with(user, {Role.DIPLOMAT, Role.ATTACHE})) == sorted([post.pk, second.pk])
    assert policy.posts_with(user, [Role.DIPLOMAT]) == [second.pk]
    # What a caller does with the list is its own business: the next caller gets the posts again.
    policy.posts_with(user, [Role.DIPLOMAT]).clear()
    assert policy.posts_with(user, [Role.DIPLOMAT]) == [second.pk]
