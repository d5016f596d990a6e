"""Bounds on what one request may carry, for the pages and the API alike.

Each bound is checked before any work that grows with the input (a lookup per id, a parse, a
date computation), so that no request, however hostile, keeps a worker busy for long or reaches
the database with a value it cannot hold. The request-wide bounds (the body size,
settings.DATA_UPLOAD_MAX_MEMORY_SIZE, and NUL characters) are enforced by
attache_crm.middleware.BoundedInputMiddleware, the JSON depth by the API's parser, list sizes by
the forms' link fields and the API's input serializers, dates and ids by the fields below.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

# JSON nested deeper than this is refused (400): no input of the API nests more than four levels.
MAX_JSON_DEPTH = 32
# The largest id any supported database stores (bigint); larger numbers name nothing.
MAX_ID = 2**63 - 1
# Dates accepted anywhere (forms, filters, API): wide enough for any real record, narrow enough
# that no time-zone conversion or date arithmetic (the day after, the week of) can overflow.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
DATE_RANGE_MESSAGE = f"Use a date between {MIN_DATE.year} and {MAX_DATE.year}."


def check_date_in_range(value):
    """The value (a date or a datetime), or a ValidationError when its day, in UTC, is outside
    MIN_DATE..MAX_DATE or cannot even be converted to UTC (a datetime at the very edge of what
    Python holds)."""
    if value is None:
        return value
    try:
        day = value.astimezone(dt.UTC) if isinstance(value, dt.datetime) and value.tzinfo else value
    except OverflowError as exc:
        raise ValidationError(DATE_RANGE_MESSAGE, code="out_of_range") from exc
    if isinstance(day, dt.datetime):
        day = day.date()
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="out_of_range")
    return value


class BoundedDateField(forms.DateField):
    def to_python(self, value):
        return check_date_in_range(super().to_python(value))


class BoundedDateTimeField(forms.DateTimeField):
    def to_python(self, value):
        return check_date_in_range(super().to_python(value))


class BoundedSplitDateTimeField(forms.SplitDateTimeField):
    def compress(self, data_list):
        return check_date_in_range(super().compress(data_list))


def check_ids(values, *, max_count: int) -> list[int]:
    """A list of ids as given by a form or a query: at most `max_count`, each a whole number from 1
    to MAX_ID. Checked before any lookup, so that a list of 10,000 ids costs no query at all."""
    if len(values) > max_count:
        raise ValidationError(
            f"Ensure this field has no more than {max_count} elements.",
            code="max_length",
        )
    ids = []
    for value in values:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
            raise ValidationError(f"“{text[:30]}” is not a valid id.", code="invalid_pk_value")
        ids.append(int(text))
    return ids
