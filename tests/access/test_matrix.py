"""Drive every cell of the role matrix (matrix.py) through the real client, and search every body
for the markers of records (and restricted_notes) that the role must not see."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..conftest import client_for
from . import matrix
from .matrix import ADMIN_LOGIN, LOGIN, READ, READ_CABLE, ROWS
from .world import CABLE_VARIANTS, RECORD_RESOURCES, RECORD_VARIANTS, build_world, marker, notes_marker

NOTES_READERS = {"attache", "chief"}
NOTES_RESOURCES = ("counterpart", "meeting")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; each test runs in a savepoint inside it (pytest-django's `db`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def forbidden_markers(role: str) -> list[str]:
    """Markers whose presence in any body this role receives is a leak."""
    found = []
    for resource in RECORD_RESOURCES + ("cable",):
        read, variants = (READ_CABLE, CABLE_VARIANTS) if resource == "cable" else (READ, RECORD_VARIANTS)
        for variant in variants:
            seen = role != "outsider" and role != "anonymous" and matrix.code(read, role, variant) == matrix.OK
            if not seen:
                found.append(marker(resource, variant))
            if resource in NOTES_RESOURCES and not (seen and role in NOTES_READERS):
                found.append(notes_marker(resource, variant))
    if role != "outsider":
        found += [marker(resource, "post", "other") for resource in RECORD_RESOURCES + ("cable",)]
        found += [notes_marker(resource, "post", "other") for resource in NOTES_RESOURCES]
    return found


FORBIDDEN = {role: [m.lower() for m in forbidden_markers(role)] for role in matrix.ROLES}


def _client(world, role) -> Client:
    return Client() if role == "anonymous" else client_for(world.users[role])


def _url(world, row, variant) -> str:
    kwargs = dict(row.kwargs)
    if row.resource is not None:
        kwargs[row.kwarg] = world.get(row.resource, variant).pk
    return reverse(row.name, kwargs=kwargs) + (f"?{row.query}" if row.query else "")


def _data(world, row, role, variant) -> dict:
    """The row's POST data: a valid write built for the cell, or fixed data in which "{post}" and
    "{other}" stand for the ids of BANDAR and of an account of another post."""
    if callable(row.data):
        return row.body(world, role, variant)
    ids = {"post": world.post.pk, "other": world.get("person", "other").pk}
    return {key: value.format(**ids) if isinstance(value, str) else value for key, value in row.data.items()}


CELLS = list(matrix.cells())


@pytest.mark.parametrize(
    "row,role,variant",
    CELLS,
    ids=[f"{row.id} [{role}{'/' + variant if variant else ''}]" for row, role, variant in CELLS],
)
def test_matrix_cell(world, db, row, role, variant):
    url = _url(world, row, variant)
    client = _client(world, role)
    if row.method == "POST":
        response = client.post(url, _data(world, row, role, variant), headers=row.headers)
    else:
        response = client.get(url, headers=row.headers)
    expected = row.expected(role, variant)
    where = f"{row.method} {url} as {role}"
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            f"{where}: {response.status_code}, expected a redirect to the login page"
        )
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), (
            f"{where}: {response.status_code}, expected a redirect to the admin's login"
        )
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"
    body = response.content.decode(errors="replace").lower()
    leaks = [m for m in FORBIDDEN[role] if m in body]
    assert not leaks, f"{where} shows what {role} must not see: {leaks}"


# ---------------------------------------------------------------- nothing left out


def _patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, str(pattern.pattern)


def test_every_url_pattern_is_in_the_matrix_or_exempt_with_a_reason():
    covered = {row.name for row in ROWS}
    missing = sorted(
        f"{name} ({route})"
        for namespace, name, route in _patterns()
        if namespace not in matrix.EXEMPT_NAMESPACES and name not in covered and name not in matrix.EXEMPT
    )
    assert not missing, f"URL patterns without a row in tests/access/matrix.py: {missing}"


def test_every_matrix_row_names_an_existing_url():
    patterns = list(_patterns())
    names = {name for _, name, _ in patterns} | {f"{ns}:{name}" for ns, name, _ in patterns if ns}
    assert {row.name for row in ROWS} <= names, {row.name for row in ROWS} - names


def test_the_markers_do_appear_where_they_are_allowed(world, db):
    """The leak search is not vacuous: a chief's page does show the markers and the notes."""
    body = client_for(world.users["chief"]).get(world.get("counterpart", "restricted").get_absolute_url())
    text = body.content.decode().lower()
    assert marker("counterpart", "restricted").lower() in text
    assert notes_marker("counterpart", "restricted").lower() in text


@pytest.mark.parametrize("role", [r for r in matrix.ROLES if r != "anonymous"])
@pytest.mark.parametrize("resource", RECORD_RESOURCES + ("cable",))
def test_policy_querysets_and_counts_match_the_matrix(world, db, role, resource):
    """What lists and counts are built on: policy.visible() holds exactly the variants the matrix allows."""
    from tenancy import policy

    read, variants = (READ_CABLE, CABLE_VARIANTS) if resource == "cable" else (READ, RECORD_VARIANTS)
    model = type(world.get(resource, variants[0]))
    user = world.users[role]
    policy.forget_roles(user)
    expected = {world.get(resource, v).pk for v in variants if matrix.code(read, role, v) == matrix.OK}
    if role == "outsider":
        expected = {world.other_records[resource].pk}
    visible = policy.visible(user, model)
    assert set(visible.values_list("pk", flat=True)) == expected
    assert visible.count() == len(expected)
