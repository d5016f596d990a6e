from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import policy
from .admin_access import AuditedAdmin, OperatorOnlyAdmin
from .models import AuditEvent, Membership, Post


@admin.register(Post)
class PostAdmin(OperatorOnlyAdmin, AuditedAdmin, SimpleHistoryAdmin):
    """Operators create posts and keep their settings."""

    list_display = ["code", "name", "host_country", "cable_country_tag", "timezone"]
    search_fields = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(OperatorOnlyAdmin, AuditedAdmin, SimpleHistoryAdmin):
    """Operators place people at posts; a post's admin does it in the app (/accounts/people/)."""

    list_display = ["user", "post", "role"]
    list_filter = ["role", "post"]
    search_fields = ["user__username"]
    list_select_related = ["user", "post"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        policy.forget_roles(obj.user)


@admin.register(AuditEvent)
class AuditEventAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    """Operators read every event; nobody changes or deletes one (append-only log)."""

    list_display = ["at", "username", "action", "object_type", "object_id", "outcome", "ip", "post"]
    list_filter = ["action", "outcome", "post"]
    search_fields = ["username", "object_id", "object_type"]
    list_select_related = ["post"]
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
