"""Heartbeats: when a periodic job last ran to completion, in the one store every process shares."""

from django.db import models


class Heartbeat(models.Model):
    """One row per job name, overwritten at each run (web, worker and beat all read the database)."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S %Z}"
