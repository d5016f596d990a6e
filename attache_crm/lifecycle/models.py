"""The dated log row every lifecycle keeps, one per step."""

from django.conf import settings
from django.db import models


class LifecycleStep(models.Model):
    """Abstract: one dated step of a record's lifecycle, with who took it.

    A concrete log adds a foreign key to its record and `from_<state>` / `to_<state>` fields with
    the record's state choices (`from_` blank on the row written when the record is recorded),
    and optionally a `note`.
    """

    changed_on = models.DateField()
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        abstract = True
        ordering = ["-changed_on", "-id"]
