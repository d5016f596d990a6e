from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in, second factor, session limits and the audit of authentication events."""

    name = "attache_crm.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from . import signals  # noqa: F401
