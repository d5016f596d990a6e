from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from simple_history.admin import SimpleHistoryAdmin

from attache_crm import policy
from attache_crm.accounts.admin_access import (
    AuditedAdmin,
    OperatorOnlyAdmin,
    is_operator,
    is_user_manager,
    managed_posts,
)

from .choices import Role
from .models import Appointment, Counterpart, Membership, Organization, Post


@admin.register(Post)
class PostAdmin(AuditedAdmin, SimpleHistoryAdmin):
    """Operators create and delete posts; the admin role keeps its own posts' settings."""

    list_display = ["code", "name", "host_country", "cable_country_tag", "timezone"]
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if is_operator(request) else queryset.filter(pk__in=managed_posts(request))

    def has_module_permission(self, request):
        return is_user_manager(request)

    def has_view_permission(self, request, obj=None):
        return is_user_manager(request)

    def has_change_permission(self, request, obj=None):
        return is_user_manager(request)

    def has_add_permission(self, request):
        return is_operator(request)

    def has_delete_permission(self, request, obj=None):
        return is_operator(request)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "post", "role"]

    # Set per request by MembershipAdmin.get_form.
    current_user = None

    def clean(self):
        cleaned = super().clean()
        user = self.current_user
        if user is not None and not user.is_superuser and cleaned.get("user") == user:
            # Nobody changes their own role: that would be a way to give oneself content access.
            raise forms.ValidationError("You cannot change your own membership; ask another administrator.")
        return cleaned


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin, SimpleHistoryAdmin):
    """The admin role manages the memberships of its posts (never its own)."""

    form = MembershipAdminForm
    list_display = ["user", "post", "role"]
    list_filter = ["role", ("post", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user", "post")
        return queryset if is_operator(request) else queryset.filter(post_id__in=managed_posts(request))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.current_user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_operator(request):
            if db_field.name == "post":
                kwargs["queryset"] = Post.objects.filter(pk__in=managed_posts(request))
            if db_field.name == "user":
                kwargs["queryset"] = get_user_model().objects.filter(is_superuser=False).exclude(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return is_user_manager(request)

    def has_view_permission(self, request, obj=None):
        return is_user_manager(request)

    def has_add_permission(self, request):
        return is_user_manager(request)

    def has_change_permission(self, request, obj=None):
        return is_user_manager(request) and (obj is None or is_operator(request) or obj.user_id != request.user.pk)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if obj.role == Role.ADMIN and not obj.user.is_staff:
            # Administrators work in the Django admin: provisioning gives them staff status.
            obj.user.is_staff = True
            obj.user.save(update_fields=["is_staff"])
        super().save_model(request, obj, form, change)
        policy.forget_roles(obj.user)


@admin.register(Organization)
class OrganizationAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "post", "channel"]
    list_filter = ["kind", "post", "channel"]
    search_fields = ["name", "acronym"]
    list_select_related = ["post"]
    autocomplete_fields = ["parent"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Counterpart)
class CounterpartAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = [
        "family_name",
        "given_names",
        "rank_title",
        "nato_grade",
        "service",
        "status",
        "post",
        "channel",
    ]
    list_filter = ["service", "status", "nato_grade", "post", "channel"]
    search_fields = ["family_name", "given_names", "native_name", "aliases"]
    inlines = [AppointmentInline]
    list_select_related = ["post"]
    autocomplete_fields = ["organization"]
