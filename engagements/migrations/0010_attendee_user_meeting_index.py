from django.db import migrations


class Migration(migrations.Migration):
    """The meetings a user attends, read from the index alone: the dashboard's meetings ahead that
    I attend join a post attaché's ten thousand attendances to the post's meetings ahead, and the
    index of the user alone (Django's, for the foreign key) sent each of them to the table.

    The attendance table is the one Django makes for `Meeting.attendees`, so the index is written
    here rather than declared on a model."""

    dependencies = [("engagements", "0009_author_start_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX meeting_attendee_user_meeting_idx ON engagements_meeting_attendees (user_id, meeting_id)",
            reverse_sql="DROP INDEX meeting_attendee_user_meeting_idx",
        ),
    ]
