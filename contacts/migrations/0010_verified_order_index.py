"""The "verified most recently" sort across posts (contacts.filters.SORTS), in index order: on
PostgreSQL only, since SQLite cannot write NULLS LAST in an index (the embedded mode holds one
post's data, which sorts in memory)."""

from django.db import migrations

from attache_crm import postgresql_only


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0009_import_batch_kind"),
    ]

    operations = [
        postgresql_only.index(
            "counterpart_verified_order_idx", "contacts_counterpart (last_verified_on DESC NULLS LAST, family_name, id)"
        )
    ]
