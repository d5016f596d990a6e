"""Tell PostgreSQL's planner what a trigram comparison costs (contacts.search).

pg_trgm declares its similarity operators as cheap as `=` (COST 1). For a user with a role at
every post, the planner then preferred walking the post index and comparing the typo condition
(`name_folded %>> 'word'`) on all 150,000 rows — 350 ms for "Alexander" on the benchmark volume
(bench/README.md) — over the GIN trigram indexes, which answer in 15 ms. At COST 100 (what
PostgreSQL assumes for a function in a procedural language) it picks the indexes when many posts
are visible, and still the post's ~1,000 rows for a user of one post.

ALTER FUNCTION needs to own pg_trgm's functions: where the migrating role does not (a managed
database), the migration leaves the cost alone and says so; search stays correct, only slower
across many posts. pg_dump does not keep the cost of an extension's function: re-run this
migration's SQL after a restore (`migrate contacts 0003` then `migrate contacts`).
"""

import warnings

from django.db import DatabaseError, migrations, transaction

FUNCTIONS = ["strict_word_similarity_commutator_op(text, text)", "strict_word_similarity_op(text, text)"]


def _set_cost(schema_editor, cost: int) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):  # a savepoint: failure is harmless
            for function in FUNCTIONS:
                schema_editor.execute(f"ALTER FUNCTION {function} COST {cost}")
    except DatabaseError as exc:
        warnings.warn(f"pg_trgm's function costs left unchanged ({exc}); see {__name__}.", stacklevel=1)


def raise_cost(apps, schema_editor):
    _set_cost(schema_editor, 100)


def restore_cost(apps, schema_editor):
    _set_cost(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_list_order_indexes"),
    ]

    operations = [migrations.RunPython(raise_cost, restore_cost)]
