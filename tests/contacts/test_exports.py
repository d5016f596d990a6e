"""Counterparts out: the list's rows with its filters as CSV and XLSX, a vCard per counterpart —
only what the reader may see, never restricted notes, formulas neutralised, each export audited."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tenancy.markings import Channel
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import CounterpartFactory, OrganizationFactory


@pytest.fixture
def people(post, second_attache):
    hidden_ministry = OrganizationFactory(post=post, name="Secret Directorate", channel=Channel.ATTACHE)
    return {
        "haddad": CounterpartFactory(
            post=post,
            family_name="Haddad",
            given_names="Layla",
            native_name="ليلى حداد",
            restricted_notes="RESTRICTED-NOTE-MARKER",
            email="l.haddad@example.org",
            phone="+000 555 0101",
            status="active",
        ),
        "formula": CounterpartFactory(post=post, family_name='=HYPERLINK("http://evil")', given_names="@Mallory"),
        "attache_only": CounterpartFactory(
            post=post, family_name="Quietly", given_names="Sam", channel=Channel.ATTACHE, organization=hidden_ministry
        ),
        "restricted": CounterpartFactory(
            post=post, family_name="Hidden", given_names="Nobody", channel=Channel.RESTRICTED, owner=second_attache
        ),
        "retired": CounterpartFactory(post=post, family_name="Oldman", given_names="Ret", status="retired"),
    }


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_is_what_the_list_shows_with_its_filters(people, diplomat, attache):
    rows = _csv(client_for(diplomat).get(reverse("counterpart_export"), {"as": "csv"}))
    header, body = rows[0], rows[1:]
    names = {row[0] for row in body}
    assert "Haddad" in names and "Oldman" in names
    assert "Quietly" not in names and "Hidden" not in names  # hidden from a diplomat
    haddad = next(row for row in body if row[0] == "Haddad")
    assert haddad[header.index("Native name")] == "ليلى حداد"  # Unicode round-trips
    assert "RESTRICTED-NOTE-MARKER" not in str(rows) and "Restricted notes" not in header
    filtered = _csv(client_for(attache).get(reverse("counterpart_export"), {"as": "csv", "status": "retired"}))
    assert [row[0] for row in filtered[1:]] == ["Oldman"]
    searched = _csv(client_for(attache).get(reverse("counterpart_export"), {"as": "csv", "q": "Hadad"}))
    assert [row[0] for row in searched[1:]] == ["Haddad"]


def test_formulas_are_written_as_text(people, attache):
    rows = _csv(client_for(attache).get(reverse("counterpart_export"), {"as": "csv", "q": "Mallory"}))
    assert rows[1][0] == '\'=HYPERLINK("http://evil")' and rows[1][1] == "'@Mallory"


def test_xlsx_round_trips_and_hides_what_the_reader_may_not_see(people, diplomat, attache):
    response = client_for(attache).get(reverse("counterpart_export"), {"as": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="counterparts.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values[0]
    quietly = next(row for row in values if row[0] == "Quietly")
    assert quietly[header.index("Organization")].startswith("Secret Directorate")  # the attaché may see it
    assert next(row for row in values if row[0] == "Haddad")[header.index("Native name")] == "ليلى حداد"
    assert not any(row[0] == "Hidden" for row in values)
    assert any(str(row[0]).startswith("'=") for row in values[1:])


def test_every_export_is_audited(people, attache):
    client = client_for(attache)
    client.get(reverse("counterpart_export"), {"as": "csv", "status": "retired"})
    client.get(reverse("counterpart_vcard", args=[people["haddad"].pk]))
    details = list(AuditEvent.objects.filter(action="export").order_by("pk").values_list("detail", flat=True))
    assert details == ["csv, 1 counterparts, filters: status", "vcard"]


def test_unknown_format_is_a_400(attache, db):
    assert client_for(attache).get(reverse("counterpart_export"), {"as": "pdf"}).status_code == 400


def test_vcard_has_names_and_contacts_and_no_notes(people, attache, diplomat):
    response = client_for(attache).get(reverse("counterpart_vcard", args=[people["haddad"].pk]))
    card = response.content.decode()
    assert response["Content-Type"].startswith("text/vcard")
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n") and card.endswith("END:VCARD\r\n")
    assert "N:Haddad;Layla;;General;" in card and "EMAIL;TYPE=INTERNET:l.haddad@example.org" in card
    assert "NICKNAME:ليلى حداد" in card and "RESTRICTED-NOTE-MARKER" not in card
    quietly = people["attache_only"].pk
    assert client_for(diplomat).get(reverse("counterpart_vcard", args=[quietly])).status_code == 404
    assert (
        "ORG:Secret Directorate"
        in client_for(attache).get(reverse("counterpart_vcard", args=[quietly])).content.decode()
    )


def test_the_list_links_its_exports_with_its_filters(people, attache):
    html = client_for(attache).get(reverse("counterpart_list"), {"status": "retired", "page": "1"}).content.decode()
    assert f"{reverse('counterpart_export')}?status=retired&amp;as=csv" in html


def test_export_queries_do_not_grow_with_rows(post, attache):
    client = client_for(attache)
    counts = []
    for added in (3, 27):
        for _ in range(added):
            CounterpartFactory(post=post)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("counterpart_export"), {"as": "xlsx"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
