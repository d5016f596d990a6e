"""OpenAPI: every operation documents the one error shape for each status it can return.

The postprocessing hook adds to every operation under /api/v1/:
- 400 (bad query or body), 401 (no or bad credentials), 403 (not allowed, or CSRF missing on a
  session write) and 404 (hidden or absent record, or a page past the end);
- on operations with a body: 409 (a conflicting concurrent write) and 415 (not JSON);
- on operations that take `If-Match`: 412 (stale tag) and 428 (tag missing);
and it closes request bodies (`additionalProperties: false`), because unknown fields are refused.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

ERROR_COMPONENT = {
    "type": "object",
    "description": "The one shape of every error of the API.",
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "code": {
            "type": "string",
            "description": "A stable machine-readable code, e.g. `invalid`, `not_found`.",
        },
        "detail": {"type": "string", "description": "A human-readable summary."},
        "fields": {
            "type": "object",
            "description": "Errors by field (dotted paths for nested fields); empty when not about fields.",
            "additionalProperties": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                    },
                    "required": ["code", "message"],
                },
            },
        },
        "candidates": {
            "type": "array",
            "description": "409 `duplicate` only: the records this one may duplicate, with the reasons; "
            "send the write again with `confirm_duplicate: true` if it is someone else.",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "display_name": {"type": "string"},
                    "url": {"type": "string"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["id", "display_name", "url", "reasons"],
            },
        },
    },
    "required": ["status", "code", "detail", "fields"],
}

DESCRIPTIONS = {
    "400": "Invalid query parameters or body (unknown field, wrong type, invalid choice, dates in the wrong order, "
    "text too long, classified marking …): nothing was changed.",
    "401": "No credentials, or an invalid, expired or revoked token.",
    "403": "Not allowed for your role, or a session write without the CSRF token: nothing was changed.",
    "404": "No such record, or one you may not see; or a page past the end.",
    "409": "The change conflicts with the record's current state (e.g. a concurrent write), or the counterpart "
    "may already be on record (code `duplicate`, with `candidates`): nothing was changed.",
    "412": "If-Match does not match the record's current ETag: it changed since you read it; nothing was changed.",
    "415": "The body is not JSON.",
    "428": "If-Match is missing: send the ETag you read.",
}

ETAG_HEADER = {
    "schema": {"type": "string"},
    "description": "The version tag to send back in If-Match.",
}

IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version your change is based on (from a GET or a previous write); `*` for any.",
)

PRECONDITION_RESPONSES = {
    412: OpenApiResponse(description=DESCRIPTIONS["412"]),
    428: OpenApiResponse(description=DESCRIPTIONS["428"]),
}

WRITE_METHODS = {"post", "put", "patch", "delete"}


def _error_response(code: str) -> dict:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def document_errors_and_preconditions(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOK (see the module docstring)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_COMPONENT
    for name, schema in components.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False

    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "401", "403", "404"]
            if method in WRITE_METHODS:
                codes += ["409", "415"]
            takes_if_match = any(
                p.get("in") == "header" and p.get("name") == "If-Match" for p in operation.get("parameters", [])
            )
            if takes_if_match:
                codes += ["412", "428"]
            responses = operation["responses"]
            for code in codes:
                responses[code] = _error_response(code)
            for code, response in responses.items():
                if code in {"200", "201"} and "/{id}/" in path or (code == "201" and method == "post"):
                    response.setdefault("headers", {})["ETag"] = ETAG_HEADER
    return result
