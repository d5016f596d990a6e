from django.contrib import admin

from tenancy.admin_access import OperatorOnlyAdmin

from .models import PersonalAccessToken


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    """Operators may see and revoke tokens; the secret is never stored, so never shown."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
    ]

    def has_add_permission(self, request):
        return False
