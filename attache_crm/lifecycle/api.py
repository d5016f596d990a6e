"""The API side of a lifecycle: the log and the next states in a record's output, and the one
action (`POST {id}/<state>/`, with If-Match) that takes a step."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action

from attache_crm.api.serializers import (
    BoundedDateField,
    OutputModelSerializer,
    StrictInputSerializer,
    StrictModelInputSerializer,
    UserRefSerializer,
)

from . import services
from .table import Lifecycle


def log_serializer(lifecycle: Lifecycle) -> serializers.ListSerializer:
    """The record's log, newest first (the output field `<state>_log`)."""
    fields = ["id", lifecycle.from_field, lifecycle.to_field, "changed_on", "changed_at", "changed_by"]
    if lifecycle.note_max_length is not None:
        fields.append("note")
    meta = type("Meta", (), {"model": lifecycle.log_model, "fields": fields, "read_only_fields": fields})
    name = f"{lifecycle.model.__name__}{lifecycle.label}ChangeSerializer"
    attrs = {"Meta": meta, "changed_by": UserRefSerializer(read_only=True, allow_null=True)}
    serializer_class = type(name, (OutputModelSerializer,), attrs)
    return serializer_class(many=True, read_only=True, source=lifecycle.log_related_name)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class NextStatesField(serializers.Field):
    """The states the record may move to next, in lifecycle order."""

    def __init__(self, lifecycle: Lifecycle, **kwargs):
        self.lifecycle = lifecycle
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        return [str(state) for state in self.lifecycle.allowed(record)]


def step_input_serializer(lifecycle: Lifecycle) -> type[StrictInputSerializer]:
    """The body of the step action: `to_<state>`, `on`, where the log keeps one `note`, and the
    lifecycle's `step_fields`, typed as the record's own input serializers type them."""
    attrs = {
        lifecycle.to_field: serializers.ChoiceField(choices=lifecycle.model._meta.get_field(lifecycle.state).choices),
        "on": BoundedDateField(
            required=False, allow_null=True, help_text="Date of the step (default: today at the post)."
        ),
    }
    if lifecycle.note_max_length is not None:
        attrs["note"] = serializers.CharField(max_length=lifecycle.note_max_length, required=False, allow_blank=True)
    attrs |= _step_fields(lifecycle)
    name = f"{lifecycle.model.__name__}{lifecycle.label}InputSerializer"
    return type(name, (StrictInputSerializer,), attrs)


def _step_fields(lifecycle: Lifecycle) -> dict[str, serializers.Field]:
    """The serializer fields of the lifecycle's `step_fields`, none required."""
    if not lifecycle.step_fields:
        return {}
    meta = type("Meta", (), {"model": lifecycle.model, "fields": list(lifecycle.step_fields)})
    built = type("StepFields", (StrictModelInputSerializer,), {"Meta": meta})().get_fields()
    for built_field in built.values():
        built_field.required = False
    return built


def step_action(lifecycle: Lifecycle, input_serializer: type[StrictInputSerializer]):
    """The viewset action `change_<state>` at `POST {id}/<state>/`, through the viewset's
    `state_change` (policy, If-Match, lock) and `services.step`."""

    def change(self, request, pk=None):
        def perform(record, data):
            return services.step(lifecycle, record=record, by=request.user, to=data.pop(lifecycle.to_field), **data)

        return self.state_change(request, action="change", serializer_class=input_serializer, perform=perform)

    change.__name__ = f"change_{lifecycle.state}"  # DRF names the route and the schema operation after it
    return action(detail=True, methods=["post"], url_path=lifecycle.state)(change)
