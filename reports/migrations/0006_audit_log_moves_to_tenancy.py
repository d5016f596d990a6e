"""The audit log and posts moved to the tenancy app: in the migration state only; the rows stay
(tenancy 0001 takes the table over, tenancy 0002 renames it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_cable_channel_floor'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='cable',
                    name='post',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='historicalcable',
                    name='post',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post'),
                ),
                migrations.DeleteModel(
                    name='AuditEvent',
                ),
            ],
        ),
    ]
