"""Authentication backend: Django's model backend, one query per signed-in request for the user
together with their memberships (posts and roles)."""

import json
from functools import cache

from django.contrib.auth import backends, get_user_model
from django.db import connections, router

from attache_crm.timezones import remember_home_timezone
from tenancy import policy
from tenancy.models import Membership, Post

# The post columns read with each membership: all of them, so that its post is a whole Post.
POST_FIELDS = list(Post._meta.concrete_fields)
# Positions in a membership row: its id, its role, then the post's columns.
ROLE = 1
POST_PK = 2 + POST_FIELDS.index(Post._meta.pk)
POST_TIMEZONE = 2 + POST_FIELDS.index(Post._meta.get_field("timezone"))


@cache
def _user_with_memberships_sql(vendor: str) -> str:
    user_model = get_user_model()
    quote = connections[router.db_for_read(user_model)].ops.quote_name
    membership = Membership._meta
    row, rows = ("json_array", "json_group_array") if vendor == "sqlite" else ("json_build_array", "json_agg")
    columns = ", ".join(
        [f"m.{quote(membership.pk.column)}", f"m.{quote(membership.get_field('role').column)}"]
        + [f"p.{quote(field.column)}" for field in POST_FIELDS]
    )
    user_pk = quote(user_model._meta.pk.column)
    return (
        f"SELECT u.*, (SELECT {rows}({row}({columns})) FROM {quote(membership.db_table)} m "
        f"JOIN {quote(Post._meta.db_table)} p ON p.{quote(Post._meta.pk.column)} = m.{quote(membership.get_field('post').column)} "
        f"WHERE m.{quote(membership.get_field('user').column)} = u.{user_pk}) AS membership_rows "
        f"FROM {quote(user_model._meta.db_table)} u WHERE u.{user_pk} = %s"
    )


def _memberships(user, rows, db: str) -> list[Membership]:
    """Membership objects with their posts, from the rows read with the user, in post code order."""
    names = [field.attname for field in POST_FIELDS]
    memberships = []
    for membership_id, role, *values in rows:
        post = Post.from_db(
            db, names, [field.to_python(value) for field, value in zip(POST_FIELDS, values, strict=True)]
        )
        membership = Membership.from_db(
            db, ["id", "user_id", "post_id", "role"], [membership_id, user.pk, post.pk, role]
        )
        membership.post = post
        memberships.append(membership)
    return sorted(memberships, key=lambda membership: membership.post.code)


class ModelBackend(backends.ModelBackend):
    """Loads the session's user together with their memberships and posts, from which come their
    roles (tenancy.policy) and the time zone their pages are shown in (attache_crm.timezones).

    Every signed-in request reads its user, and nearly every one its roles (the second-factor
    gate asks whether the user is an administrator; every page asks the policy) and every page
    the memberships (its header names the user's posts): one round trip to the database instead
    of three. Written in SQL because the ORM's form of this query (an aggregate subquery) cost
    several times more to build, on every request, than to run.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        db = router.db_for_read(user_model)
        sql = _user_with_memberships_sql(connections[db].vendor)
        found = list(user_model._default_manager.raw(sql, [user_id]))
        if not found or not self.user_can_authenticate(found[0]):
            return None
        user = found[0]
        rows = user.membership_rows
        rows = json.loads(rows) if isinstance(rows, str) else rows or []
        # The roles are needed by nearly every request, the Membership objects by pages only.
        roles = {row[POST_PK]: row[ROLE] for row in rows}
        policy.remember_memberships(user, roles, lambda: _memberships(user, rows, db))
        remember_home_timezone(user, rows[0][POST_TIMEZONE] if len(rows) == 1 else None)
        return user
