"""/api/v1/cables/: read what the policy shows; editors (attachés, the chief) edit drafts; the chief
returns, widens (past the channel of the sources, with a reason) or releases them. Every change goes through reports.services with If-Match; a released
cable is frozen (403 on any change)."""

from __future__ import annotations

import hashlib

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action

from attache_crm.api.filters import DateFilter, RecordFilterSet
from attache_crm.api.schema import IF_MATCH
from attache_crm.api.serializers import (
    MarkingInputField,
    OutputModelSerializer,
    RecordSerializer,
    StrictInputSerializer,
    UserRefSerializer,
)
from attache_crm.api.viewsets import PartialUpdateMixin, RecordViewSet
from tenancy.markings import Channel

from . import services
from .models import (
    Cable,
    CableKind,
    CableParagraph,
    CableStatus,
    ParagraphBlock,
    Precedence,
)
from .rendering import cable_text


class ParagraphSerializer(OutputModelSerializer):
    class Meta:
        model = CableParagraph
        fields = ["id", "position", "heading", "block", "marking", "channel", "text"]
        read_only_fields = fields


class CableSerializer(RecordSerializer):
    serial = serializers.CharField(read_only=True)
    released_by = UserRefSerializer(read_only=True, allow_null=True)
    paragraphs = ParagraphSerializer(many=True, read_only=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = Cable
        fields = [
            "id", "post", "kind", "serial", "status", "precedence", "period_start", "period_end",
            "subject", "tags", "marking", "channel", "paragraphs", "text", "return_note",
            "drafted_at", "released_by", "released_at", "sha256", "corrects",
            "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_text(self, obj) -> str:
        """The plain-text cable (DESIGN §4): frozen once released, rendered now for a draft."""
        return cable_text(obj)


class ParagraphInputSerializer(StrictInputSerializer):
    id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="An existing paragraph.",
    )
    heading = serializers.CharField(max_length=60, required=False, allow_blank=True)
    block = serializers.ChoiceField(choices=ParagraphBlock.choices, required=False, allow_blank=True)
    marking = MarkingInputField(required=False)
    channel = serializers.ChoiceField(
        choices=[(Channel.POST, "Post"), (Channel.ATTACHE, "Attaché channel")],
        required=False,
    )
    text = serializers.CharField(max_length=20_000, required=False)


class CableUpdateSerializer(StrictInputSerializer):
    subject = serializers.CharField(max_length=250, required=False)
    precedence = serializers.ChoiceField(choices=Precedence.choices, required=False)
    tags = serializers.CharField(max_length=200, required=False, allow_blank=True)
    paragraphs = serializers.ListField(
        child=ParagraphInputSerializer(),
        required=False,
        min_length=1,
        max_length=200,
        help_text="The whole list, in order: paragraphs left out are removed; with `id` an existing one is kept.",
    )

    def validate_paragraphs(self, value):
        instance = self.context.get("instance")
        known = set(instance.paragraphs.values_list("pk", flat=True)) if instance is not None else set()
        errors = {}
        seen = set()
        for index, paragraph in enumerate(value):
            pk = paragraph.get("id")
            if pk is not None and (pk not in known or pk in seen):
                errors[index] = {"id": ["Not a paragraph of this cable (or given twice)."]}
            elif pk is None and not paragraph.get("text", "").strip():
                errors[index] = {"text": ["A new paragraph needs its text."]}
            seen.add(pk)
        if errors:
            raise serializers.ValidationError([errors.get(i, {}) for i in range(len(value))])
        return value


class ReturnInputSerializer(StrictInputSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text="Why it goes back.")


class WidenInputSerializer(StrictInputSerializer):
    channel = serializers.ChoiceField(
        choices=[(Channel.POST, "Post")], required=False, default=Channel.POST, help_text="The wider channel."
    )
    reason = serializers.CharField(
        max_length=services.WIDEN_REASON_MAX,
        help_text="Why the wider readership may read it (kept in the audit log).",
    )


class EmptyInputSerializer(StrictInputSerializer):
    """No fields: the body may be empty or `{}`."""


class CableFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=CableKind.choices)
    status = django_filters.ChoiceFilter(choices=CableStatus.choices)
    period_after = DateFilter(field_name="period_start", lookup_expr="gte")
    period_before = DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta(RecordFilterSet.Meta):
        model = Cable
        fields: list[str] = []


def _action_schema(request, summary):
    return extend_schema(
        tags=["cables"],
        request=request,
        responses={200: CableSerializer},
        parameters=[IF_MATCH],
        summary=summary,
    )


@extend_schema_view(
    list=extend_schema(tags=["cables"]),
    retrieve=extend_schema(tags=["cables"]),
    partial_update=extend_schema(
        tags=["cables"],
        request=CableUpdateSerializer,
        responses={200: CableSerializer},
        parameters=[IF_MATCH],
    ),
    release=_action_schema(EmptyInputSerializer, "Release the cable (chief): numbered and frozen"),
    return_for_edits=_action_schema(ReturnInputSerializer, "Return the draft to its drafters (chief)"),
    resubmit=_action_schema(EmptyInputSerializer, "Send a returned draft back for release (drafters)"),
    widen=_action_schema(WidenInputSerializer, "Widen the channel past its sources, with a reason (chief)"),
)
class CableViewSet(PartialUpdateMixin, RecordViewSet):
    """Reporting cables: weekly summaries and contact reports."""

    model = Cable
    serializer_class = CableSerializer
    update_serializer_class = CableUpdateSerializer
    filterset_class = CableFilter
    ordering_fields = ["period_start", "released_at", "updated_at", "created_at"]
    default_ordering = ("-period_start", "-pk")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def optimize(self, queryset):
        return queryset.select_related("post", "released_by", "created_by").prefetch_related(
            Prefetch("paragraphs", queryset=CableParagraph.objects.order_by("position", "id"))
        )

    def version_extra(self, obj) -> str:
        # Paragraph rows change with the cable, but hash them too: the tag must never repeat for
        # a different text.
        rows = CableParagraph.objects.filter(cable_id=obj.pk).order_by("position", "id")
        digest = hashlib.sha256()
        for row in rows.values_list("id", "position", "heading", "block", "marking", "channel", "text"):
            digest.update(repr(row).encode())
        return f"{obj.status}:{digest.hexdigest()}"

    def perform_service_update(self, *, instance, data):
        paragraphs = data.pop("paragraphs", None)
        if paragraphs is None:
            paragraphs = [
                {"id": pk} for pk in instance.paragraphs.order_by("position", "id").values_list("pk", flat=True)
            ]
        return services.cable_update(cable=instance, by=self.request.user, paragraphs=paragraphs, **data)

    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self.state_change(
            request,
            action="release",
            serializer_class=EmptyInputSerializer,
            perform=lambda cable, data: services.cable_release(cable=cable, by=request.user, request=request._request),
        )

    @action(detail=True, methods=["post"], url_path="return")
    def return_for_edits(self, request, pk=None):
        return self.state_change(
            request,
            action="release",
            serializer_class=ReturnInputSerializer,
            perform=lambda cable, data: services.cable_return(cable=cable, by=request.user, **data),
        )

    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        return self.state_change(
            request,
            action="change",
            serializer_class=EmptyInputSerializer,
            perform=lambda cable, data: services.cable_resubmit(cable=cable, by=request.user),
        )

    @action(detail=True, methods=["post"])
    def widen(self, request, pk=None):
        return self.state_change(
            request,
            action="widen",
            serializer_class=WidenInputSerializer,
            perform=lambda cable, data: services.cable_widen(
                cable=cable, by=request.user, request=request._request, **data
            ),
        )
