"""Authentication backend: Django's model backend, one query per signed-in request for user and roles."""

from functools import cache

from django.contrib.auth import backends, get_user_model
from django.db import connections, router

from attache_crm.timezones import remember_home_timezone
from tenancy import policy
from tenancy.models import Membership, Post


@cache
def _user_with_roles_sql(vendor: str) -> str:
    user_model = get_user_model()
    connection = connections[router.db_for_read(user_model)]
    quote = connection.ops.quote_name
    join = "GROUP_CONCAT" if vendor == "sqlite" else "STRING_AGG"
    membership = Membership._meta
    return (
        f"SELECT u.*, (SELECT {join}(m.{quote(membership.get_field('post').column)} || ':' || "
        f"m.{quote(membership.get_field('role').column)}, ',') FROM {quote(membership.db_table)} m "
        f"WHERE m.{quote(membership.get_field('user').column)} = u.{quote(user_model._meta.pk.column)}) "
        f"AS role_pairs, "
        # The time zone pages are shown in (attache_crm.timezones): the post's, for a user of one post.
        f"(SELECT CASE WHEN COUNT(*) = 1 THEN MAX(p.{quote(Post._meta.get_field('timezone').column)}) END "
        f"FROM {quote(membership.db_table)} m JOIN {quote(Post._meta.db_table)} p "
        f"ON p.{quote(Post._meta.pk.column)} = m.{quote(membership.get_field('post').column)} "
        f"WHERE m.{quote(membership.get_field('user').column)} = u.{quote(user_model._meta.pk.column)}) "
        f"AS home_timezone FROM {quote(user_model._meta.db_table)} u WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )


class ModelBackend(backends.ModelBackend):
    """Loads the session's user together with their roles ("post_id:role,…", policy.remember_roles)
    and the time zone their pages are shown in.

    Every signed-in request reads its user, and nearly every one its roles (the second-factor
    gate asks whether the user is an administrator; every page asks the policy): one round trip
    to the database instead of two. Written in SQL because the ORM's form of this query (an
    aggregate subquery) cost several times more to build, on every request, than to run.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        vendor = connections[router.db_for_read(user_model)].vendor
        found = list(user_model._default_manager.raw(_user_with_roles_sql(vendor), [user_id]))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        policy.remember_roles(user, user.role_pairs)
        remember_home_timezone(user, user.home_timezone)
        return user
