from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attache_crm import policy
from attache_crm.accounts.admin_access import AuditedAdmin, OperatorOnlyAdmin

from .models import Appointment, Counterpart, Membership, Organization, Post


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
