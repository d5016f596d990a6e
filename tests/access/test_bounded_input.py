"""Hostile input through every interface where it was seen: no request is a server error, and
under /api/ every refusal keeps the API's JSON error shape.

The pages come from the role matrix (every URL of the site has a row there, test_matrix.py checks)
and their form fields from the pages themselves: each field of a filter bar or a form gets the
values that once gave a 500 (far dates, integers beyond bigint, negative ids, lists of ids beyond
the cap), and every page gets a NUL character and an oversized body. The API's operations and
their parameters and body fields come from its OpenAPI schema, so a new page, field or endpoint is
covered without touching this file.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tenancy.limits import MAX_JSON_DEPTH
from tenancy.records import MAX_LINKS

from ..api.conftest import issue_token
from ..conftest import client_for
from . import matrix
from .world import build_world

HUGE = 2**64
FAR_DATES = ["9999-12-31", "0001-01-01"]
FAR_DATETIMES = ["9999-12-31T23:59", "0001-01-01T00:00"]
NUMBERS = [str(HUGE), "-1", "1" * 40]
ERROR_KEYS = {"status", "code", "detail", "fields"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# ---------------------------------------------------------------- pages


class FormFields(HTMLParser):
    """(method, name, kind) of every field of every form of a page; kind is the input's type,
    "select", "select-multiple" or "textarea"."""

    def __init__(self):
        super().__init__()
        self.method, self.fields = "get", []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.method = (attrs.get("method") or "get").lower()
        elif tag in ("input", "select", "textarea") and attrs.get("name"):
            if tag == "input":
                kind = attrs.get("type", "text")
            elif tag == "select":
                kind = "select-multiple" if "multiple" in attrs else "select"
            else:
                kind = "textarea"
            if kind not in ("submit", "button", "checkbox", "radio") and attrs["name"] != "csrfmiddlewaretoken":
                self.fields.append((self.method, attrs["name"], kind))


def hostile_values(kind: str, *, free_text: bool = True) -> list:
    """What each kind of field is given: the values that reach past a lax field into a lookup or
    a date computation. Free text takes anything, but some filters read it as an id or a date."""
    if kind == "date":
        return FAR_DATES
    if kind == "datetime-local":
        return FAR_DATETIMES
    if kind == "select-multiple":
        return [[str(HUGE)], [str(n) for n in range(1, MAX_LINKS + 2)]]
    if kind in ("select", "number"):
        return [str(HUGE), "-1"]
    if kind == "hidden":  # a formset's counts, the page's own ids
        return [str(HUGE)] if free_text else []
    return [str(HUGE), FAR_DATES[0]] if free_text else []


def _reader(row):
    """A role and a variant for which the row's page opens (200), or None."""
    for role in ("attache", "chief", "admin", "diplomat"):
        for variant in row.variants:
            if row.expected(role, variant) == matrix.OK:
                return role, variant
    return None


def _url(world, row, role, variant) -> str:
    kwargs = dict(row.kwargs)
    if row.resource is not None:
        kwargs[row.kwarg] = world.get(row.resource, role if row.resource in matrix.BY_ROLE else variant).pk
    return reverse(row.name, kwargs=kwargs) + (f"?{row.query}" if row.query else "")


def _page_rows():
    seen, rows = set(), []
    for row in matrix.ROWS:
        key = (row.name, row.resource, tuple(row.kwargs.items()))
        if row.method != "GET" or row.name.startswith(("admin:", "api-")) or key in seen:
            continue
        seen.add(key)
        rows.append(row)
    return rows


# Pages no role of the world may open (a cable's grants: nobody shares a cable) take no input.
PAGES = [row for row in _page_rows() if _reader(row) is not None]


@pytest.mark.parametrize("row", PAGES, ids=[f"{row.name}{' ' + row.resource if row.resource else ''}" for row in PAGES])
def test_hostile_input_to_a_page_and_its_forms_is_never_a_server_error(world, db, row):
    role, variant = _reader(row)
    client = client_for(world.users[role])
    url = _url(world, row, role, variant)
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} as {role}: {page.status_code}"
    parser = FormFields()
    if page["Content-Type"].startswith("text/html"):  # a PDF or a feed has no forms, only its query
        parser.feed(page.content.decode())
    fields = parser.fields + [("get", name, "number") for name in ("page", "post")]

    # Filter bars and the page's own parameters, field by field (a filter runs only when the
    # others are valid). Forms are written field by field in the test below.
    for method, name, kind in fields:
        if method != "get":
            continue
        for value in hostile_values(kind):
            response = client.get(url, {name: value})
            assert response.status_code < 500, f"GET {url} {name}={str(value)[:40]!r} as {role}: {response.status_code}"

    # Whatever the field: a NUL character is a 400, never the database's error.
    response = client.get(url, {name: "a\x00b" for method, name, _ in fields if method == "get"})
    assert response.status_code == 400, f"GET {url} with NUL: {response.status_code}"
    if any(method == "post" for method, _, _ in fields):
        response = client.post(url, {name: "a\x00b" for method, name, _ in fields if method == "post"})
        assert response.status_code == 400, f"POST {url} with NUL: {response.status_code}"
        assert b"NUL" in response.content


VALID_WRITES = [row for row in matrix.ROWS if row.method == "POST" and callable(row.data)]


@pytest.mark.parametrize("row", VALID_WRITES, ids=[row.id for row in VALID_WRITES])
def test_each_field_of_a_valid_write_given_a_hostile_value_is_a_form_error(world, db, row):
    """A valid submission with one field made hostile: the form says what is wrong (400), nothing
    reaches the database's own limits."""
    variant = row.variants[0]
    client = client_for(world.users["attache"])
    url = _url(world, row, "attache", variant)
    data = row.body(world, "attache", variant)
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    for _, name, kind in parser.fields:
        if name not in data:
            continue
        for value in hostile_values(kind, free_text=False):
            response = client.post(url, {**data, name: value})
            where = f"POST {url} {name}={str(value)[:40]!r}"
            assert response.status_code == 400, f"{where}: {response.status_code}"


def test_far_dates_in_a_form_are_refused_with_the_range(world, db):
    client = client_for(world.users["attache"])
    data = {**matrix._new_record("exercise")(world, "attache", None), "ends_on": "9999-12-31"}
    response = client.post(reverse("exercise_new"), data)
    assert response.status_code == 400
    assert "Use a date between 1900 and 2199." in response.content.decode()


def test_far_dates_in_a_list_filter_are_refused_with_the_range(world, db):
    client = client_for(world.users["attache"])
    for query in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}):
        response = client.get(reverse("meeting_list"), query)
        assert response.status_code == 400, query
        assert "Use a date between 1900 and 2199." in response.content.decode()


def test_more_ids_than_links_allowed_in_a_form_is_refused_before_any_lookup(world, db, django_assert_max_num_queries):
    client = client_for(world.users["attache"])
    url = reverse("meeting_new")
    data = {
        **matrix._new_record("meeting")(world, "attache", None),
        "attendees": [str(n) for n in range(1, MAX_LINKS + 100)],
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"no more than {MAX_LINKS} elements" in response.content.decode()


def test_an_oversized_form_body_is_refused_unread_with_413(world, db):
    client = client_for(world.users["attache"])
    body = "title=" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(reverse("meeting_new"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert b"larger than 2 MiB" in response.content


# ---------------------------------------------------------------- API


RESOURCE_OF_PATH = {
    "counterparts": ("counterpart", "post"),
    "organizations": ("organization", "post"),
    "meetings": ("meeting", "post"),
    "agreements": ("agreement", "post"),
    "exercises": ("exercise", "post"),
    "action-items": ("actionitem", "post"),
    "cables": ("cable", "draft"),
    "clearances": ("clearance", "post"),
    "gifts": ("gift", "post"),
}


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, methods in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in methods.items():
            yield path, method.upper(), operation, schema["components"]["schemas"]


OPERATIONS = list(_operations())
LISTS = [(path, op) for path, method, op, _ in OPERATIONS if method == "GET" and "{id}" not in path]
# PUT shares PATCH's code path (it only adds "required"): PATCH stands for both.
WRITES = [(path, method, op, components) for path, method, op, components in OPERATIONS if method in ("POST", "PATCH")]


def _api_client(world, role="attache") -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(world.users[role])}")


def _path(world, path: str) -> str:
    if "{id}" not in path:
        return path
    resource, variant = RESOURCE_OF_PATH[path.split("/")[3]]
    return path.replace("{id}", str(world.get(resource, variant).pk))


def assert_api_refusal(response, where):
    assert response.status_code < 500, f"{where}: {response.status_code} {response.content[:300]!r}"
    assert response["Content-Type"] == "application/json", f"{where}: {response['Content-Type']}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code, f"{where}: {body}"


def _json_values(schema: dict) -> list:
    """Hostile JSON values of the right type for a field of this schema (wrong types, and lists
    beyond the cap, have rounds of their own: either stops the validation of the other fields)."""
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "array":
        return [[HUGE], [-1]]
    if kind == "integer":
        return [HUGE, -1]
    if fmt in ("date", "date-time"):
        # The last one is within the range where it is written, beyond Python's in UTC.
        return [*FAR_DATES, "9999-12-31T23:59:59-14:00"]
    return ["9999-12-31"]


def hostile_bodies(properties: dict) -> list[dict]:
    """Bodies that give every field a hostile value at once, round after round (DRF validates each
    field on its own and reports them all): each field's values, then every field given a number
    too large for any column, then every list given 10,000 ids."""
    if not properties:
        return []  # an action that takes no body: only the raw bodies below
    values = {name: _json_values(schema) for name, schema in properties.items()}
    rounds = max((len(v) for v in values.values()), default=0)
    bodies = [{name: v[i % len(v)] for name, v in values.items()} for i in range(rounds)]
    bodies.append(dict.fromkeys(properties, HUGE))
    lists = [name for name, schema in properties.items() if schema.get("type") == "array"]
    if lists:
        bodies.append({name: list(range(1, 10_001)) for name in lists})
    return bodies


def _properties(operation: dict, components: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref")
    if not ref:
        return {}
    return components[ref.rsplit("/", 1)[1]].get("properties", {})


@pytest.mark.parametrize("path,operation", LISTS, ids=[path for path, _ in LISTS])
def test_hostile_filters_of_an_api_list_answer_400_in_the_json_shape(world, db, path, operation):
    client = _api_client(world)
    names = []
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        name, schema = parameter["name"], parameter.get("schema", {})
        names.append(name)
        dated = schema.get("format") in ("date", "date-time")
        if dated:
            values = [*FAR_DATES, "9999-12-31T23:59:59-14:00"]
        elif schema.get("type") == "integer":
            values = [str(HUGE), "-1"]
        else:  # some text filters read an id or a date
            values = [str(HUGE), FAR_DATES[0]]
        for value in values:
            response = client.get(path, {name: value})
            assert_api_refusal(response, f"GET {path}?{name}={value!r}")
            if dated:
                assert response.status_code == 400, f"GET {path}?{name}={value!r}"
    response = client.get(path, dict.fromkeys(names, "a\x00b"))
    assert response.status_code == 400
    assert_api_refusal(response, f"GET {path} with NUL")


@pytest.mark.parametrize(
    "path,method,operation,components", WRITES, ids=[f"{method} {path}" for path, method, _, _ in WRITES]
)
def test_hostile_bodies_of_an_api_write_answer_4xx_in_the_json_shape(world, db, path, method, operation, components):
    client = _api_client(world, "chief" if path.startswith("/api/v1/cables/") else "attache")
    url = _path(world, path)
    headers = {"If-Match": "*"}

    def send(body: bytes | str, content_type="application/json"):
        return getattr(client, method.lower())(url, body, content_type=content_type, headers=headers)

    for body in hostile_bodies(_properties(operation, components)):
        response = send(json.dumps(body))
        assert_api_refusal(response, f"{method} {url} {str(body)[:200]}")

    raw = {
        "depth": "[" * 100_000,
        "depth_within_recursion": "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
        "nul": json.dumps({"title": "a\x00b"}),
        "surrogate": '{"title": "\\ud800"}',
        "not_utf8": b'{"title": "\xff"}',
        "not_json": "{",
        "nan": '{"title": NaN}',
    }
    # An action refused to this actor whatever it is sent (a cable that is not theirs to clear, not
    # yet released …) refuses a hostile body the same way; any other answers 400.
    benign = send("{}")
    expected = benign.status_code if benign.status_code in (403, 404, 409) else 400
    for label, body in raw.items():
        response = send(body)
        assert_api_refusal(response, f"{method} {url} {label}")
        assert response.status_code == expected, f"{method} {url} {label}: {response.status_code}"
    response = send("x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    assert_api_refusal(response, f"{method} {url} oversized")
    assert response.status_code == 413


def test_ten_thousand_ids_in_an_api_write_answer_a_fast_400_without_lookups(world, db, django_assert_max_num_queries):
    client = _api_client(world)
    meeting = world.get("meeting", "post")
    with django_assert_max_num_queries(12):  # authentication, the record and its post rule only
        response = client.patch(
            f"/api/v1/meetings/{meeting.pk}/",
            json.dumps({"counterparts": list(range(1, 10_001))}),
            content_type="application/json",
            headers={"If-Match": "*"},
        )
    assert response.status_code == 400
    assert response.json()["fields"]["counterparts"] == [
        {"code": "max_length", "message": f"Ensure this field has no more than {MAX_LINKS} elements."}
    ]


@pytest.mark.parametrize(
    "request_args,status",
    [
        (("get", "/api/v1/nowhere/"), 404),
        (("get", "/api/v1/meetings/999999999/"), 404),
        (("delete", "/api/v1/meetings/"), 405),
        (("get", "/api/v1/meetings/?page=a%00b"), 400),
    ],
)
def test_every_api_error_is_in_the_json_shape(world, db, request_args, status):
    method, path = request_args
    response = getattr(_api_client(world), method)(path)
    assert response.status_code == status
    assert_api_refusal(response, f"{method} {path}")


def test_an_api_server_error_is_in_the_json_shape(world, db, monkeypatch):
    from engagements.api import MeetingViewSet

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(MeetingViewSet, "list", broken)
    client = _api_client(world)
    client.raise_request_exception = False
    response = client.get("/api/v1/meetings/")
    assert response.status_code == 500
    assert_api_refusal_shape(response)


def assert_api_refusal_shape(response):
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS and body["status"] == response.status_code


def test_a_session_without_its_second_factor_is_refused_in_the_json_shape(world, db):
    client = Client()
    client.force_login(world.users["admin"])  # the admin role needs a second factor
    response = client.get("/api/v1/meetings/")
    assert response.status_code == 403
    assert_api_refusal_shape(response)
    assert response.json()["code"] == "second_factor_required"


# ---------------------------------------------------------------- forms carry the bounds


def test_every_multiple_choice_of_a_record_form_is_capped_before_its_lookup():
    from django import forms

    from attache_crm.forms import LinksField, RecordForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    unbounded = [
        f"{form.__name__}.{name}"
        for form in subclasses(RecordForm)
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(field, LinksField)
    ]
    assert not unbounded
