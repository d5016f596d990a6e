"""Spelling keys in every counterpart's search keys (contacts.names.spelling_key).

No column changes: the keys join the others in name_phonetic (prefixed "~"), which the GIN trigram
index of migration 0002 already serves. Rows saved before this migration get them here.
"""

from django.db import migrations

from contacts import names

BATCH = 2000


def refresh_search_keys(apps, schema_editor):
    Counterpart = apps.get_model("contacts", "Counterpart")
    database = schema_editor.connection.alias
    rows = Counterpart.objects.using(database).only("family_name", "given_names", "native_name", "aliases")
    batch = []
    for counterpart in rows.order_by("pk").iterator(chunk_size=BATCH):
        counterpart.name_folded, counterpart.name_phonetic = names.derived_name_fields(
            counterpart.family_name, counterpart.given_names, counterpart.native_name, counterpart.aliases
        )
        batch.append(counterpart)
        if len(batch) >= BATCH:
            Counterpart.objects.using(database).bulk_update(batch, ["name_folded", "name_phonetic"])
            batch = []
    if batch:
        Counterpart.objects.using(database).bulk_update(batch, ["name_folded", "name_phonetic"])


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0005_posts_and_memberships_move_to_tenancy"),
    ]

    operations = [migrations.RunPython(refresh_search_keys, migrations.RunPython.noop, elidable=True)]
