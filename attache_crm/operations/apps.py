from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What operators watch: the health check, the scheduler's heartbeats and the container checks."""

    name = "attache_crm.operations"
    label = "operations"
    verbose_name = "Operations"
