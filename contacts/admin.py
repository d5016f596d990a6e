from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Appointment, Counterpart, Membership, Organization, Post


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "host_country", "cable_country_tag", "timezone"]
    search_fields = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "post", "role"]
    list_filter = ["role", "post"]
    search_fields = ["user__username"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "post", "channel"]
    list_filter = ["kind", "post", "channel"]
    search_fields = ["name", "acronym"]


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0


@admin.register(Counterpart)
class CounterpartAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_names", "rank_title", "nato_grade", "service", "status", "post", "channel"]
    list_filter = ["service", "status", "nato_grade", "post", "channel"]
    search_fields = ["family_name", "given_names", "native_name", "aliases"]
    inlines = [AppointmentInline]
