from django.conf import settings
from django.db import migrations, models

from attache_crm import postgresql_only


class Migration(migrations.Migration):
    """My meetings ahead, read in order from an index of author and start; and the planner told
    that a meeting's author decides its post (750 authors at 150 posts), which it otherwise takes
    for independent and misjudges a post's meetings by one author a hundredfold."""

    dependencies = [
        ("engagements", "0008_meeting_weeks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["created_by", "starts_at"], name="meeting_author_start_idx"),
        ),
        postgresql_only.statistics("meeting_post_author_stats", "engagements_meeting", "post_id, created_by_id"),
    ]
