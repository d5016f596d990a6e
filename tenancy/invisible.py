"""Invisible characters that make a text read differently from what is stored.

The Unicode direction embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder
what follows them on screen: a name stored one way is read another, in lists, breadcrumbs and the
change history alike. They are refused in every text field of a record. A one-line field (a name,
a title) also refuses the zero-width space, the word joiner and the byte-order mark, which make
two names that look the same compare different. What right-to-left and other scripts need is
kept: the left-to-right and right-to-left marks (U+200E, U+200F), the zero-width joiner and
non-joiner (U+200C, U+200D), and the zero-width space in free text (Thai and Khmer break words
with it).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

INVISIBLE = "invisible"
DIRECTION_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
INVISIBLE_IN_ONE_LINE = frozenset({"\u200b", "\u2060", "\ufeff"})


def refused_character(value: str, *, one_line: bool) -> str | None:
    """The first character of `value` that a field of this kind refuses, or None."""
    refused = DIRECTION_CONTROLS | INVISIBLE_IN_ONE_LINE if one_line else DIRECTION_CONTROLS
    return next((char for char in value if char in refused), None)


def refusal(char: str) -> ValidationError:
    name = unicodedata.name(char, "a control character")
    return ValidationError(
        "Remove the invisible character U+%(code)04X (%(name)s): it makes the text read differently "
        "from what is stored.",
        code=INVISIBLE,
        params={"code": ord(char), "name": name},
    )


def scan_instance(instance, exclude=()) -> dict[str, ValidationError]:
    """{field name: refusal} for the text fields of a model instance that hold a refused character."""
    errors = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or not isinstance(field, (models.CharField, models.TextField)):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and (char := refused_character(value, one_line=isinstance(field, models.CharField))):
            errors[field.name] = refusal(char)
    return errors
