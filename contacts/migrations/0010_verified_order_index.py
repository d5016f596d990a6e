"""The "verified most recently" sort across posts (contacts.filters.SORTS), in index order: on
PostgreSQL only, since SQLite cannot write NULLS LAST in an index (the embedded mode holds one
post's data, which sorts in memory)."""

from django.db import migrations

INDEX = "counterpart_verified_order_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON contacts_counterpart "
        "(last_verified_on DESC NULLS LAST, family_name, id)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0009_import_batch_kind"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
