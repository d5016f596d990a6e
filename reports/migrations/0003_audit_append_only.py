"""The audit log is append-only in the database too: PostgreSQL refuses UPDATE and DELETE on it.

The ORM already refuses (AppendOnlyQuerySet, AuditEvent.save/delete) and so does the admin; the
trigger also stops raw SQL and any other client of the database. On SQLite (the embedded
development mode) this migration does nothing. Row triggers do not fire on TRUNCATE, which the
test runner uses to empty tables between tests.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION reports_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused on reports_auditevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS reports_auditevent_append_only ON reports_auditevent;
CREATE TRIGGER reports_auditevent_append_only
    BEFORE UPDATE OR DELETE ON reports_auditevent
    FOR EACH ROW EXECUTE FUNCTION reports_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS reports_auditevent_append_only ON reports_auditevent;
DROP FUNCTION IF EXISTS reports_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_cable_paragraph_blocks_channels_history_notices"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
