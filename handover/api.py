"""`GET /api/v1/handover/?post=<id>`: the handover pack as JSON, the same reads as the page."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from engagements import stay_in_touch
from tenancy import audit

from . import selectors


class MilestoneSerializer(serializers.Serializer):
    label = serializers.CharField()
    on = serializers.DateField(allow_null=True)


class PackCounterpartSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="rank_and_name")
    nato_grade = serializers.CharField()
    position = serializers.CharField()
    organization = serializers.CharField(source="visible_organization.name", default=None, allow_null=True)
    last_contact = serializers.DateTimeField(allow_null=True)
    contact_status = serializers.ChoiceField(source="cadence", choices=stay_in_touch.STATUSES)
    contact_every_days = serializers.IntegerField(
        source="stay_in_touch.cadence_days", help_text="The counterpart's own cadence, or the post default."
    )
    protocol_notes = serializers.CharField()
    restricted_notes = serializers.CharField(required=False, help_text="Present for attachés and the chief only.")
    marking = serializers.CharField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context["show_restricted_notes"]:
            data.pop("restricted_notes")
        return data


class PackFollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    held_by = serializers.CharField(source="assignee.get_username", default=None, allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    marking = serializers.CharField()


class PackAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    next_milestone = MilestoneSerializer()
    expires_on = serializers.DateField(allow_null=True)
    marking = serializers.CharField()


class PackExerciseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phase = serializers.CharField()
    next_conference = MilestoneSerializer()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    marking = serializers.CharField()


class PackClearanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    mission = serializers.CharField()
    status = serializers.CharField()
    submit_by = serializers.DateField(allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    marking = serializers.CharField()


class PackGiftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    official = serializers.CharField()
    value_usd = serializers.DecimalField(max_digits=10, decimal_places=2)
    received_on = serializers.DateField()
    report_due_on = serializers.DateField()
    marking = serializers.CharField()


def _section(row_serializer):
    class SectionSerializer(serializers.Serializer):
        total = serializers.IntegerField(help_text="How many the reader may see; `rows` holds the first 200.")
        rows = row_serializer(many=True)

    SectionSerializer.__name__ = row_serializer.__name__.replace("Serializer", "SectionSerializer")
    return SectionSerializer


class PackPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class HandoverPackSerializer(serializers.Serializer):
    post = PackPostSerializer()
    marking = serializers.CharField(help_text="The highest marking of what the pack holds.")
    prepared_at = serializers.DateTimeField()
    counterparts = _section(PackCounterpartSerializer)()
    follow_ups = _section(PackFollowUpSerializer)()
    agreements = _section(PackAgreementSerializer)()
    exercises = _section(PackExerciseSerializer)()
    clearances = _section(PackClearanceSerializer)()
    gifts = _section(PackGiftSerializer)()


class OnePackSchema(AutoSchema):
    """The pack's `list` answers one pack, not a list of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class HandoverPackViewSet(viewsets.ViewSet):
    """The handover pack of one post, holding only what the reader may see; audited as an export."""

    schema = OnePackSchema()

    @extend_schema(
        tags=["handover"],
        parameters=[
            OpenApiParameter("post", int, description="The post; by default the first where you may read content.")
        ],
        responses=HandoverPackSerializer,
    )
    def list(self, request):
        unknown = {name: ["Unknown query parameter."] for name in request.query_params if name != "post"}
        if unknown:
            raise ValidationError(unknown)
        post = selectors.pack_post(request.user, request.query_params.get("post"), request=request._request)
        with timezone.override(post.tzinfo):
            pack = selectors.handover_pack(request.user, post)
        audit.record(
            action="export",
            user=request.user,
            request=request._request,
            obj=post,
            post=post,
            detail=f"handover pack (api, {pack.marking})",
        )
        context = {"show_restricted_notes": pack.show_restricted_notes}
        return Response(HandoverPackSerializer(pack, context=context).data)
