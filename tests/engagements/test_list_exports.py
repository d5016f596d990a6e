"""Every list page out as CSV and XLSX (organizations, meetings, agreements, exercises, follow-ups,
clearances, gifts): the list's own filters, only what the reader may see, never restricted notes,
formulas neutralised, each export audited, a bad filter a 400 — at a cost that does not grow with
the rows."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tenancy.markings import Channel
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    ClearanceFactory,
    ExerciseFactory,
    GiftFactory,
    MeetingFactory,
    OrganizationFactory,
)

# (URL name, factory, the field a row's text goes in, a filter that keeps the "Shown" rows only,
# what makes a row match that filter, what makes the other row miss it)
SEARCH = ("q=Shown", {}, {})
LISTS = [
    ("organization_export", OrganizationFactory, "name", *SEARCH),
    ("meeting_export", MeetingFactory, "title", "status=planned", {"status": "planned"}, {"status": "conducted"}),
    ("agreement_export", AgreementFactory, "title", *SEARCH),
    ("exercise_export", ExerciseFactory, "name", *SEARCH),
    ("action_export", ActionItemFactory, "description", "status=open", {"status": "open"}, {"status": "done"}),
    ("clearance_export", ClearanceFactory, "mission", *SEARCH),
    ("gift_export", GiftFactory, "description", *SEARCH),
]
PARAMETERS = ("name", "factory", "field", "query", "shown", "other")


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(PARAMETERS, LISTS, ids=[row[0] for row in LISTS])
def test_an_export_holds_the_filtered_rows_the_reader_may_see(
    post, attache, diplomat, second_attache, name, factory, field, query, shown, other
):
    factory(post=post, **shown, **{field: "Shown row"})
    factory(post=post, **shown, **{field: "=cmd|' /C calc'!A0 Shown formula"})
    factory(post=post, **other, **{field: "Other row"})
    kept_by_another = {"channel": Channel.RESTRICTED, "created_by": second_attache}
    if name == "organization_export":
        kept_by_another = {"channel": Channel.ATTACHE}  # hidden from the diplomat below
    factory(post=post, **shown, **kept_by_another, **{field: "Shown hidden row"})
    client = client_for(attache)

    everything = client.get(reverse(name), {"as": "csv"})
    assert everything.status_code == 200 and everything["Content-Type"].startswith("text/csv")
    cells = {cell for row in read_csv(everything)[1:] for cell in row}
    assert {"Shown row", "Other row", "'=cmd|' /C calc'!A0 Shown formula"} <= cells
    if name == "organization_export":
        client = client_for(diplomat)
        assert "Shown hidden row" in everything.content.decode("utf-8-sig")
        everything = client.get(reverse(name), {"as": "csv"})
    assert "Shown hidden row" not in everything.content.decode("utf-8-sig")

    filtered = client.get(f"{reverse(name)}?{query}&as=xlsx")
    sheet = load_workbook(io.BytesIO(filtered.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    texts = {value for row in values[1:] for value in row}
    assert "Shown row" in texts and "Other row" not in texts and len(values) == 3  # header and two "Shown"
    event = AuditEvent.objects.filter(action="export").order_by("id").last()
    assert event is not None and event.detail.startswith("xlsx, 2 ")
    assert event.detail.endswith(f"filters: {query.split('=')[0]}")  # the filter's name, never its value


@pytest.mark.parametrize("name", ["meeting_export", "organization_export", "gift_export"])
def test_a_bad_format_or_filter_is_a_400(post, attache, name):
    client = client_for(attache)
    assert client.get(reverse(name), {"as": "pdf"}).status_code == 400
    if name == "meeting_export":
        assert client.get(reverse(name), {"as": "csv", "date_from": "tomorrow"}).status_code == 400


def test_restricted_notes_are_never_exported_even_to_the_chief(post, chief):
    MeetingFactory(post=post, title="Office call", restricted_notes="RESTRICTED-NOTE-MARKER")
    response = client_for(chief).get(reverse("meeting_export"), {"as": "csv"})
    assert "Office call" in response.content.decode("utf-8-sig")
    assert "RESTRICTED-NOTE-MARKER" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(PARAMETERS, LISTS, ids=[row[0] for row in LISTS])
def test_an_export_costs_the_same_queries_for_3_rows_or_30(
    post, attache, name, factory, field, query, shown, other, django_assert_max_num_queries
):
    client = client_for(attache)
    client.get(reverse(name), {"as": "csv"})  # the session and the roles, read once
    for count in (3, 30):
        factory.create_batch(count - (3 if count == 30 else 0), post=post)
        with django_assert_max_num_queries(12):
            response = client.get(reverse(name), {"as": "csv"})
        assert len(read_csv(response)) == 1 + count
