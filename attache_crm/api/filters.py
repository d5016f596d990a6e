"""Filter pieces shared by every endpoint: ?updated_since= (incremental sync), ids, date bounds,
and an ordering that always ends on the primary key so pages never repeat or skip a row."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django_filters.constants import EMPTY_VALUES
from rest_framework.filters import OrderingFilter

from tenancy import policy
from tenancy.markings import Channel, Marking

# The largest id any supported database stores (bigint); larger numbers name nothing.
MAX_ID = 2**63 - 1
# Dates accepted anywhere in the API: wide enough for any real record, narrow enough that no
# time-zone conversion or date arithmetic can overflow.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """An id of something that is not a record under the access policy (a user)."""

    field_class = IdField


class VisibleIdFilter(IdFilter):
    """An id of a related record, matched only when the requesting user may see that record.

    A hidden id then filters exactly as an absent one (no row, count 0, no error): matched on the
    raw column, `?counterpart=<id>` answered "1" for a hidden counterpart linked to a visible
    meeting and "0" for an id that does not exist, which told which ids exist.
    """

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        self.related_model = model  # a model class or "app_label.ModelName"

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        model = apps.get_model(self.related_model) if isinstance(self.related_model, str) else self.related_model
        user = getattr(self.parent.request, "user", None)
        visible = policy.visible(user, model).filter(pk=value).values("pk")
        qs = qs.filter(**{f"{self.field_name}__in": visible})
        return qs.distinct() if self.distinct else qs


class CountryCodeFormField(forms.CharField):
    def clean(self, value):
        from django_countries import countries

        value = super().clean(value)
        if value and value not in dict(countries):
            raise ValidationError("Not an ISO 3166-1 alpha-2 country code.", code="invalid_choice")
        return value


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error rather than "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise ValidationError("Use true or false.", code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class CountryFilter(django_filters.CharFilter):
    """An ISO 3166-1 alpha-2 code (documented as a string, validated against the country list)."""

    field_class = CountryCodeFormField


class BoundedDateTimeField(forms.DateTimeField):
    def to_python(self, value):
        result = super().to_python(value)
        if result is not None:
            try:
                in_utc = result.astimezone(dt.UTC) if result.tzinfo else result
            except OverflowError as exc:
                raise ValidationError("Date and time out of range.", code="out_of_range") from exc
            if not MIN_DATE <= in_utc.date() <= MAX_DATE:
                raise ValidationError(
                    f"Use a date between {MIN_DATE.year} and {MAX_DATE.year}.",
                    code="out_of_range",
                )
            # In UTC: ISO 8601 allows offsets (+22:13) that PostgreSQL refuses to parse.
            return in_utc
        return result


class BoundedIsoDateTimeField(django_filters.fields.IsoDateTimeField, BoundedDateTimeField):
    pass


class BoundedDateField(forms.DateField):
    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not MIN_DATE <= result <= MAX_DATE:
            raise ValidationError(
                f"Use a date between {MIN_DATE.year} and {MAX_DATE.year}.",
                code="out_of_range",
            )
        return result


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class StrictFilterForm(forms.Form):
    """A parameter given with an empty value is an error, not "no filter" (except free text):
    a script that sends ?status= has a bug it should hear about."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if self.data.get(name) == "" and (
                not isinstance(field, forms.CharField) or isinstance(field, CountryCodeFormField)
            ):
                self.add_error(
                    name,
                    ValidationError("Give a value, or leave the parameter out.", code="empty"),
                )
        return cleaned


class RecordFilterSet(django_filters.FilterSet):
    """Filters every content record has: post, marking, channel and ?updated_since=."""

    class Meta:
        form = StrictFilterForm

    post = VisibleIdFilter(field_name="post_id", model="tenancy.Post", help_text="Only records of this post (id).")
    marking = django_filters.ChoiceFilter(choices=Marking.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    updated_since = DateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only records changed at or after this time (ISO 8601), for incremental sync.",
    )


class StableOrderingFilter(OrderingFilter):
    """?ordering=field,-other — then the primary key, so that pagination is deterministic.
    An unknown field is a 400 (DRF would ignore it silently)."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        terms = [term.strip() for term in raw.split(",")]
        valid = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
        bad = [term for term in terms if term.lstrip("-") not in valid]
        if bad or not terms:
            from rest_framework.exceptions import ValidationError as ApiValidationError

            choices = ", ".join(sorted(valid))
            raise ApiValidationError(
                {self.ordering_param: [f"Order by one or more of: {choices} (prefix - for descending)."]}
            )
        return terms

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            ordering = [*ordering, "-pk" if ordering[-1].startswith("-") else "pk"]
            return queryset.order_by(*ordering)
        return queryset
