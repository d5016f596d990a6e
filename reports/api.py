"""/api/v1/cables/: read what the policy shows; editors (attachés, the chief) edit and redraft drafts
and start corrections of released cables; the chief returns, widens (past the channel of the
sources, with a reason) or releases them (before a week's cutoff, with a reason), and asks
colleagues to clear (or names an attaché who does). Every change goes through the services with
If-Match; a released cable is frozen (403 on any change)."""

from __future__ import annotations

import hashlib

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

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
from tenancy import policy
from tenancy.markings import Channel

from . import clearances, services
from .models import (
    Cable,
    CableKind,
    CableParagraph,
    CableStatus,
    Clearance,
    ParagraphBlock,
    Precedence,
)
from .rendering import cable_text


class ParagraphSerializer(OutputModelSerializer):
    class Meta:
        model = CableParagraph
        fields = ["id", "position", "heading", "block", "marking", "channel", "text", "origin", "source"]
        read_only_fields = fields


class CableClearanceSerializer(serializers.Serializer):
    clearer = UserRefSerializer(read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    cleared_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CableSerializer(RecordSerializer):
    serial = serializers.CharField(read_only=True)
    released_by = UserRefSerializer(read_only=True, allow_null=True)
    drafted_by = UserRefSerializer(read_only=True, allow_null=True)
    clearance_coordinator = UserRefSerializer(read_only=True, allow_null=True)
    clearances = CableClearanceSerializer(many=True, read_only=True)
    paragraphs = ParagraphSerializer(many=True, read_only=True)
    corrected_by = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta:
        model = Cable
        fields = [
            "id", "post", "kind", "serial", "status", "precedence", "period_start", "period_end",
            "subject", "tags", "marking", "channel", "paragraphs", "text", "return_note",
            "drafted_at", "drafted_by", "clearance_coordinator", "clearances",
            "released_by", "released_at", "sha256", "corrects", "corrected_by",
            "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_text(self, obj) -> str:
        """The plain-text cable: frozen once released, rendered now for a draft."""
        return cable_text(obj)

    def get_corrected_by(self, obj) -> list[int]:
        """Ids of the corrections of this cable that the reader may see (policy-filtered prefetch)."""
        return [c.pk for c in obj.corrections.all()]


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


class ReleaseInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(
        max_length=services.EARLY_REASON_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a weekly summary goes before its week's cutoff (required then; kept in the audit log).",
    )


class RedraftInputSerializer(StrictInputSerializer):
    fingerprint = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="From redraft-preview: nothing is saved if the outcome differs from what was previewed.",
    )


class RedraftStepSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=["added", "updated", "unchanged", "kept", "removed"])
    heading = serializers.CharField()
    before = serializers.CharField(help_text="The paragraph's text now (empty when added).")
    text = serializers.CharField(help_text="Its text after the redraft.")


class RedraftPreviewSerializer(serializers.Serializer):
    fingerprint = serializers.CharField()
    changed = serializers.BooleanField()
    steps = RedraftStepSerializer(many=True)


class ClearanceRequestInputSerializer(StrictInputSerializer):
    clearers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=clearances.CLEARERS_MAX,
        help_text="User ids of the post's attachés or chief.",
    )


class CoordinatorInputSerializer(StrictInputSerializer):
    coordinator = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, allow_null=True, help_text="An attaché of the post; null for nobody."
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
    release=_action_schema(
        ReleaseInputSerializer, "Release the cable (chief): numbered and frozen; before the cutoff with a reason"
    ),
    redraft=_action_schema(RedraftInputSerializer, "Redraft from the records, keeping paragraphs people wrote"),
    redraft_preview=extend_schema(
        tags=["cables"], responses={200: RedraftPreviewSerializer}, summary="What a redraft would change"
    ),
    correct=extend_schema(
        tags=["cables"],
        request=EmptyInputSerializer,
        responses={201: CableSerializer},
        parameters=[IF_MATCH],
        summary="Start the correction of a released cable (a new draft referring to it)",
    ),
    request_clearance=_action_schema(ClearanceRequestInputSerializer, "Ask colleagues to clear a draft"),
    clear=_action_schema(EmptyInputSerializer, "Clear a draft you were asked to clear"),
    coordinator=_action_schema(CoordinatorInputSerializer, "Name the attaché who gathers clearances (chief)"),
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
        return queryset.select_related(
            "post", "released_by", "created_by", "drafted_by", "clearance_coordinator", "corrects"
        ).prefetch_related(
            Prefetch("paragraphs", queryset=CableParagraph.objects.order_by("position", "id")),
            Prefetch("clearances", queryset=Clearance.objects.select_related("clearer")),
            # A draft correction is as hidden as any draft: only the corrections this reader may see.
            Prefetch("corrections", queryset=policy.visible(self.request.user, Cable).order_by("id")),
        )

    def version_extra(self, obj) -> str:
        # Paragraph rows change with the cable, but hash them too: the tag must never repeat for
        # a different text.
        rows = CableParagraph.objects.filter(cable_id=obj.pk).order_by("position", "id")
        digest = hashlib.sha256()
        for row in rows.values_list("id", "position", "heading", "block", "marking", "channel", "text"):
            digest.update(repr(row).encode())
        clearances_now = list(Clearance.objects.filter(cable_id=obj.pk).values_list("clearer_id", "cleared_at"))
        return f"{obj.status}:{digest.hexdigest()}:{clearances_now}"

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
            serializer_class=ReleaseInputSerializer,
            perform=lambda cable, data: services.cable_release(
                cable=cable, by=request.user, request=request._request, **data
            ),
        )

    @action(detail=True, methods=["post"])
    def redraft(self, request, pk=None):
        return self.state_change(
            request,
            action="change",
            serializer_class=RedraftInputSerializer,
            perform=lambda cable, data: services.cable_redraft(cable=cable, by=request.user, **data),
        )

    @action(detail=True, methods=["get"], url_path="redraft-preview")
    def redraft_preview(self, request, pk=None):
        cable = self.get_object()
        policy.check_write(request.user, "change", cable, request=request._request)
        plan = services.cable_redraft_plan(cable=cable, by=request.user)
        steps = [{"change": s.change, "heading": s.heading, "before": s.before, "text": s.text} for s in plan.steps]
        body = {"fingerprint": plan.fingerprint, "changed": plan.changed, "steps": steps}
        return Response(RedraftPreviewSerializer(body).data)

    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        response = self.state_change(
            request,
            action="correct",
            serializer_class=EmptyInputSerializer,
            perform=lambda cable, data: services.cable_correct(cable=cable, by=request.user),
        )
        response.status_code = status.HTTP_201_CREATED
        response["Location"] = request.build_absolute_uri(f"../../{response.data['id']}/")
        return response

    @action(detail=True, methods=["post"], url_path="request-clearance")
    def request_clearance(self, request, pk=None):
        def perform(cable, data):
            users = list(get_user_model().objects.filter(pk__in=data["clearers"]))
            if len(users) != len(set(data["clearers"])):
                raise ValidationError({"clearers": "Only the post's attachés and chief clear a draft."})
            clearances.clearance_request(cable=cable, by=request.user, clearers=users, request=request._request)
            return cable

        return self.state_change(
            request, action="request_clearance", serializer_class=ClearanceRequestInputSerializer, perform=perform
        )

    @action(detail=True, methods=["post"])
    def clear(self, request, pk=None):
        def perform(cable, data):
            clearances.clearance_give(cable=cable, by=request.user, request=request._request)
            return cable

        return self.state_change(request, action="clear", serializer_class=EmptyInputSerializer, perform=perform)

    @action(detail=True, methods=["post"])
    def coordinator(self, request, pk=None):
        def perform(cable, data):
            coordinator = None
            if data["coordinator"] is not None:
                coordinator = clearances.coordinators(cable).filter(pk=data["coordinator"]).first()
                if coordinator is None:
                    raise ValidationError({"coordinator": "Only an attaché of this post can gather clearances."})
            return clearances.coordinator_name(
                cable=cable, by=request.user, coordinator=coordinator, request=request._request
            )

        return self.state_change(
            request, action="release", serializer_class=CoordinatorInputSerializer, perform=perform
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
