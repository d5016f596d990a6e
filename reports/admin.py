from django.contrib import admin

from .models import AuditEvent, Cable, CableParagraph


class CableParagraphInline(admin.TabularInline):
    model = CableParagraph
    extra = 0


@admin.register(Cable)
class CableAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "status", "period_start", "post", "marking", "channel"]
    list_filter = ["kind", "status", "post"]
    inlines = [CableParagraphInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_id", "outcome", "ip"]
    list_filter = ["action", "outcome"]
    search_fields = ["username", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
