"""Search across transliterations and typos (contacts.search).

- PostgreSQL extensions pg_trgm (typo tolerance, and GIN indexes that serve LIKE '%key%'),
  fuzzystrmatch and unaccent (for ad-hoc SQL by operators). Django's extension operations do
  nothing on other databases, so SQLite (embedded mode) still migrates.
- name_phonetic grows to hold consonant skeletons next to the Double Metaphone codes; the B-tree
  on it goes (it cannot serve LIKE '%key%').
- Every counterpart's search keys are recomputed with contacts.names.derived_name_fields.
- GIN trigram indexes on name_folded and name_phonetic, on PostgreSQL only.
"""

from django.contrib.postgres.operations import (
    CreateExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations, models

from contacts import names

TRIGRAM_INDEXES = {
    "contacts_cp_name_folded_trgm": "name_folded",
    "contacts_cp_name_phonetic_trgm": "name_phonetic",
}


def refresh_search_keys(apps, schema_editor):
    """Recompute name_folded and name_phonetic of every counterpart with the current rules."""
    Counterpart = apps.get_model("contacts", "Counterpart")
    rows = Counterpart.objects.using(schema_editor.connection.alias).only(
        "family_name",
        "given_names",
        "native_name",
        "aliases",
        "name_folded",
        "name_phonetic",
    )
    batch = []
    for counterpart in rows.order_by("pk").iterator(chunk_size=2000):
        counterpart.name_folded, counterpart.name_phonetic = names.derived_name_fields(
            counterpart.family_name,
            counterpart.given_names,
            counterpart.native_name,
            counterpart.aliases,
        )
        batch.append(counterpart)
        if len(batch) >= 2000:
            Counterpart.objects.bulk_update(batch, ["name_folded", "name_phonetic"])
            batch = []
    if batch:
        Counterpart.objects.bulk_update(batch, ["name_folded", "name_phonetic"])


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON contacts_counterpart USING gin ({column} gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        CreateExtension("fuzzystrmatch"),
        UnaccentExtension(),
        migrations.RemoveIndex(
            model_name="counterpart",
            name="contacts_co_name_ph_d1b5f4_idx",
        ),
        migrations.AlterField(
            model_name="counterpart",
            name="name_phonetic",
            field=models.CharField(blank=True, editable=False, max_length=1000),
        ),
        migrations.RunPython(refresh_search_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
