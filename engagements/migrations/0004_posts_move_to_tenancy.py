"""Posts moved to the tenancy app: the records' post references follow, in the migration state only
(the table is the same one, renamed by tenancy 0002)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('engagements', '0003_participating_countries_length'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='actionitem',
                    name='post',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='agreement',
                    name='post',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='exercise',
                    name='post',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='historicalactionitem',
                    name='post',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='historicalagreement',
                    name='post',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='historicalexercise',
                    name='post',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='historicalmeeting',
                    name='post',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='post',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post'),
                ),
            ],
        ),
    ]
