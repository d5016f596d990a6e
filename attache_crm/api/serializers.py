"""Serializer pieces shared by every endpoint.

Output serializers are allow-lists: each names exactly the fields it shows, and fields such as
`restricted_notes` are dropped per object by `RecordSerializer` unless the policy lets the reader
see them. References to other records go through the policy too (a hidden record is left out,
never named), see each app's api.py.

Input serializers are strict: an unknown field is a 400, not silently ignored; every text field
and the marking go through the spill guard first (a classified banner or portion mark is refused
with code `classified_marking`, whatever the field's length or choices; the API's exception
handler audits it once); dates stay within MIN_DATE..MAX_DATE; text has a length limit.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from attache_crm import policy, spill
from attache_crm.markings import (
    Channel,
    ClassifiedMarkingError,
    Marking,
    is_classified_marking,
    validate_marking,
)

from .filters import MAX_DATE, MAX_ID, MIN_DATE

# Free text (summaries, biographies …) is long but not unbounded.
LONG_TEXT_MAX = 20_000

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
    """Refuses keys it does not know (a typo must not be silently dropped), and text fields given
    anything but a string (DRF would quietly turn 12 into "12")."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
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


class StrictModelInputSerializer(StrictInputSerializer, serializers.ModelSerializer):
    """A ModelSerializer for input only: it validates types, lengths and choices from the model,
    and leaves every rule that spans fields to the service's full_clean() (one copy of a rule)."""

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
        if isinstance(model_field, models.TextField):
            kwargs.setdefault("max_length", LONG_TEXT_MAX)
        if isinstance(model_field, models.DateTimeField):
            return BoundedDateTimeField, kwargs
        if isinstance(model_field, models.DateField):
            return BoundedDateField, kwargs
        # Validators are the model's business: its full_clean() runs in the service.
        kwargs.pop("validators", None)
        return field_class, kwargs

    def get_validators(self):
        return []  # unique-together and the like are checked by the model in the service


class BoundedDateField(serializers.DateField):
    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not MIN_DATE <= result <= MAX_DATE:
            raise serializers.ValidationError(
                f"Use a date between {MIN_DATE.year} and {MAX_DATE.year}.",
                code="out_of_range",
            )
        return result


class BoundedDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if not MIN_DATE <= result.astimezone(dt.UTC).date() <= MAX_DATE:
            raise serializers.ValidationError(
                f"Use a date between {MIN_DATE.year} and {MAX_DATE.year}.",
                code="out_of_range",
            )
        return result


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[A-Z]{2}$",
        "description": "ISO 3166-1 alpha-2 code, e.g. DE.",
    }
)
class CountryCodeField(serializers.ChoiceField):
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


class ChannelInputField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Channel.choices, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """The id of a record the requesting user may see (policy.visible); others are 'does not exist'."""

    def __init__(self, model=None, **kwargs):
        self.model = model
        kwargs.setdefault("queryset", model._default_manager.none() if model is not None else None)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return policy.visible(getattr(request, "user", None), self.model)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class PostMemberField(serializers.PrimaryKeyRelatedField):
    """The id of a user who works at one of the requesting user's posts (the service checks that
    they work at the record's post)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", get_user_model().objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        post_ids = list(policy.roles(getattr(request, "user", None)))
        return get_user_model().objects.filter(memberships__post_id__in=post_ids).distinct()

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
        from contacts.models import Post

        kwargs.setdefault("queryset", Post.objects.none())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_queryset(self):
        from contacts.models import Post

        request = self.context.get("request")
        return policy.visible(getattr(request, "user", None), Post)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class DistinctListField(serializers.ListField):
    """A list of records given by id; an id given twice counts once."""

    def to_internal_value(self, data):
        return list({obj.pk: obj for obj in super().to_internal_value(data)}.values())


def id_list_field(field: serializers.Field, max_length: int = 200) -> serializers.ListField:
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
