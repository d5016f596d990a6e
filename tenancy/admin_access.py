"""Who may do what in the Django admin (docs/access.md, "Django admin").

The admin is for the deployment's operators (superusers) only: OperatorAdminSite refuses everyone
else at the door, and every ModelAdmin here says so again (OperatorOnlyAdmin), so that a model
registered on another site, or a door loosened by mistake, still opens to nobody but an operator.
A post's `admin` role manages its people in the app (/accounts/people/), through the services.
"""

from __future__ import annotations

from tenancy import audit

RESTRICTED_FIELDS = ("restricted_notes",)


def is_operator(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class OperatorOnlyAdmin:
    """Mixin for every ModelAdmin: superusers only; restricted_notes never shown to others."""

    def has_module_permission(self, request):
        return is_operator(request)

    def has_view_permission(self, request, obj=None):
        return is_operator(request)

    def has_add_permission(self, request, *args):
        return is_operator(request)

    def has_change_permission(self, request, obj=None):
        return is_operator(request)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request)

    # Defence in depth: were the permissions above ever loosened, restricted_notes would still
    # stay out of the forms and lists of anyone but an operator.
    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not is_operator(request):
            exclude += [f for f in RESTRICTED_FIELDS if f not in exclude and _has_field(self.model, f)]
        return exclude

    def get_list_display(self, request):
        fields = super().get_list_display(request)
        return fields if is_operator(request) else [f for f in fields if f not in RESTRICTED_FIELDS]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if is_operator(request) else [f for f in fields if f not in RESTRICTED_FIELDS]


class AuditedAdmin:
    """Mixin: changes made through the admin go to the audit log like any other."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(action="update" if change else "create", request=request, obj=obj, detail="admin")

    def delete_model(self, request, obj):
        audit.record(action="delete", request=request, obj=obj, detail="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(action="delete", request=request, obj=obj, detail="admin")
        super().delete_queryset(request, queryset)


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())
