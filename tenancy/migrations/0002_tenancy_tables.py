"""The tables taken over by 0001 get the tenancy app's names, and so do its content types.

Renaming keeps every row, id and foreign key (PostgreSQL follows the table, SQLite rewrites the
references). The audit log's append-only triggers are recreated under the new name, and SQLite,
which had none, gets its own: see tenancy/append_only.py.
"""

from django.db import migrations

from tenancy import append_only

MOVED = [
    ("contacts", "post"),
    ("contacts", "historicalpost"),
    ("contacts", "membership"),
    ("contacts", "historicalmembership"),
    ("reports", "auditevent"),
]

# Created on reports_auditevent by reports 0003 and 0004 (PostgreSQL only); they follow the rename.
OLD_POSTGRESQL_TRIGGERS = """
DROP TRIGGER IF EXISTS reports_auditevent_no_truncate ON tenancy_auditevent;
DROP TRIGGER IF EXISTS reports_auditevent_append_only ON tenancy_auditevent;
DROP FUNCTION IF EXISTS reports_auditevent_append_only();
"""


def relabel_content_types(apps, schema_editor):
    """Permissions and admin log entries follow their content type, so they keep working."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    for old_label, model in MOVED:
        if not content_types.filter(app_label="tenancy", model=model).exists():
            content_types.filter(app_label=old_label, model=model).update(app_label="tenancy")


def unlabel_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    for old_label, model in MOVED:
        content_types.filter(app_label="tenancy", model=model).update(app_label=old_label)


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_POSTGRESQL_TRIGGERS, params=None)
    append_only.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    append_only.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tenancy", "0001_initial"),
        ("contacts", "0005_posts_and_memberships_move_to_tenancy"),
        ("reports", "0006_audit_log_moves_to_tenancy"),
    ]

    operations = [
        migrations.AlterModelTable(name="post", table=None),
        migrations.AlterModelTable(name="historicalpost", table=None),
        migrations.AlterModelTable(name="membership", table=None),
        migrations.AlterModelTable(name="historicalmembership", table=None),
        migrations.AlterModelTable(name="auditevent", table=None),
        migrations.RenameIndex(
            model_name="auditevent",
            new_name="tenancy_aud_post_id_c342b7_idx",
            old_name="reports_aud_post_id_a28408_idx",
        ),
        migrations.RenameIndex(
            model_name="auditevent",
            new_name="tenancy_aud_user_id_13228c_idx",
            old_name="reports_aud_user_id_e0d796_idx",
        ),
        migrations.RunPython(relabel_content_types, unlabel_content_types),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
