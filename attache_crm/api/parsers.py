"""JSON bodies only: bounded in size and depth, and only text that the database can store."""

import json

from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

from tenancy.limits import MAX_JSON_DEPTH


class PayloadTooLarge(APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, with the bounds every body must respect.

    - at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes read (the middleware refuses a larger Content-Length first; this
      holds for a body whose length was not announced);
    - nesting at most MAX_JSON_DEPTH deep (`[` × 100,000 exhausts Python's recursion: refused as
      a 400 rather than a server error);
    - no NUL character and no lone surrogate ("\\ud800") in any key or string: JSON allows both as
      escapes, but no PostgreSQL text column can hold them.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=strict_constant if self.strict else None)
        except RecursionError as exc:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.") from exc
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError alike
            raise ParseError(f"JSON parse error - {exc}") from exc
        check_storable(data)
        return data


def check_storable(data) -> None:
    """Walk the document without recursion: depth, NUL characters and lone surrogates."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ParseError("JSON parse error - text may not contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError("JSON parse error - the text is not valid Unicode.") from exc
