"""/api/v1/ meetings (with participants and follow-ups), agreements (with their status log),
exercises (with their phase log) and action-items (follow-ups).

Reads through policy.visible(); every reference to another record (a participant, a linked
agreement, a follow-up, a party …) is listed only when the reader may see that record too, so a
hidden record is never named. Writes call engagements.services; lifecycle steps have their own
actions (agreement status and exercise phase, the one lifecycle action of attache_crm.lifecycle;
follow-up close), each with If-Match.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Prefetch
from rest_framework import serializers
from rest_framework.decorators import action

from attache_crm.api.filters import (
    BooleanFilter,
    CountryFilter,
    DateFilter,
    DateTimeFilter,
    IdFilter,
    RecordFilterSet,
    VisibleIdFilter,
)
from attache_crm.api.serializers import (
    BoundedDateField,
    CountryListField,
    CountryListOutField,
    CountryOutField,
    OutputModelSerializer,
    PostMemberField,
    RecordInputSerializer,
    RecordSerializer,
    StrictInputSerializer,
    UserRefSerializer,
    VisibleRecordField,
    create_input,
    id_list_field,
    optional_text_field,
)
from attache_crm.api.viewsets import WritableRecordViewSet, record_schema
from attache_crm.lifecycle.api import NextStatesField, log_serializer, step_action, step_input_serializer
from contacts.api import OrganizationRefSerializer
from contacts.api import RestrictedNotesInputMixin as _RestrictedNotesInputMixin
from contacts.models import Counterpart, Organization
from tenancy import policy

from . import services
from .choices import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    ExerciseKind,
    ExercisePhase,
    MeetingKind,
    MeetingStatus,
)
from .lifecycles import AGREEMENT_LIFECYCLE, EXERCISE_LIFECYCLE
from .models import (
    ActionItem,
    Agreement,
    Exercise,
    Meeting,
    MeetingParticipant,
)


def _visible_exists(user, model, field):
    return Exists(policy.visible(user, model).filter(pk=OuterRef(field)))


# ---------------------------------------------------------------- output pieces


class CounterpartRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class ParticipantSerializer(OutputModelSerializer):
    counterpart = CounterpartRefSerializer(read_only=True)

    class Meta:
        model = MeetingParticipant
        fields = [
            "counterpart",
            "position_at_time",
            "rank_title_at_time",
            "nato_grade_at_time",
        ]
        read_only_fields = fields


class TitledRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class FollowUpSerializer(OutputModelSerializer):
    assignee = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ActionItem
        fields = ["id", "description", "assignee", "due_on", "status", "completed_at"]
        read_only_fields = fields


def visible_ref(field_name: str, serializer_class):
    """A reference shown only when annotated `<field>_visible` is true (else null)."""

    class VisibleRef(serializer_class):
        def get_attribute(self, instance):
            if not getattr(instance, f"{field_name}_visible", False):
                return None
            return getattr(instance, field_name)

    VisibleRef.__name__ = f"Visible{field_name.title()}RefSerializer"
    return VisibleRef(read_only=True, allow_null=True)


# ---------------------------------------------------------------- output serializers


class MeetingSerializer(RecordSerializer):
    RESTRICTED_FIELDS = ("restricted_notes",)

    participants = ParticipantSerializer(many=True, read_only=True)
    attendees = UserRefSerializer(many=True, read_only=True)
    agreements = TitledRefSerializer(many=True, read_only=True)
    exercises = NamedRefSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True, source="action_items")
    restricted_notes = optional_text_field(help_text="Attaché channel only: absent for others.")

    class Meta:
        model = Meeting
        fields = [
            "id", "post", "title", "kind", "status", "starts_at", "ends_at", "location",
            "participants", "attendees", "objectives", "summary", "outcome", "restricted_notes",
            "include_in_weekly", "agreements", "exercises", "follow_ups",
            "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f != "restricted_notes"]


class AgreementSerializer(RecordSerializer):
    parties = OrganizationRefSerializer(many=True, read_only=True)
    status_log = log_serializer(AGREEMENT_LIFECYCLE)
    next_statuses = NextStatesField(AGREEMENT_LIFECYCLE)

    class Meta:
        model = Agreement
        fields = [
            "id", "post", "title", "kind", "status", "next_statuses", "parties", "signed_on",
            "effective_on", "expires_on", "review_on", "summary", "status_log",
            "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ExerciseSerializer(RecordSerializer):
    host_country = CountryOutField()
    participating_countries = CountryListOutField()
    counterparts = CounterpartRefSerializer(many=True, read_only=True)
    phase_log = log_serializer(EXERCISE_LIFECYCLE)
    next_phases = NextStatesField(EXERCISE_LIFECYCLE)

    class Meta:
        model = Exercise
        fields = [
            "id", "post", "name", "kind", "host_country", "participating_countries", "starts_on",
            "ends_on", "location", "phase", "next_phases", "summary", "ipc_on", "mpc_on", "fpc_on",
            "counterparts", "phase_log", "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ActionItemSerializer(RecordSerializer):
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    meeting = visible_ref("meeting", TitledRefSerializer)
    agreement = visible_ref("agreement", TitledRefSerializer)
    exercise = visible_ref("exercise", NamedRefSerializer)

    class Meta:
        model = ActionItem
        fields = [
            "id", "post", "description", "assignee", "due_on", "status", "completed_at",
            "meeting", "agreement", "exercise", "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


# ---------------------------------------------------------------- input


class FollowUpInputSerializer(StrictInputSerializer):
    description = serializers.CharField(max_length=500)
    assignee = PostMemberField(allow_null=True, required=False)
    due_on = BoundedDateField(allow_null=True, required=False)


MEETING_INPUT_FIELDS = [
    "title", "kind", "status", "starts_at", "ends_at", "location", "objectives", "summary", "outcome",
    "restricted_notes", "include_in_weekly", "counterparts", "attendees", "agreements", "exercises",
    "marking", "channel",
]  # fmt: skip


class MeetingUpdateSerializer(_RestrictedNotesInputMixin, RecordInputSerializer):
    counterparts = id_list_field(VisibleRecordField(Counterpart))
    attendees = id_list_field(PostMemberField())
    agreements = id_list_field(VisibleRecordField(Agreement))
    exercises = id_list_field(VisibleRecordField(Exercise))

    class Meta:
        model = Meeting
        fields = MEETING_INPUT_FIELDS


MeetingCreateSerializer = create_input(
    MeetingUpdateSerializer,
    "follow_ups",
    follow_ups=serializers.ListField(child=FollowUpInputSerializer(), required=False, max_length=50),
)


AGREEMENT_INPUT_FIELDS = [
    "title", "kind", "parties", "signed_on", "effective_on", "expires_on", "review_on", "summary",
    "marking", "channel",
]  # fmt: skip


class AgreementUpdateSerializer(RecordInputSerializer):
    parties = id_list_field(VisibleRecordField(Organization))

    class Meta:
        model = Agreement
        fields = AGREEMENT_INPUT_FIELDS


AgreementCreateSerializer = create_input(AgreementUpdateSerializer, "status")


AgreementStatusInputSerializer = step_input_serializer(AGREEMENT_LIFECYCLE)


EXERCISE_INPUT_FIELDS = [
    "name", "kind", "host_country", "participating_countries", "starts_on", "ends_on", "location",
    "summary", "ipc_on", "mpc_on", "fpc_on", "counterparts", "marking", "channel",
]  # fmt: skip


class ExerciseUpdateSerializer(RecordInputSerializer):
    counterparts = id_list_field(VisibleRecordField(Counterpart))
    participating_countries = CountryListField(required=False)

    class Meta:
        model = Exercise
        fields = EXERCISE_INPUT_FIELDS


ExerciseCreateSerializer = create_input(ExerciseUpdateSerializer, "phase")


ExercisePhaseInputSerializer = step_input_serializer(EXERCISE_LIFECYCLE)


ACTION_ITEM_INPUT_FIELDS = [
    "description",
    "assignee",
    "due_on",
    "status",
    "meeting",
    "agreement",
    "exercise",
    "marking",
    "channel",
]


class ActionItemUpdateSerializer(RecordInputSerializer):
    assignee = PostMemberField(allow_null=True, required=False)
    meeting = VisibleRecordField(Meeting, allow_null=True, required=False)
    agreement = VisibleRecordField(Agreement, allow_null=True, required=False)
    exercise = VisibleRecordField(Exercise, allow_null=True, required=False)

    class Meta:
        model = ActionItem
        fields = ACTION_ITEM_INPUT_FIELDS


ActionItemCreateSerializer = create_input(ActionItemUpdateSerializer)


class ActionItemCloseSerializer(StrictInputSerializer):
    status = serializers.ChoiceField(
        choices=[(ActionStatus.DONE, "Done"), (ActionStatus.DROPPED, "Dropped")],
        required=False,
    )


# ---------------------------------------------------------------- filters


class MeetingFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    counterpart = VisibleIdFilter(field_name="participants__counterpart_id", model=Counterpart, distinct=True)
    agreement = VisibleIdFilter(field_name="agreements__id", model=Agreement, distinct=True)
    exercise = VisibleIdFilter(field_name="exercises__id", model=Exercise, distinct=True)
    include_in_weekly = BooleanFilter()
    starts_after = DateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = DateTimeFilter(field_name="starts_at", lookup_expr="lt")
    search = django_filters.CharFilter(field_name="title", lookup_expr="icontains", max_length=200)

    class Meta(RecordFilterSet.Meta):
        model = Meeting
        fields: list[str] = []


class AgreementFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices)
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices)
    party = VisibleIdFilter(field_name="parties__id", model=Organization, distinct=True)
    expires_before = DateFilter(field_name="expires_on", lookup_expr="lte")
    expires_after = DateFilter(field_name="expires_on", lookup_expr="gte")
    search = django_filters.CharFilter(field_name="title", lookup_expr="icontains", max_length=200)

    class Meta(RecordFilterSet.Meta):
        model = Agreement
        fields: list[str] = []


class ExerciseFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=ExerciseKind.choices)
    phase = django_filters.ChoiceFilter(choices=ExercisePhase.choices)
    host_country = CountryFilter()
    counterpart = VisibleIdFilter(field_name="counterparts__id", model=Counterpart, distinct=True)
    starts_after = DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = DateFilter(field_name="starts_on", lookup_expr="lte")
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=200)

    class Meta(RecordFilterSet.Meta):
        model = Exercise
        fields: list[str] = []


class ActionItemFilter(RecordFilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    assignee = IdFilter(field_name="assignee_id")
    mine = BooleanFilter(method="filter_mine", help_text="Only follow-ups assigned to me.")
    meeting = VisibleIdFilter(field_name="meeting_id", model=Meeting)
    agreement = VisibleIdFilter(field_name="agreement_id", model=Agreement)
    exercise = VisibleIdFilter(field_name="exercise_id", model=Exercise)
    due_before = DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta(RecordFilterSet.Meta):
        model = ActionItem
        fields: list[str] = []

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)


# ---------------------------------------------------------------- endpoints


@record_schema(
    tag="meetings",
)
class MeetingViewSet(WritableRecordViewSet):
    """Meetings with their participants (rank and position at the time), attendees, links and follow-ups."""

    model = Meeting
    serializer_class = MeetingSerializer
    create_serializer_class = MeetingCreateSerializer
    update_serializer_class = MeetingUpdateSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at", "title", "updated_at", "created_at"]
    default_ordering = ("-starts_at", "-pk")
    create_service = services.meeting_log
    update_service = services.meeting_update

    def optimize(self, queryset):
        user = self.request.user
        participants = (
            MeetingParticipant.objects.filter(counterpart__in=policy.visible(user, Counterpart))
            .select_related("counterpart")
            .order_by("id")
        )
        follow_ups = policy.visible(user, ActionItem).select_related("assignee").order_by("due_on", "id")
        return queryset.select_related("created_by").prefetch_related(
            Prefetch("participants", queryset=participants),
            Prefetch("attendees"),
            Prefetch(
                "agreements",
                queryset=policy.visible(user, Agreement).only("id", "title").order_by("id"),
            ),
            Prefetch(
                "exercises",
                queryset=policy.visible(user, Exercise).only("id", "name").order_by("id"),
            ),
            Prefetch("action_items", queryset=follow_ups),
        )


@record_schema(
    tag="agreements",
    actions={
        "change_status": (
            AgreementStatusInputSerializer,
            "Move the agreement to its next status",
        )
    },
)
class AgreementViewSet(WritableRecordViewSet):
    """Agreements with their parties and the dated log of every status change."""

    model = Agreement
    serializer_class = AgreementSerializer
    create_serializer_class = AgreementCreateSerializer
    update_serializer_class = AgreementUpdateSerializer
    filterset_class = AgreementFilter
    ordering_fields = [
        "title",
        "status",
        "signed_on",
        "expires_on",
        "updated_at",
        "created_at",
    ]
    default_ordering = ("-updated_at", "-pk")
    create_service = services.agreement_create
    update_service = services.agreement_update

    def optimize(self, queryset):
        user = self.request.user
        return queryset.select_related("created_by").prefetch_related(
            Prefetch(
                "parties",
                queryset=policy.visible(user, Organization).order_by("name", "id"),
            ),
            AGREEMENT_LIFECYCLE.prefetch_log(),
        )

    change_status = step_action(AGREEMENT_LIFECYCLE, AgreementStatusInputSerializer)


@record_schema(
    tag="exercises",
    actions={
        "change_phase": (
            ExercisePhaseInputSerializer,
            "Move the exercise to a later planning phase",
        )
    },
)
class ExerciseViewSet(WritableRecordViewSet):
    """Exercises with the counterparts involved and the dated log of their planning phases."""

    model = Exercise
    serializer_class = ExerciseSerializer
    create_serializer_class = ExerciseCreateSerializer
    update_serializer_class = ExerciseUpdateSerializer
    filterset_class = ExerciseFilter
    ordering_fields = ["starts_on", "name", "phase", "updated_at", "created_at"]
    default_ordering = ("-starts_on", "-pk")
    create_service = services.exercise_create
    update_service = services.exercise_update

    def optimize(self, queryset):
        user = self.request.user
        return queryset.select_related("created_by").prefetch_related(
            Prefetch(
                "counterparts",
                queryset=policy.visible(user, Counterpart).only("id", "family_name", "given_names").order_by("id"),
            ),
            EXERCISE_LIFECYCLE.prefetch_log(),
        )

    change_phase = step_action(EXERCISE_LIFECYCLE, ExercisePhaseInputSerializer)


@record_schema(
    tag="action-items",
    actions={
        "close": (
            ActionItemCloseSerializer,
            "Close the follow-up as done (default) or dropped",
        )
    },
)
class ActionItemViewSet(WritableRecordViewSet):
    """Follow-ups (action items) from meetings, agreements and exercises."""

    model = ActionItem
    serializer_class = ActionItemSerializer
    create_serializer_class = ActionItemCreateSerializer
    update_serializer_class = ActionItemUpdateSerializer
    filterset_class = ActionItemFilter
    ordering_fields = ["due_on", "status", "updated_at", "created_at"]
    default_ordering = ("due_on", "pk")
    create_service = services.action_item_create

    def optimize(self, queryset):
        user = self.request.user
        return queryset.select_related("assignee", "created_by", "meeting", "agreement", "exercise").annotate(
            meeting_visible=_visible_exists(user, Meeting, "meeting_id"),
            agreement_visible=_visible_exists(user, Agreement, "agreement_id"),
            exercise_visible=_visible_exists(user, Exercise, "exercise_id"),
        )

    def perform_service_update(self, *, instance, data):
        return services.action_item_update(item=instance, by=self.request.user, **data)

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self.state_change(
            request,
            action="change",
            serializer_class=ActionItemCloseSerializer,
            perform=lambda item, data: services.action_item_close(item=item, by=request.user, **data),
        )
