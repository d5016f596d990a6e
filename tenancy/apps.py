from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = "Posts, roles and audit"

    def ready(self) -> None:
        from . import writes  # noqa: F401  (counts the writes of every database connection)
