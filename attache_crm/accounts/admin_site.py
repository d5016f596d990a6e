"""The Django admin is for the deployment's operators (superusers), and for nobody else.

A role at a post never opens it, staff status or Django model permissions notwithstanding: the
admin's forms choose among every user of every post, and its password form sets any of their
passwords, so no per-model scoping can make it safe for a post's administrator. Posts manage
their people in the app (/accounts/people/, attache_crm.accounts.services).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class OperatorAdminSite(admin.AdminSite):
    site_header = "Attaché CRM — operators"
    site_title = "Attaché CRM operators"

    def has_permission(self, request) -> bool:
        # Checked by admin_view() before every admin page, the password form included.
        user = request.user
        return user.is_active and user.is_superuser


class OperatorAdminConfig(AdminConfig):
    """django.contrib.admin with OperatorAdminSite as `admin.site`."""

    default_site = "attache_crm.accounts.admin_site.OperatorAdminSite"
