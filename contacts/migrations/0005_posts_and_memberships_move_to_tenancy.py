"""Posts and memberships moved to the tenancy app: in the migration state only; the rows stay
(tenancy 0001 takes the tables over, tenancy 0002 renames them)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0004_search_planner_costs'),
        ('engagements', '0004_posts_move_to_tenancy'),
        ('reports', '0006_audit_log_moves_to_tenancy'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalpost',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='post',
                ),
                migrations.RemoveField(
                    model_name='membership',
                    name='user',
                ),
                migrations.AlterField(
                    model_name='historicalcounterpart',
                    name='post',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='historicalorganization',
                    name='post',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='counterpart',
                    name='post',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post'),
                ),
                migrations.AlterField(
                    model_name='organization',
                    name='post',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post'),
                ),
                migrations.DeleteModel(
                    name='HistoricalMembership',
                ),
                migrations.DeleteModel(
                    name='HistoricalPost',
                ),
                migrations.DeleteModel(
                    name='Membership',
                ),
                migrations.DeleteModel(
                    name='Post',
                ),
            ],
        ),
    ]
