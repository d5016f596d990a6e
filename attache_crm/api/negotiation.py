"""The API speaks JSON whatever the client's Accept header says (no 406 to document or fuzz)."""

from rest_framework.negotiation import BaseContentNegotiation


class JSONOnlyNegotiation(BaseContentNegotiation):
    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type and request.content_type.split(";")[0].strip() == parser.media_type:
                return parser
        return None  # DRF answers 415 Unsupported Media Type

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
