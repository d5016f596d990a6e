"""The audit log refuses TRUNCATE too (PostgreSQL), and names the account changes.

0003's row-level trigger refuses UPDATE and DELETE, but row triggers never fire on TRUNCATE: a
statement-level BEFORE TRUNCATE trigger, calling the same function, closes that door — also for
a TRUNCATE ... CASCADE that starts from a table the log refers to. On SQLite (the embedded
development mode), which has no TRUNCATE, the trigger part does nothing. The test suite empties
tables with TRUNCATE between transactional tests: see reports/management/commands/flush.py.
"""

from django.db import migrations, models

CREATE = """
DROP TRIGGER IF EXISTS reports_auditevent_no_truncate ON reports_auditevent;
CREATE TRIGGER reports_auditevent_no_truncate
    BEFORE TRUNCATE ON reports_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION reports_auditevent_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS reports_auditevent_no_truncate ON reports_auditevent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_audit_append_only"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Login"),
                    ("login_failed", "Failed login"),
                    ("lockout", "Lockout"),
                    ("logout", "Logout"),
                    ("view", "View"),
                    ("create", "Create"),
                    ("update", "Update"),
                    ("delete", "Delete"),
                    ("export", "Export"),
                    ("release", "Release"),
                    ("grant", "Permission grant"),
                    ("revoke", "Permission revoke"),
                    ("access_denied", "Access denied"),
                    ("classified_refused", "Classified marking refused"),
                    ("role_change", "Role change"),
                    ("password_change", "Password change"),
                    ("second_factor_reset", "Second factor reset"),
                    ("deactivate", "Account deactivated"),
                    ("reactivate", "Account reactivated"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
    ]
