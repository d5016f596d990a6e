"""The API role matrix, from the same table as the HTML matrix (tests/access/matrix.py):
every role × endpoint × method × record channel, through both ways in (the browser session and a
personal access token), with the marker strings of tests/access/world.py searched in every body.

Expected codes come from the access tables through `matrix.api()` (401 instead of the login
redirect; an allowed change without If-Match is 428) plus what only the API has: POST on a list
(create: 400 for the classified marking the request carries, once past authorization), PUT and
PATCH (428 without If-Match; with `If-Match: *` an allowed change reaches validation: 400).
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access import matrix
from tests.access.matrix import (
    BAD,
    CABLE_CLEAR,
    CABLE_CLEARANCE_REQUEST,
    CABLE_CORRECT,
    CABLE_EDIT,
    CABLE_EDIT_POST,
    CABLE_RELEASE,
    CABLE_RESUBMIT,
    CABLE_WIDEN_POST,
    CONTENT,
    CREATE_POST,
    EVERY_MEMBER,
    READ,
    READ_CABLE,
    WRITE_POST,
    Row,
    api,
    derive,
)
from tests.access.test_matrix import forbidden_markers
from tests.access.world import RECORD_RESOURCES, RECORD_VARIANTS, build_world
from tests.access.writes import NEW_API_DATA
from tests.conftest import client_for

from .conftest import issue_token

BASENAMES = {
    "counterpart": "api-counterpart",
    "organization": "api-organization",
    "meeting": "api-meeting",
    "agreement": "api-agreement",
    "exercise": "api-exercise",
    "actionitem": "api-action-item",
    "clearance": "api-clearance",
    "gift": "api-gift",
    "cable": "api-cable",
}
ACTIONS = {
    "agreement": "change-status",
    "exercise": "change-phase",
    "actionitem": "close",
    "clearance": "change-status",
}


def _anonymous_401(table: dict) -> dict:
    """An API table where the page's table holds the codes as they are (a create answers 400 for
    the classified marking once past authorization; a change with `If-Match: *` too)."""
    return {role: matrix.UNAUTHORIZED if role == "anonymous" else value for role, value in table.items()}


ANY_VERSION = {"If-Match": "*"}
API_ROWS: list[Row] = []
for resource in RECORD_RESOURCES:
    base = BASENAMES[resource]
    API_ROWS += [
        Row(f"{base}-list", api(EVERY_MEMBER)),
        Row(f"{base}-list", _anonymous_401(CREATE_POST), method="POST"),
        Row(f"{base}-detail", api(READ), resource),
        Row(f"{base}-detail", api(WRITE_POST), resource, "PATCH"),
        Row(f"{base}-detail", api(WRITE_POST), resource, "PUT"),
        Row(
            f"{base}-detail",
            _anonymous_401(WRITE_POST),
            resource,
            "PATCH",
            headers=ANY_VERSION,
        ),
    ]
    if resource in ACTIONS:
        API_ROWS += [
            Row(f"{base}-{ACTIONS[resource]}", api(WRITE_POST), resource, "POST"),
            Row(
                f"{base}-{ACTIONS[resource]}",
                _anonymous_401(WRITE_POST),
                resource,
                "POST",
                headers=ANY_VERSION,
            ),
        ]
CABLE_CORRECT_BAD = derive(
    READ_CABLE, matrix.CABLE_VARIANTS, lambda role, v: BAD if role in ("attache", "chief") and v != "draft" else None
)
API_ROWS += [
    Row("api-cable-list", api(EVERY_MEMBER)),
    Row("api-cable-detail", api(READ_CABLE), "cable"),
    Row("api-cable-detail", api(CABLE_EDIT_POST), "cable", "PATCH"),
    Row(
        "api-cable-detail",
        _anonymous_401(CABLE_EDIT_POST),
        "cable",
        "PATCH",
        headers=ANY_VERSION,
    ),
    Row("api-cable-release", api(CABLE_RELEASE), "cable", "POST"),
    Row("api-cable-return-for-edits", api(CABLE_RELEASE), "cable", "POST"),
    Row("api-cable-resubmit", api(CABLE_RESUBMIT), "cable", "POST"),
    Row("api-cable-widen", api(CABLE_WIDEN_POST), "cable", "POST"),
    Row("api-cable-widen", _anonymous_401(CABLE_WIDEN_POST), "cable", "POST", headers=ANY_VERSION),
    Row("api-handover-pack-list", api(CONTENT)),
    Row("api-cable-redraft", api(CABLE_EDIT_POST), "cable", "POST"),
    Row("api-cable-redraft", _anonymous_401(CABLE_EDIT_POST), "cable", "POST", headers=ANY_VERSION),
    Row("api-cable-redraft-preview", api(CABLE_EDIT), "cable"),
    Row("api-cable-correct", api(CABLE_CORRECT), "cable", "POST"),
    # With If-Match: * an allowed correction reaches validation: the classified field is refused.
    Row("api-cable-correct", _anonymous_401(CABLE_CORRECT_BAD), "cable", "POST", headers=ANY_VERSION),
    Row("api-cable-request-clearance", api(CABLE_CLEARANCE_REQUEST), "cable", "POST"),
    Row("api-cable-request-clearance", _anonymous_401(CABLE_CLEARANCE_REQUEST), "cable", "POST", headers=ANY_VERSION),
    Row("api-cable-clear", api(CABLE_CLEAR), "cable", "POST"),
    Row("api-cable-coordinator", api(CABLE_RELEASE), "cable", "POST"),
]
# Successful writes: a valid new record (201) and a valid change (200) wherever the role may write.
CREATE_SAVE = {**_anonymous_401(CREATE_POST), "attache": matrix.CREATED, "outsider": matrix.CREATED}
WRITE_SAVE = _anonymous_401(derive(READ, RECORD_VARIANTS, lambda role, variant: matrix.OK
                                   if role == "attache" and variant != "restricted_granted" else None))  # fmt: skip
for resource in RECORD_RESOURCES:
    base = BASENAMES[resource]
    API_ROWS += [
        Row(f"{base}-list", CREATE_SAVE, method="POST", data=lambda w, r, v, resource=resource: NEW_API_DATA[resource]),
        Row(f"{base}-detail", WRITE_SAVE, resource, "PATCH", headers=ANY_VERSION,
            data=lambda w, r, v: {"marking": "SBU"}),
    ]  # fmt: skip
AUTH_CHANNELS = ("session", "token")
CELLS = [
    (row, role, variant, way)
    for row, role, variant in ((r, ro, v) for r in API_ROWS for ro in matrix.ROLES for v in r.variants)
    for way in AUTH_CHANNELS
]
FORBIDDEN = {role: [m.lower() for m in forbidden_markers(role)] for role in matrix.ROLES}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.tokens = {role: issue_token(user) for role, user in built.users.items()}
        yield built
        transaction.set_rollback(True)


def _call(world, row, role, variant, way):
    kwargs = dict(row.kwargs)
    if row.resource is not None:
        kwargs["pk"] = world.get(row.resource, variant).pk
    url = reverse(row.name, kwargs=kwargs)
    if role == "anonymous":
        client = Client()
    elif way == "session":
        client = client_for(world.users[role])
    else:
        client = Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})
    headers = dict(row.headers)
    if row.method == "GET":
        return url, client.get(url, headers=headers)
    body = json.dumps(row.body(world, role, variant))
    return url, getattr(client, row.method.lower())(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    "row,role,variant,way",
    CELLS,
    ids=[f"{row.id} [{role}{'/' + variant if variant else ''} by {way}]" for row, role, variant, way in CELLS],
)
def test_api_matrix_cell(world, db, row, role, variant, way):
    url, response = _call(world, row, role, variant, way)
    expected = row.expected(role, variant)
    where = f"{row.method} {url} as {role} ({way})"
    assert response.status_code == expected, (
        f"{where}: {response.status_code}, expected {expected}: {response.content[:300]!r}"
    )
    assert response["Content-Type"].startswith("application/json"), where
    body = response.json()
    if response.status_code >= 400:
        assert set(body) == {"status", "code", "detail", "fields"} and body["status"] == expected, body
    if expected == matrix.UNAUTHORIZED:
        assert response["WWW-Authenticate"].startswith("Bearer")
    text = response.content.decode().lower()
    leaks = [m for m in FORBIDDEN[role] if m in text]
    assert not leaks, f"{where} shows what {role} must not see: {leaks}"


def test_the_api_rows_cover_every_api_route_and_method():
    """Every /api/v1/ route × method of the router is a row here (a new endpoint must join the matrix)."""
    from attache_crm.api_urls import router

    rows = {(row.name, row.method) for row in API_ROWS}
    routes = set()
    for prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            mapping = router.get_method_map(viewset, route.mapping)
            name = route.name.format(basename=basename)
            routes |= {(name, method.upper()) for method in mapping}
    assert routes <= rows, sorted(routes - rows)


def test_markers_reach_those_allowed(world, db):
    """The leak search is not vacuous: the chief reads the restricted markers and notes through the API."""
    from tests.access.world import marker, notes_marker

    counterpart = world.get("counterpart", "restricted")
    client = Client(headers={"Authorization": f"Bearer {world.tokens['chief']}"})
    text = client.get(reverse("api-counterpart-detail", kwargs={"pk": counterpart.pk})).content.decode().lower()
    assert marker("counterpart", "restricted").lower() in text
    assert notes_marker("counterpart", "restricted").lower() in text
    assert BAD == 400
