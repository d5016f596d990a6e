"""The channel rule of the access policy, written as one SQL condition.

Which records of a channel model a user may read (tenancy.policy) comes down to a few OR-ed
clauses over five columns: post, channel, owner, assignee and id. Written as a tree of `Q` objects,
the ORM built and compiled about a dozen lookups for it on every query of every page, which took
longer than running most of those queries. Here each clause is plain SQL over the query's own
columns: the columns are still resolved by the ORM (so table aliases, subqueries, joins and the
history tables, which carry the same columns, work as with `Q`), the rest is text and parameters.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Expression


class Clause(NamedTuple):
    """Records of these posts in these channels (any channel when none is named), and, when asked,
    only those the user owns, is assigned, or was granted one by one."""

    posts: tuple[int, ...]
    channels: tuple[str, ...] = ()
    owned: bool = False
    assigned: bool = False
    granted: bool = False


class ChannelRule(Expression):
    """`clause OR clause …` over the columns of the filtered query's model (never empty)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, clauses: tuple[Clause, ...], *, user_id: int, owner: str, grants=None) -> None:
        super().__init__()
        self.clauses = clauses
        self.user_id = user_id
        self.owner = owner  # the owner's column (attname), e.g. created_by_id
        self.grants = grants  # the guardian direct grant model of these records
        self.columns: list = []

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def _column_names(self) -> list[str]:
        names = ["post_id"]
        if any(clause.channels for clause in self.clauses):
            names.append("channel")
        if any(clause.owned for clause in self.clauses):
            names.append(self.owner)
        if any(clause.assigned for clause in self.clauses):
            names.append("assignee_id")
        if any(clause.granted for clause in self.clauses):
            names.append("id")  # not `pk`: on a history table `id` is the record's, `pk` the version's
        return names

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        if self.columns:
            # Already resolved against its own query: this is a subquery being resolved again as
            # part of an outer one, whose model may not have these columns.
            return self
        rule = self.copy()
        rule.columns = [query.resolve_ref(name, allow_joins, reuse, summarize) for name in self._column_names()]
        return rule

    def as_sql(self, compiler, connection):
        column = {
            name: compiler.compile(expression)[0]
            for name, expression in zip(self._column_names(), self.columns, strict=True)
        }
        sql, params = [], []
        for clause in self.clauses:
            parts = [f"{column['post_id']} IN ({', '.join(['%s'] * len(clause.posts))})"]
            params.extend(clause.posts)
            if clause.channels:
                parts.append(f"{column['channel']} IN ({', '.join(['%s'] * len(clause.channels))})")
                params.extend(clause.channels)
            if clause.owned:
                parts.append(f"{column[self.owner]} = %s")
                params.append(self.user_id)
            if clause.assigned:
                parts.append(f"{column['assignee_id']} = %s")
                params.append(self.user_id)
            if clause.granted:
                grant_sql, grant_params = self._granted_ids_sql(connection)
                parts.append(f"{column['id']} IN ({grant_sql})")
                params.extend(grant_params)
            sql.append(f"({' AND '.join(parts)})")
        return f"({' OR '.join(sql)})", params

    def _granted_ids_sql(self, connection) -> tuple[str, list]:
        """Ids of the records granted to the user one by one (guardian's direct grant table)."""
        quote = connection.ops.quote_name
        grant, permission = self.grants._meta, Permission._meta
        record = grant.get_field("content_object").column
        sql = (
            f"SELECT g.{quote(record)} FROM {quote(grant.db_table)} g "
            f"INNER JOIN {quote(permission.db_table)} p ON g.{quote(grant.get_field('permission').column)} = p.{quote(permission.pk.column)} "
            f"WHERE g.{quote(grant.get_field('user').column)} = %s AND p.{quote(permission.get_field('codename').column)} = %s"
        )
        return sql, [
            self.user_id,
            f"view_{self.grants._meta.get_field('content_object').related_model._meta.model_name}",
        ]
