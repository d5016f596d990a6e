"""JSON bodies only, and only text that the database can store."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing lone surrogates ("\\ud800"), which JSON allows as escapes but
    no UTF-8 database column can hold (PostgreSQL would fail on them with a server error)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ParseError("JSON parse error - the text is not valid Unicode.") from exc
        return data
