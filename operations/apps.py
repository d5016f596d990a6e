from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What operators run and watch: health checks, the scheduler's heartbeats, backup and restore."""

    name = "operations"
    verbose_name = "Operations"
