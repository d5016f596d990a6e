"""The Django admin is for the deployment's operators (superusers), and for nobody else.

A role at a post never opens it, staff status or Django model permissions notwithstanding: the
admin's forms choose among every user of every post, and its password form sets any of their
passwords, so no per-model scoping can make it safe for a post's administrator. Posts manage
their people in the app (/accounts/people/, attache_crm.accounts.services).
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from tenancy.refusals import Denied

NOT_AN_OPERATOR = (
    "The Django admin is for the operators of this deployment. Your work is in the application: "
    "the post's people are managed under People."
)


class OperatorAdminSite(admin.AdminSite):
    site_header = "Attaché CRM — operators"
    site_title = "Attaché CRM operators"

    def has_permission(self, request) -> bool:
        # Checked by admin_view() before every admin page, the password form included.
        user = request.user
        return user.is_active and user.is_superuser

    def admin_view(self, view, cacheable=False):
        """Someone signed in who is not an operator is told so (403), rather than sent to a
        sign-in form they have already passed."""
        guarded_by_django = super().admin_view(view, cacheable)

        def refuse_non_operators(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Denied(NOT_AN_OPERATOR)
            return guarded_by_django(request, *args, **kwargs)

        return update_wrapper(refuse_non_operators, guarded_by_django)


class OperatorAdminConfig(AdminConfig):
    """django.contrib.admin with OperatorAdminSite as `admin.site`."""

    default_site = "attache_crm.accounts.admin_site.OperatorAdminSite"
