"""Users in the admin: the `admin` role manages the accounts of its posts, never operators' ones."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q

from .admin_access import AuditedAdmin, is_operator, is_user_manager, managed_posts

User = get_user_model()

# Fields only an operator may set: they grant power beyond any role.
OPERATOR_FIELDS = ("is_superuser", "groups", "user_permissions")


class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_operator(request):
            return queryset
        # Members of the administrator's posts, and new accounts not yet given a post.
        in_scope = Q(memberships__post_id__in=managed_posts(request)) | Q(memberships__isnull=True)
        return queryset.filter(in_scope, is_superuser=False).distinct()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if is_operator(request):
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in OPERATOR_FIELDS]})
            for name, opts in fieldsets
        ]

    def has_module_permission(self, request):
        return is_user_manager(request)

    def has_view_permission(self, request, obj=None):
        return is_user_manager(request)

    def has_add_permission(self, request):
        return is_user_manager(request)

    def has_change_permission(self, request, obj=None):
        return is_user_manager(request)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: the audit log keeps pointing at them.
        return is_operator(request)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)
