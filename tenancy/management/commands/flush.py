"""manage.py flush, which refuses to empty the audit log unless the settings allow it.

Flushing empties every table (TRUNCATE on PostgreSQL, DELETE on SQLite), and the audit log
refuses both (tenancy/append_only.py): in any deployment the command fails and the log is kept.
Only the test settings (AUDIT_LOG_FLUSHABLE) let the test runner empty it between transactional
tests: on PostgreSQL by switching this one session to the replica role, under which triggers do
not fire (a setting PostgreSQL grants to superusers only); on SQLite, which cannot switch a
trigger off, by dropping the triggers for the flush and creating them again.
"""

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from tenancy import append_only


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if not getattr(settings, "AUDIT_LOG_FLUSHABLE", False):
            return super().handle(**options)
        if connection.vendor == "sqlite":
            append_only.remove(connection)
            try:
                return super().handle(**options)
            finally:
                append_only.install(connection)
        if connection.vendor != "postgresql":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
