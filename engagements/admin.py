from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tenancy.admin_access import OperatorOnlyAdmin

from .models import (
    ActionItem,
    Agreement,
    AgreementStatusChange,
    Exercise,
    ExercisePhaseChange,
    Meeting,
    MeetingParticipant,
)


class MeetingParticipantInline(admin.TabularInline):
    model = MeetingParticipant
    extra = 0
    raw_id_fields = ["counterpart"]


@admin.register(Meeting)
class MeetingAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "status", "post", "channel"]
    list_filter = ["kind", "status", "post", "channel"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [MeetingParticipantInline]
    filter_horizontal = ["attendees", "agreements", "exercises"]


class AgreementStatusChangeInline(admin.TabularInline):
    model = AgreementStatusChange
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "status", "expires_on", "post", "channel"]
    list_filter = ["kind", "status", "post", "channel"]
    search_fields = ["title"]
    inlines = [AgreementStatusChangeInline]


class ExercisePhaseChangeInline(admin.TabularInline):
    model = ExercisePhaseChange
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "phase", "starts_on", "ends_on", "post", "channel"]
    list_filter = ["kind", "phase", "post", "channel"]
    search_fields = ["name"]
    inlines = [ExercisePhaseChangeInline]


@admin.register(ActionItem)
class ActionItemAdmin(OperatorOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["description", "assignee", "due_on", "status", "post"]
    list_filter = ["status", "post"]
    search_fields = ["description"]
