"""One error shape for every API failure (DRF's EXCEPTION_HANDLER).

    {"status": 400, "code": "invalid", "detail": "The request has invalid fields.",
     "fields": {"family_name": [{"code": "max_length", "message": "Ensure this value has at most 100 characters (it has 101)."}],
                "follow_ups.0.due_on": [{"code": "invalid", "message": "Date has wrong format. ..."}]}}

`fields` is always present (empty when the error is not about fields); nested fields are dotted
paths. This is the one place where the services' refusals become API answers: Django's
ValidationError becomes a 400 with the same field errors the HTML forms show; the policy's NotFound
and Denied a 404 and a 403 with the same message the HTML pages carry; an integrity conflict a 409.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from tenancy import audit, policy, spill

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"

    def __init__(self, detail=None, code=None, *, extra: dict | None = None):
        super().__init__(detail, code)
        # More members of the error body, e.g. the `candidates` of a suspected duplicate.
        self.extra = extra or {}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since you read it: fetch it again and reapply your change."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send the ETag you read in an If-Match header, so that nobody's change is overwritten."
    default_code = "precondition_required"


def django_validation_detail(exc: DjangoValidationError) -> dict:
    """{field: [ErrorDetail, ...]} of a Django ValidationError ('__all__' becomes non_field_errors)."""
    if hasattr(exc, "error_dict"):
        return {
            (NON_FIELD if name == "__all__" else name): [
                exceptions.ErrorDetail(message, code=error.code or "invalid")
                for error in errors
                for message in error.messages
            ]
            for name, errors in exc.error_dict.items()
        }
    return {
        NON_FIELD: [
            exceptions.ErrorDetail(message, code=error.code or "invalid")
            for error in exc.error_list
            for message in error.messages
        ]
    }


def _flatten(detail, prefix: str = "") -> dict[str, list[dict]]:
    """Dotted paths to lists of {code, message}."""
    out: dict[str, list[dict]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for name, errors in _flatten(value, path).items():
                out.setdefault(name, []).extend(errors)
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out[prefix or NON_FIELD] = [_one(item) for item in detail]
        else:
            for index, value in enumerate(detail):
                if value in ({}, []):
                    continue
                path = f"{prefix}.{index}" if prefix else str(index)
                for name, errors in _flatten(value, path).items():
                    out.setdefault(name, []).extend(errors)
    else:
        out[prefix or NON_FIELD] = [_one(detail)]
    return out


def _one(item) -> dict:
    return {"code": getattr(item, "code", "invalid") or "invalid", "message": str(item)}


def error_body(status_code: int, code: str, detail: str, fields: dict | None = None) -> dict:
    return {
        "status": status_code,
        "code": code,
        "detail": detail,
        "fields": fields or {},
    }


def _audit_classified(fields: dict[str, list[dict]], context) -> None:
    """One `classified_refused` event for a request refused for a classified marking, whether the
    input serializer or the service's full_clean() found it. The handler runs after the view's
    transaction has rolled back, so the event survives the refused write."""
    refused = {name: "" for name, errors in fields.items() if any(e["code"] == spill.CLASSIFIED for e in errors)}
    if not refused:
        return
    request, view = context.get("request"), context.get("view")
    audit.classified_refused(
        fields=refused,
        via="API",
        request=request,
        user=getattr(request, "user", None),
        model=getattr(view, "model", None),
        post=getattr(view, "audit_post", None),
    )


def api_exception_handler(exc, context):
    """DRF's handler, with Django's own exceptions translated and every body in one shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_detail(exc))
    elif isinstance(exc, policy.NotFound):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, IntegrityError):
        # A unique or check constraint the validation could not foresee (e.g. a concurrent write).
        exc = Conflict()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        _audit_classified(fields, context)
        response.data = error_body(response.status_code, "invalid", "The request has invalid fields.", fields)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(detail, (list, dict)):
            fields = _flatten(detail)
            message = "The request was refused."
        else:
            fields, message = {}, str(detail)
        code = detail.code if hasattr(detail, "code") else getattr(exc, "default_code", "error")
        response.data = error_body(response.status_code, code or "error", message, fields)
        response.data.update(getattr(exc, "extra", {}))
    return response


def is_api_request(request) -> bool:
    return request.path_info.startswith("/api/")


def json_error(status_code: int, code: str, detail: str) -> JsonResponse:
    """An error answered outside DRF's views (middleware, Django's error handlers) in the same shape."""
    return JsonResponse(error_body(status_code, code, detail), status=status_code)


@csrf_exempt  # a JSON 404 whatever the method: there is nothing here to protect
def not_found_view(request, *args, **kwargs):
    """JSON 404 for any address under /api/ that names no endpoint."""
    return json_error(404, "not_found", "No such address in the API.")
