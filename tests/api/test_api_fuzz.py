"""schemathesis against /api/schema/, once per role, through the WSGI app (in-process).

Per role (attaché, diplomat, chief, admin), each with its own bearer token:
- every GET operation (lists with their filters, ordering and pages; details), and
- the write operations that role may perform: every create, PATCH and lifecycle action for the
  attaché (the role that writes content; PUT shares PATCH's code path and is covered by
  test_api_writes.py), the cable writes (edit, return, release, resubmit) for the chief.
  The diplomat and the admin may write nothing: their refusals (403) are covered by the role
  matrix (test_api_matrix.py) rather than by 100 random bodies each, to keep the run short.
Every operation gets 100 generated schema-valid cases (max_examples=100) and 10 schema-
violating ones. A third of the cases use the id of an existing record (visible to the role or
not), so details and writes reach real rows instead of 404s; writes that take If-Match then
carry the record's current ETag, so they get past the precondition into the services.

Checks on every response: not a server error (no 5xx), the status is documented for the
operation, the content type and headers match the schema, the body matches the documented
schema; for schema-violating requests, that the API refused them (4xx). Not checked:
`positive_data_acceptance` (a schema-valid body can still break a rule the schema cannot
express: dates in the wrong order, a hidden id, an agreement moving backwards: those are 400
by design) and the stateful phase.

The totals per role are printed and written to test-artifacts/schemathesis-<role>.json.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.python import wsgi
from schemathesis.specs.openapi import checks

from contacts.models import Counterpart, Organization
from engagements.models import ActionItem, Agreement, Exercise, Meeting
from office.models import Clearance, Gift
from reports.models import Cable

from .conftest import issue_token

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "100"))
NEGATIVE_EXAMPLES = int(os.environ.get("API_FUZZ_NEGATIVE_EXAMPLES", "10"))
CHECKS = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
NEGATIVE_CHECKS = [*CHECKS, checks.negative_data_rejection]
RESOURCES = {
    "counterparts": Counterpart,
    "organizations": Organization,
    "meetings": Meeting,
    "agreements": Agreement,
    "exercises": Exercise,
    "action-items": ActionItem,
    "cables": Cable,
    "clearances": Clearance,
    "gifts": Gift,
}
# Which write operations each role fuzzes (every GET is fuzzed for every role). PUT shares
# PATCH's code path and serializer (PUT only adds "required"), so PATCH stands for both here;
# test_api_writes.py covers PUT.
WRITES = {
    "attache": lambda method, path: method != "PUT",
    "chief": lambda method, path: path.startswith("/api/v1/cables/"),
    "diplomat": lambda method, path: False,
    "admin": lambda method, path: False,
}


def _settings(max_examples: int) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,  # the same cases on every CI run: a failure reproduces
        database=None,
        suppress_health_check=list(HealthCheck),
        # No shrinking: every failure is recorded (and reported at the end), not minimised.
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        print_blob=False,
    )


def _summary(case, response) -> dict:
    body = case.body
    return {
        "operation": f"{case.method.upper()} {case.path}",
        "request": {
            "path_parameters": case.path_parameters,
            "query": case.query,
            "headers": {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"},
            "body": body if isinstance(body, (dict, list, str, int, float, bool, type(None))) else None,
        },
        "status": response.status_code,
        "body": response.text[:500],
    }


def _selected(role: str, operation) -> bool:
    method = operation.method.upper()
    return method == "GET" or WRITES[role](method, operation.path)


def _vanishing_query(case) -> bool:
    return any(value in ([], {}, None) for value in (case.query or {}).values())


def _known_ids(path: str) -> list[str]:
    resource = path.split("/")[3]
    return [str(pk) for pk in RESOURCES[resource].objects.order_by("pk").values_list("pk", flat=True)]


@pytest.fixture
def wsgi_in_test_transaction():
    """The raw WSGI app (unlike Django's test client) closes the database connection after each
    request when it finds it in a transaction: that would end the test's own. Keep it open, as
    Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief", "admin"])
def test_schemathesis_per_role(role, world, users_by_role, wsgi_in_test_transaction):
    token = issue_token(users_by_role[role])
    auth = {"Authorization": f"Bearer {token}"}
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=auth)
    # The same in-process WSGI client as schemathesis' (Django's test client would reconnect the
    # signal that wsgi_in_test_transaction disconnects).
    client = wsgi.get_client(app)
    totals, statuses, seconds = Counter(), Counter(), {}
    failures: list[dict] = []
    started = time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        if not _selected(role, operation):
            continue
        operation_started = time.monotonic()
        has_id = "{id}" in operation.path
        takes_if_match = any(p.name == "If-Match" for p in operation.headers)
        for mode, count, check_list in (
            (GenerationMode.POSITIVE, MAX_EXAMPLES, CHECKS),
            (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, NEGATIVE_CHECKS),
        ):
            if not count:
                continue

            @hypothesis.given(
                case=operation.as_strategy(generation_mode=mode),
                known=st.integers(min_value=0, max_value=2),
                index=st.integers(min_value=0, max_value=10_000),
            )
            @_settings(count)
            def run(case, known, index):
                if has_id and known == 0 and mode is GenerationMode.POSITIVE:
                    ids = _known_ids(operation.path)
                    record_id = ids[index % len(ids)]
                    case.path_parameters = {**case.path_parameters, "id": record_id}
                    if takes_if_match:
                        # The current version, so that the write reaches the service.
                        detail = operation.path.split("{id}")[0] + f"{record_id}/"
                        etag = client.get(path=detail, headers=auth).headers.get("ETag")
                        if etag:
                            case.headers = {**(case.headers or {}), "If-Match": etag}
                response = case.call(headers=auth)
                totals["cases"] += 1
                totals[f"{mode.value}_cases"] += 1
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    totals["server_errors"] += 1
                    failures.append({"kind": "server error", **_summary(case, response)})
                    return
                applied = check_list
                if mode is GenerationMode.NEGATIVE and _vanishing_query(case):
                    # The mutation was a parameter with no value ([] or {}): nothing of it is
                    # sent, so the request that reaches the API is a valid one.
                    applied = CHECKS
                try:
                    case.validate_response(response, checks=applied, headers=auth)
                except (AssertionError, BaseExceptionGroup) as exc:  # noqa: F821 (Python 3.11 builtin)
                    totals["check_failures"] += 1
                    if len(failures) < 50:
                        failures.append(
                            {
                                "kind": "check",
                                "message": str(exc)[:800],
                                **_summary(case, response),
                            }
                        )

            run()
        totals["operations"] += 1
        seconds[operation.label] = round(time.monotonic() - operation_started, 1)

    report = {
        "role": role,
        "seconds": round(time.monotonic() - started, 1),
        **{key: totals[key] for key in ("operations", "cases", "positive_cases", "negative_cases")},
        "server_errors": totals["server_errors"],
        "check_failures": totals["check_failures"],
        "statuses": {str(code): n for code, n in sorted(statuses.items())},
        "seconds_per_operation": seconds,
        "failures": failures,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"schemathesis-{role}.json").write_text(json.dumps(report, indent=2, default=str))
    print(
        f"\nschemathesis {role}: {report['operations']} operations, {report['cases']} cases "
        f"({report['positive_cases']} valid, {report['negative_cases']} invalid), "
        f"{report['server_errors']} server errors, {report['check_failures']} check failures, "
        f"{report['seconds']} s; statuses {report['statuses']}"
    )
    assert totals["operations"] >= 14
    assert totals["positive_cases"] >= 100 * totals["operations"] or MAX_EXAMPLES < 100
    assert not failures, json.dumps(failures[:5], indent=2, default=str)
