from django.contrib import admin

from tenancy.admin_access import OperatorOnlyAdmin

from .models import Cable, CableParagraph


class CableParagraphInline(OperatorOnlyAdmin, admin.TabularInline):
    model = CableParagraph
    extra = 0

    # A released cable's paragraphs are shown, never edited, added or removed.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_released)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_released)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_released)


@admin.register(Cable)
class CableAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    """For the deployment's operators; a released cable is read-only here as everywhere."""

    list_display = ["subject", "kind", "status", "period_start", "post", "marking", "channel"]
    list_filter = ["kind", "status", "post"]
    readonly_fields = [
        "marking",
        "channel",
        "channel_floor",
        "status",
        "serial",
        "released_by",
        "released_at",
        "sha256",
    ]
    inlines = [CableParagraphInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_released)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_released)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Marking and channel follow the paragraphs, whoever edits them; the channel never widens here.
        cable = form.instance
        cable.settle(cable.paragraphs.all())
        cable.save(update_fields=["marking", "channel", "channel_floor", "updated_at"])
