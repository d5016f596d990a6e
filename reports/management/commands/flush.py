"""manage.py flush, which refuses to empty the audit log on PostgreSQL unless the settings allow it.

Flushing TRUNCATEs every table, and the audit log refuses TRUNCATE (migration 0004): in any
deployment the command fails and the log is kept. Only the test settings (AUDIT_LOG_FLUSHABLE)
let the test runner empty it between transactional tests, by switching this one session to the
replica role, under which triggers do not fire — a setting PostgreSQL grants to superusers only.
"""

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql" or not getattr(settings, "AUDIT_LOG_FLUSHABLE", False):
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
