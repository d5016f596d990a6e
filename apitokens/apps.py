from django.apps import AppConfig


class ApiTokensConfig(AppConfig):
    name = "apitokens"
    label = "apitokens"
    verbose_name = "API access tokens"
    default_auto_field = "django.db.models.BigAutoField"
