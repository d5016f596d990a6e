from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tenancy.admin_access import OperatorOnlyAdmin
from tenancy.models import Post

from . import last_contact, meeting_weeks
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

    # Last contacts and weekly counts follow whatever the admin changes: the people a meeting had
    # and has, the week it was in and is in (a version restored from its history is saved without
    # the inlines).
    def save_model(self, request, obj, form, change):
        before = _starts(Meeting.objects.filter(pk=obj.pk))
        super().save_model(request, obj, form, change)
        last_contact.refresh(_counterpart_ids(Meeting.objects.filter(pk=obj.pk)))
        meeting_weeks.refresh(obj.post, [*before, obj.starts_at])

    def save_related(self, request, form, formsets, change):
        before = _counterpart_ids(Meeting.objects.filter(pk=form.instance.pk))
        super().save_related(request, form, formsets, change)
        last_contact.refresh(before | _counterpart_ids(Meeting.objects.filter(pk=form.instance.pk)))

    def delete_model(self, request, obj):
        self.delete_queryset(request, Meeting.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        people, weeks = _counterpart_ids(queryset), list(queryset.values_list("post", "starts_at"))
        super().delete_queryset(request, queryset)
        last_contact.refresh(people)
        for post in Post.objects.filter(pk__in={post_id for post_id, _ in weeks}):
            meeting_weeks.refresh(post, [starts for post_id, starts in weeks if post_id == post.pk])


def _starts(meetings) -> list:
    return list(meetings.values_list("starts_at", flat=True))


def _counterpart_ids(meetings) -> set[int]:
    return set(MeetingParticipant.objects.filter(meeting__in=meetings).values_list("counterpart_id", flat=True))


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
