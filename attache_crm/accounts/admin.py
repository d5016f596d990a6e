"""Users in the admin: operators only (OperatorAdminSite); account changes audited like the app's."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tenancy.admin_access import AuditedAdmin, OperatorOnlyAdmin

from . import services

User = get_user_model()


class UserAdmin(OperatorOnlyAdmin, AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_superuser", "memberships__role"]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data:
            # (De)activation goes through the service: audited, and the API tokens revoked.
            wanted, obj.is_active = obj.is_active, not obj.is_active
            super().save_model(request, obj, form, change)
            change_status = services.person_reactivate if wanted else services.person_deactivate
            change_status(by=request.user, user=obj, request=request)
            obj.is_active = wanted
            return
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            services.password_was_set(by=request.user, user=user, request=request)
        return response


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserAdmin)
