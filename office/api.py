"""/api/v1/ clearances (with their lifecycle step) and gifts.

Reads through policy.visible(); a gift's counterpart and meeting are named only when the reader may
see them. Writes call office.services; the clearance status moves by the one lifecycle action of
attache_crm.lifecycle (CLEARANCE_LIFECYCLE), with If-Match.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef

from attache_crm.api.filters import BooleanFilter, DateFilter, RecordFilterSet
from attache_crm.api.serializers import (
    CountryOutField,
    RecordInputSerializer,
    RecordSerializer,
    VisibleRecordField,
    create_input,
)
from attache_crm.api.viewsets import WritableRecordViewSet, record_schema
from attache_crm.lifecycle.api import NextStatesField, log_serializer, step_action, step_input_serializer
from contacts.models import Counterpart
from engagements.api import CounterpartRefSerializer, TitledRefSerializer, visible_ref
from engagements.models import Meeting
from tenancy import policy

from . import services
from .choices import ClearanceKind, ClearanceStatus, GiftDirection, GiftDisposition
from .lifecycles import CLEARANCE_LIFECYCLE
from .models import Clearance, Gift

# ---------------------------------------------------------------- output


class ClearanceSerializer(RecordSerializer):
    status_log = log_serializer(CLEARANCE_LIFECYCLE)
    next_statuses = NextStatesField(CLEARANCE_LIFECYCLE)

    class Meta:
        model = Clearance
        fields = [
            "id", "post", "kind", "mission", "itinerary", "starts_on", "ends_on", "submit_by", "status",
            "next_statuses", "submitted_on", "host_reference", "replied_on", "host_reply", "status_log",
            "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


def _gift_ref(field_name: str, serializer_class):
    """A visible-only reference named for gifts: the schema needs one component name per class."""
    ref = visible_ref(field_name, serializer_class)
    type(ref).__name__ = f"GiftVisible{field_name.title()}RefSerializer"
    return ref


class GiftSerializer(RecordSerializer):
    counterpart = _gift_ref("counterpart", CounterpartRefSerializer)
    meeting = _gift_ref("meeting", TitledRefSerializer)
    government = CountryOutField()

    class Meta:
        model = Gift
        fields = [
            "id", "post", "direction", "official", "counterpart", "government", "received_on", "meeting",
            "description", "value_usd", "value_basis", "recipient", "disposition", "disposed_on",
            "threshold_usd", "report_due_on", "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


# ---------------------------------------------------------------- input

CLEARANCE_INPUT_FIELDS = [
    "kind", "mission", "itinerary", "starts_on", "ends_on", "host_reference", "host_reply", "marking", "channel",
]  # fmt: skip
GIFT_INPUT_FIELDS = [
    "direction", "official", "counterpart", "government", "received_on", "meeting", "description", "value_usd",
    "value_basis", "recipient", "disposition", "disposed_on", "marking", "channel",
]  # fmt: skip


class ClearanceUpdateSerializer(RecordInputSerializer):
    class Meta:
        model = Clearance
        fields = CLEARANCE_INPUT_FIELDS


ClearanceCreateSerializer = create_input(ClearanceUpdateSerializer)


ClearanceStatusInputSerializer = step_input_serializer(CLEARANCE_LIFECYCLE)


class GiftUpdateSerializer(RecordInputSerializer):
    counterpart = VisibleRecordField(Counterpart, allow_null=True, required=False)
    meeting = VisibleRecordField(Meeting, allow_null=True, required=False)

    class Meta:
        model = Gift
        fields = GIFT_INPUT_FIELDS


GiftCreateSerializer = create_input(GiftUpdateSerializer)


# ---------------------------------------------------------------- filters


class ClearanceFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=ClearanceKind.choices)
    status = django_filters.ChoiceFilter(choices=ClearanceStatus.choices)
    starts_after = DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = DateFilter(field_name="starts_on", lookup_expr="lte")
    search = django_filters.CharFilter(field_name="mission", lookup_expr="icontains", max_length=120)

    class Meta(RecordFilterSet.Meta):
        model = Clearance
        fields: list[str] = []


class GiftFilter(RecordFilterSet):
    direction = django_filters.ChoiceFilter(choices=GiftDirection.choices)
    disposition = django_filters.ChoiceFilter(choices=[c for c in GiftDisposition.choices if c[0]])
    undisposed = BooleanFilter(
        method="filter_undisposed", help_text="Received above the minimal value, not disposed of."
    )
    received_after = DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta(RecordFilterSet.Meta):
        model = Gift
        fields: list[str] = []

    def filter_undisposed(self, queryset, name, value):
        undisposed = {"report_due_on__isnull": False, "disposition": GiftDisposition.UNDISPOSED}
        return queryset.filter(**undisposed) if value else queryset.exclude(**undisposed)


# ---------------------------------------------------------------- endpoints


@record_schema(
    tag="clearances",
    actions={"change_status": (ClearanceStatusInputSerializer, "Move the request to its next status")},
)
class ClearanceViewSet(WritableRecordViewSet):
    """Diplomatic clearance requests with their submit-by day (the host nation's lead time) and status."""

    model = Clearance
    serializer_class = ClearanceSerializer
    create_serializer_class = ClearanceCreateSerializer
    update_serializer_class = ClearanceUpdateSerializer
    filterset_class = ClearanceFilter
    ordering_fields = ["starts_on", "submit_by", "status", "updated_at", "created_at"]
    default_ordering = ("starts_on", "pk")
    create_service = services.clearance_create
    update_service = services.clearance_update

    def optimize(self, queryset):
        return queryset.select_related("created_by").prefetch_related(CLEARANCE_LIFECYCLE.prefetch_log())

    change_status = step_action(CLEARANCE_LIFECYCLE, ClearanceStatusInputSerializer)


@record_schema(tag="gifts")
class GiftViewSet(WritableRecordViewSet):
    """The foreign gift register: gifts received and given, with their report terms and disposition."""

    model = Gift
    serializer_class = GiftSerializer
    create_serializer_class = GiftCreateSerializer
    update_serializer_class = GiftUpdateSerializer
    filterset_class = GiftFilter
    ordering_fields = ["received_on", "value_usd", "report_due_on", "updated_at", "created_at"]
    default_ordering = ("-received_on", "-pk")
    create_service = services.gift_create
    update_service = services.gift_update

    def optimize(self, queryset):
        user = self.request.user
        return queryset.select_related("created_by", "counterpart", "meeting").annotate(
            counterpart_visible=Exists(policy.visible(user, Counterpart).filter(pk=OuterRef("counterpart_id"))),
            meeting_visible=Exists(policy.visible(user, Meeting).filter(pk=OuterRef("meeting_id"))),
        )
