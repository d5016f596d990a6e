"""Serializer pieces shared by every endpoint.

Output serializers are allow-lists: each names exactly the fields it shows, and fields such as
`restricted_notes` are dropped per object by `RecordSerializer` unless the policy lets the reader
see them. References to other records go through the policy too (a hidden record is left out,
never named), see each app's api.py.

Input serializers are strict: an unknown field is a 400, not silently ignored; every text field
and the marking go through the spill guard first (a classified banner or portion mark is refused
with code `classified_marking`, whatever the field's length or choices; the API's exception
handler audits it once); dates stay within MIN_DATE..MAX_DATE. They only translate: whether a
value may be written (lengths, list sizes, owners, links, the post) is the service's decision, so
that the HTML forms and the API refuse the same thing with the same words.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenancy import policy, spill
from tenancy.limits import DATE_RANGE_MESSAGE, MAX_DATE, MAX_ID, MIN_DATE
from tenancy.markings import (
    Channel,
    ClassifiedMarkingError,
    Marking,
    is_classified_marking,
    validate_marking,
)
from tenancy.models import Post
from tenancy.records import MAX_LINKS

COUNTRY_CHOICES = [(code, str(name)) for code, name in countries]


# ---------------------------------------------------------------- output


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class OutputModelSerializer(serializers.ModelSerializer):
    """A read-only ModelSerializer whose schema tells the truth about blank and null choices
    (DRF drops allow_blank from read-only fields, so '' would be outside the documented enum)."""

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            source = field.source or name
            if not isinstance(field, serializers.ChoiceField) or "." in source or source == "*":
                continue
            try:
                model_field = model._meta.get_field(source)
            except Exception:
                continue
            field.allow_blank = field.allow_blank or model_field.blank
            field.allow_null = field.allow_null or model_field.null
        return fields


class RecordSerializer(OutputModelSerializer):
    """Base of the output serializers of content records (post, marking, channel, authorship).

    `RESTRICTED_FIELDS` are shown only to readers the policy lets see restricted notes at the
    record's post (attachés and the chief); for anyone else the key is absent, not empty.
    """

    RESTRICTED_FIELDS: tuple[str, ...] = ()

    post = serializers.IntegerField(source="post_id", read_only=True)
    created_by = UserRefSerializer(read_only=True, allow_null=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.RESTRICTED_FIELDS:
            user = self.context["request"].user
            if not policy.can_see_restricted_notes(user, instance.post_id):
                for name in self.RESTRICTED_FIELDS:
                    data.pop(name, None)
        return data


def optional_text_field(**kwargs):
    """An output field that may be absent (restricted notes): not `required` in the schema."""
    return serializers.CharField(required=False, **kwargs)


# ---------------------------------------------------------------- input fields


class StrictInputSerializer(serializers.Serializer):
    """Refuses keys it does not know (a typo must not be silently dropped), text fields given
    anything but a string (DRF would quietly turn 12 into "12"), and lists longer than their
    field's `max_length` before a single item is read (DRF validates, and looks up, every item
    first: 10,000 ids cost 10,000 queries before the length was checked)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            oversized = {
                name: [
                    serializers.ErrorDetail(
                        f"Ensure this field has no more than {field.max_length} elements.", code="max_length"
                    )
                ]
                for name, field in self.fields.items()
                if isinstance(field, serializers.ListField)
                and field.max_length is not None
                and isinstance(data.get(name), list)
                and len(data[name]) > field.max_length
            }
            if oversized:
                raise serializers.ValidationError(oversized)
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {
                str(key): [serializers.ErrorDetail("Unknown field.", code="unknown_field")]
                for key in data
                if key not in writable
            }
            for name, field in self.fields.items():
                value = data.get(name)
                if isinstance(field, serializers.CharField) and value is not None and not isinstance(value, str):
                    errors[name] = [serializers.ErrorDetail("Not a valid string.", code="invalid")]
                elif not field.read_only and (found := _classified_in(name, field, value)):
                    # Before the field's own checks: a long form in a short field, or a look-alike
                    # that is "not a valid choice", is still refused (and audited) as classified.
                    message = spill.refusal(found).messages[0]
                    errors[name] = [serializers.ErrorDetail(message, code=spill.CLASSIFIED)]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _classified_in(name: str, field: serializers.Field, value) -> str | None:
    """The classified marking in the raw value of a text field (or a list of texts, or the marking)."""
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
        texts = [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
    elif isinstance(field, serializers.CharField) or name == "marking":
        texts = [value] if isinstance(value, str) else []
    else:
        return None  # nested serializers read their own fields
    return spill.find(texts, kind=spill.kind_for(name)) if texts else None


# Django's words for a value outside a choice list, so that a form and the API refuse it alike.
INVALID_CHOICE = "Select a valid choice. {input} is not one of the available choices."


class FormWordedChoiceField(serializers.ChoiceField):
    default_error_messages = {"invalid_choice": INVALID_CHOICE}


class StrictModelInputSerializer(StrictInputSerializer, serializers.ModelSerializer):
    """A ModelSerializer for input only: it validates types and choices from the model, and leaves
    lengths and every rule that spans fields to the service's full_clean() (one copy of a rule,
    one message for the forms and the API)."""

    def build_standard_field(self, field_name, model_field):
        from django.db import models
        from django_countries.fields import CountryField

        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, CountryField):
            kwargs.pop("choices", None)
            kwargs.pop("max_length", None)
            if model_field.multiple:
                return CountryListField, {"required": False}
            return CountryCodeField, kwargs
        kwargs.pop("max_length", None)  # the model's limit, checked (and worded) by full_clean()
        if isinstance(model_field, models.DateTimeField):
            return BoundedDateTimeField, kwargs
        if isinstance(model_field, models.DateField):
            return BoundedDateField, kwargs
        # Validators are the model's business: its full_clean() runs in the service.
        kwargs.pop("validators", None)
        if field_class is serializers.ChoiceField:
            field_class = FormWordedChoiceField
        return field_class, kwargs

    def get_validators(self):
        return []  # unique-together and the like are checked by the model in the service


class BoundedDateField(serializers.DateField):
    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not MIN_DATE <= result <= MAX_DATE:
            raise serializers.ValidationError(DATE_RANGE_MESSAGE, code="out_of_range")
        return result


class BoundedDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        try:
            day = result.astimezone(dt.UTC).date()
        except OverflowError:
            day = None  # at the very edge of what Python holds: far out of range anyway
        if day is None or not MIN_DATE <= day <= MAX_DATE:
            raise serializers.ValidationError(DATE_RANGE_MESSAGE, code="out_of_range")
        return result


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[A-Z]{2}$",
        "description": "ISO 3166-1 alpha-2 code, e.g. DE.",
    }
)
class CountryCodeField(FormWordedChoiceField):
    """An ISO 3166-1 alpha-2 code ('DE'). Documented as a pattern rather than an enum of 249 codes."""

    def __init__(self, **kwargs):
        super().__init__(choices=COUNTRY_CHOICES, **kwargs)


class CountryListField(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", len(COUNTRY_CHOICES))
        super().__init__(child=CountryCodeField(), **kwargs)

    def to_internal_value(self, data):
        return list(dict.fromkeys(super().to_internal_value(data)))  # no duplicates, order kept


class MarkingInputField(serializers.ChoiceField):
    """A marking (U, SBU, SBU-NF). A classified one (CONFIDENTIAL, SECRET, TOP SECRET …) is refused
    with its own message and code `classified_marking`, which the API's exception handler audits
    as `classified_refused`, like the HTML forms do."""

    def __init__(self, **kwargs):
        super().__init__(choices=Marking.choices, **kwargs)

    def to_internal_value(self, data):
        value = data.strip() if isinstance(data, str) else data
        if isinstance(value, str) and is_classified_marking(value):
            try:
                validate_marking(value)
            except ClassifiedMarkingError as exc:
                raise serializers.ValidationError(exc.messages, code="classified_marking") from exc
        return super().to_internal_value(value)


class ChannelInputField(FormWordedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Channel.choices, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """The id of a record of the post being written that the requesting user may see
    (policy.visible); any other id is 'no such record', in the words the HTML forms use."""

    default_error_messages = {"does_not_exist": policy.NO_SUCH_RECORD_ID.format(id="{pk_value}")}

    def __init__(self, model=None, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model._default_manager.none() if model is not None else None)
        super().__init__(**kwargs)

    def get_queryset(self):
        context = self.context
        queryset = policy.visible(getattr(context.get("request"), "user", None), self.model)
        post = context.get("post")
        return queryset.filter(post=post) if post is not None else queryset

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class PostMemberField(serializers.PrimaryKeyRelatedField):
    """The id of a user who works at one of the requesting user's posts (policy.choosable_people,
    as the forms); whether they may be chosen for this record is the service's decision."""

    default_error_messages = {"does_not_exist": policy.NO_SUCH_PERSON_ID.format(id="{pk_value}")}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", get_user_model().objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return policy.choosable_people(getattr(request, "user", None))

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class PostField(serializers.PrimaryKeyRelatedField):
    """The post a new record belongs to (id); optional when you work at a single post."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Post.objects.none())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return policy.visible(getattr(request, "user", None), Post)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


# The input of a content record (tenancy.records.Record): its fields, and the marking and channel
# every record carries, both optional (a new record takes the form's defaults). A comment, not a
# docstring: the API schema describes input components with the docstring they inherit.
class RecordInputSerializer(StrictModelInputSerializer):
    marking = MarkingInputField(required=False)
    channel = ChannelInputField(required=False)


def create_input(update_serializer, *only_when_new: str, **declared):
    """The input of a POST on a resource: its update input, with first the post the new record goes
    to, then the fields only a new record takes (`status`, `phase` …, declared ones in `declared`).

    Named after the update input (GiftUpdateSerializer → GiftCreateSerializer): the API schema
    names its components after the classes."""
    name = update_serializer.__name__.replace("UpdateSerializer", "CreateSerializer")
    fields = ["post", *update_serializer.Meta.fields, *only_when_new]
    meta = type("Meta", (update_serializer.Meta,), {"fields": fields})
    attrs = {"__module__": update_serializer.__module__, "__qualname__": name, "post": PostField(), **declared}
    return type(update_serializer)(name, (update_serializer,), {**attrs, "Meta": meta})


class DistinctListField(serializers.ListField):
    """A list of records given by id; an id given twice counts once."""

    def to_internal_value(self, data):
        return list({obj.pk: obj for obj in super().to_internal_value(data)}.values())


def id_list_field(field: serializers.Field, max_length: int = MAX_LINKS) -> serializers.ListField:
    """A list of ids, each validated by `field` (visible, same post), duplicates collapsed."""
    return DistinctListField(child=field, required=False, max_length=max_length)


@extend_schema_field({"type": "string", "description": "ISO 3166-1 alpha-2 code, or empty."})
class CountryOutField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return getattr(value, "code", None) or ""


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "ISO 3166-1 alpha-2 codes.",
    }
)
class CountryListOutField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [country.code for country in value or []]
