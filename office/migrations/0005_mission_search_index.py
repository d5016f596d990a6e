"""A GIN trigram index on UPPER(mission), on PostgreSQL only: the clearance list's ?q= is
`mission__icontains`, i.e. UPPER(mission) LIKE '%KEY%', which a B-tree cannot serve. The index also
gives PostgreSQL statistics of the expression, so it knows how common a word is: for a chief of
every post it read 30,000 clearances and sorted the matches (33 ms), and now reads the list in
travel order and stops after a page (under 1 ms). The pg_trgm extension comes from contacts 0002.
"""

from django.db import migrations

from attache_crm import postgresql_only


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0002_search_transliteration"),
        ("office", "0004_list_order_indexes"),
    ]

    operations = [
        postgresql_only.index(
            "office_clearance_mission_trgm", "office_clearance USING gin (UPPER(mission) gin_trgm_ops)"
        )
    ]
