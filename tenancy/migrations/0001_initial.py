"""Posts, memberships and the audit log, as they were in contacts and reports: this migration only
tells Django they are now the tenancy app's, on their existing tables (renamed by 0002)."""

import django.db.models.deletion
import django_countries.fields
import simple_history.models
import tenancy.models
import tenancy.records
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contacts', '0004_search_planner_costs'),
        ('reports', '0005_cable_channel_floor'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Post',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(help_text='Short upper-case code, e.g. BANDAR.', max_length=16, unique=True)),
                        ('name', models.CharField(max_length=120)),
                        ('host_country', django_countries.fields.CountryField(max_length=2)),
                        ('cable_country_tag', models.CharField(help_text='Two-letter cable geographic tag (not ISO: Germany is GM).', max_length=2)),
                        ('timezone', models.CharField(default='UTC', max_length=64, validators=[tenancy.models.validate_timezone])),
                        ('cable_from', models.CharField(help_text='e.g. AMEMBASSY BANDAR', max_length=80)),
                        ('cable_to', models.CharField(default='SECSTATE WASHDC', max_length=80)),
                        ('cable_info', models.TextField(blank=True, help_text='INFO addressees, one per line.')),
                        ('default_tags', models.CharField(blank=True, help_text='Comma-separated, e.g. MARR, PREL', max_length=120)),
                        ('signature', models.CharField(help_text="The chief's surname, last line of cables.", max_length=40)),
                        ('weekly_cutoff_weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')], default=4)),
                        ('weekly_cutoff_time', models.TimeField(default='12:00')),
                    ],
                    options={
                        'db_table': 'contacts_post',
                        'ordering': ['code'],
                    },
                    bases=(tenancy.records.SpillGuarded, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalPost',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('code', models.CharField(db_index=True, help_text='Short upper-case code, e.g. BANDAR.', max_length=16)),
                        ('name', models.CharField(max_length=120)),
                        ('host_country', django_countries.fields.CountryField(max_length=2)),
                        ('cable_country_tag', models.CharField(help_text='Two-letter cable geographic tag (not ISO: Germany is GM).', max_length=2)),
                        ('timezone', models.CharField(default='UTC', max_length=64, validators=[tenancy.models.validate_timezone])),
                        ('cable_from', models.CharField(help_text='e.g. AMEMBASSY BANDAR', max_length=80)),
                        ('cable_to', models.CharField(default='SECSTATE WASHDC', max_length=80)),
                        ('cable_info', models.TextField(blank=True, help_text='INFO addressees, one per line.')),
                        ('default_tags', models.CharField(blank=True, help_text='Comma-separated, e.g. MARR, PREL', max_length=120)),
                        ('signature', models.CharField(help_text="The chief's surname, last line of cables.", max_length=40)),
                        ('weekly_cutoff_weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')], default=4)),
                        ('weekly_cutoff_time', models.TimeField(default='12:00')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'contacts_historicalpost',
                        'verbose_name': 'historical post',
                        'verbose_name_plural': 'historical posts',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalMembership',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('role', models.CharField(choices=[('attache', 'Attaché'), ('diplomat', 'Diplomat'), ('chief', 'Chief of mission'), ('admin', 'Administrator')], max_length=12)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tenancy.post')),
                    ],
                    options={
                        'db_table': 'contacts_historicalmembership',
                        'verbose_name': 'historical membership',
                        'verbose_name_plural': 'historical memberships',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Membership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('attache', 'Attaché'), ('diplomat', 'Diplomat'), ('chief', 'Chief of mission'), ('admin', 'Administrator')], max_length=12)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='tenancy.post')),
                    ],
                    options={
                        'db_table': 'contacts_membership',
                        'ordering': ['post__code', 'user__username'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'post'), name='one_role_per_user_and_post')],
                    },
                ),
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('username', models.CharField(blank=True, help_text='As typed, for failed logins.', max_length=150)),
                        ('ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('action', models.CharField(choices=[('login', 'Login'), ('login_failed', 'Failed login'), ('lockout', 'Lockout'), ('logout', 'Logout'), ('view', 'View'), ('create', 'Create'), ('update', 'Update'), ('delete', 'Delete'), ('export', 'Export'), ('release', 'Release'), ('grant', 'Permission grant'), ('revoke', 'Permission revoke'), ('access_denied', 'Access denied'), ('classified_refused', 'Classified marking refused'), ('role_change', 'Role change'), ('password_change', 'Password change'), ('second_factor_reset', 'Second factor reset'), ('deactivate', 'Account deactivated'), ('reactivate', 'Account reactivated'), ('widen', 'Channel widened')], db_index=True, max_length=20)),
                        ('object_type', models.CharField(blank=True, max_length=60)),
                        ('object_id', models.CharField(blank=True, max_length=40)),
                        ('outcome', models.CharField(choices=[('success', 'Success'), ('failure', 'Failure'), ('denied', 'Denied')], default='success', max_length=10)),
                        ('detail', models.CharField(blank=True, max_length=300)),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('post', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.post')),
                    ],
                    options={
                        'db_table': 'reports_auditevent',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['post', '-at'], name='reports_aud_post_id_a28408_idx'), models.Index(fields=['user', '-at'], name='reports_aud_user_id_e0d796_idx')],
                    },
                ),
            ],
        ),
    ]
