"""The OpenAPI 3 schema (/api/schema/) and the interactive docs (/api/docs/): complete, valid,
every status documented, served from the project's own static files (no CDN), under the CSP."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.validation import validate_schema

from tests.conftest import client_for

from .conftest import issue_token

RESOURCES = [
    "counterparts",
    "organizations",
    "meetings",
    "agreements",
    "exercises",
    "action-items",
    "cables",
]


@pytest.fixture
def schema(attache):
    response = Client().get("/api/schema/?format=json", HTTP_AUTHORIZATION=f"Bearer {issue_token(attache)}")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_schema_needs_authentication(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 401


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_every_resource_is_there(schema):
    paths = set(schema["paths"])
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths and f"/api/v1/{resource}/{{id}}/" in paths
    assert "/api/v1/agreements/{id}/status/" in paths and "/api/v1/cables/{id}/release/" in paths
    assert "/api/v1/handover/" in paths


def test_the_handover_pack_documents_its_sections_and_optional_notes(schema):
    pack = schema["components"]["schemas"]["HandoverPack"]["properties"]
    assert {"counterparts", "follow_ups", "agreements", "exercises", "clearances", "gifts"} <= set(pack)
    counterpart = schema["components"]["schemas"]["PackCounterpart"]
    assert "restricted_notes" not in counterpart["required"]


def test_every_operation_documents_its_error_statuses(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert {"400", "401", "403", "404"} <= codes, (method, path, codes)
        if method != "get":
            assert {"409", "415"} <= codes, (method, path, codes)
        if method in {"put", "patch"} or any(
            path.endswith(s)
            for s in (
                "/status/",
                "/phase/",
                "/close/",
                "/release/",
                "/return/",
                "/resubmit/",
            )
        ):
            header = [p for p in operation.get("parameters", []) if p["in"] == "header" and p["name"] == "If-Match"]
            assert header and header[0]["required"], (method, path)
            assert {"412", "428"} <= codes, (method, path, codes)
        for code in codes - {"200", "201"}:
            content = operation["responses"][code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (
                method,
                path,
                code,
            )


def test_request_bodies_are_closed_and_responses_document_the_etag(schema):
    for name, component in schema["components"]["schemas"].items():
        if name.endswith("Request") and component.get("type") == "object":
            assert component["additionalProperties"] is False, name
    detail = schema["paths"]["/api/v1/counterparts/{id}/"]["get"]["responses"]["200"]
    assert "ETag" in detail["headers"]


def test_restricted_notes_are_optional_in_responses(schema):
    counterpart = schema["components"]["schemas"]["Counterpart"]
    assert "restricted_notes" in counterpart["properties"]
    assert "restricted_notes" not in counterpart["required"]


def test_bearer_and_session_auth_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["personalAccessToken"]["scheme"] == "bearer"
    assert "cookieAuth" in schemes


# ---------------------------------------------------------------- docs


def test_docs_send_anonymous_users_to_login(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_docs_come_from_our_own_static_files_without_inline_script(attache):
    response = client_for(attache).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html and "cdn" not in html.lower()
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe" not in script_src
    for asset in (
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
    ):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"), asset
    script = client_for(attache).get("/api/docs/?script=")
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "/api/schema/" in script.content.decode()


def test_the_docs_keep_the_sites_csp(attache):
    csp = client_for(attache).get("/api/docs/")["Content-Security-Policy"]
    assert "unsafe" not in csp
