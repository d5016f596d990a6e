from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tenancy.admin_access import OperatorOnlyAdmin

from . import services
from .models import Clearance, ClearanceLeadTime, ClearanceStatusChange, Gift, GiftThreshold


class ClearanceStatusChangeInline(admin.TabularInline):
    model = ClearanceStatusChange
    extra = 0


@admin.register(Clearance)
class ClearanceAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["mission", "kind", "status", "starts_on", "submit_by", "post", "channel"]
    list_filter = ["kind", "status", "post", "channel"]
    search_fields = ["mission", "host_reference"]
    date_hierarchy = "starts_on"
    inlines = [ClearanceStatusChangeInline]


@admin.register(ClearanceLeadTime)
class ClearanceLeadTimeAdmin(OperatorOnlyAdmin, admin.ModelAdmin):
    list_display = ["post", "kind", "days", "working_days"]
    list_filter = ["post", "kind"]


@admin.register(Gift)
class GiftAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["description", "direction", "received_on", "value_usd", "report_due_on", "disposition", "post"]
    list_filter = ["direction", "disposition", "post", "channel"]
    search_fields = ["description", "official"]
    date_hierarchy = "received_on"
    raw_id_fields = ["counterpart", "meeting"]


@admin.register(GiftThreshold)
class GiftThresholdAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    """Operators enter the minimal values; the gifts they govern get their report terms again."""

    list_display = ["effective_on", "value_usd"]

    def save_model(self, request, obj, form, change):
        before = form.initial.get("effective_on") if change else None
        super().save_model(request, obj, form, change)
        services.gift_terms_refresh(since=min(filter(None, [before, obj.effective_on])))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.gift_terms_refresh(since=obj.effective_on)
