"""A cable's channel floor: the narrowest channel it was ever drafted or edited from.

Existing cables start with their floor at their current channel (the narrowest of their
paragraphs today), so none of them becomes wider by this change or by later edits.
"""

from django.db import migrations, models
from django.db.models import F

CHANNELS = [("post", "Post"), ("attache", "Attaché channel"), ("restricted", "Restricted")]


def floor_from_channel(apps, schema_editor):
    # Queryset updates: no model save() runs, so released (frozen) cables are set as well.
    for name in ("Cable", "HistoricalCable"):
        apps.get_model("reports", name).objects.update(channel_floor=F("channel"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_audit_refuses_truncate_account_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="cable",
            name="channel_floor",
            field=models.CharField(choices=CHANNELS, default="post", editable=False, max_length=12),
        ),
        migrations.AddField(
            model_name="historicalcable",
            name="channel_floor",
            field=models.CharField(choices=CHANNELS, default="post", editable=False, max_length=12),
        ),
        migrations.RunPython(floor_from_channel, migrations.RunPython.noop),
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
                    ("widen", "Channel widened"),
                ],
                db_index=True,
                max_length=20,
            ),
        ),
    ]
