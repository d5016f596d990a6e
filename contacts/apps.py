from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Posts and counterparts"

    def ready(self) -> None:
        from . import signals  # noqa: F401
