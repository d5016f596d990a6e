from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tenancy.admin_access import OperatorOnlyAdmin

from .models import Appointment, Counterpart, Organization


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
