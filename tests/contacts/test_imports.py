"""Counterparts in from CSV and XLSX: a dry-run preview (mapping remembered per post, outcome and
errors by line, duplicates matched), then all rows or only the valid ones, through the services."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contacts import imports
from contacts.models import Appointment, Counterpart, ImportBatch
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import CounterpartFactory

CSV = (
    "Surname,First name,Rank,Position,E-mail,Notes\n"
    "Haddad,Layla,Aqid,Director of Plans,l.haddad@example.org,x\n"
    "Almansoori,Mohammed,Amid,Chief of Staff,,y\n"
    ",Nameless,,,,\n"
    "Kovalenko,Олександр,Polkovnyk,Attaché liaison,not-an-email,\n"
)

CSV_BYTES = CSV.encode()


def upload(client, post, name="contacts.csv", content=CSV_BYTES):
    return client.post(reverse("counterpart_import"), {"post": post.pk, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def on_file(post, attache):
    return CounterpartFactory(post=post, family_name="AL-MANSOURI", given_names="Muhammad", owner=attache)


def test_preview_saves_nothing_and_says_what_each_line_would_do(post, attache, on_file):
    response = upload(client_for(attache), post)
    html = response.content.decode()
    assert response.status_code == 200 and Counterpart.objects.count() == 1
    plans = {row.line: row for row in response.context["plans"]}
    assert plans[2].proposed == imports.NEW and not plans[2].errors
    assert [c.counterpart for c in plans[3].candidates] == [on_file] and plans[3].proposed == imports.SKIP
    assert plans[4].errors == ["family name: This field cannot be blank."]
    assert plans[5].errors == ["email: Enter a valid email address."]
    assert "Matches" in html and on_file.get_absolute_url() in html and "Import only the valid rows" in html
    batch = ImportBatch.objects.get()
    assert batch.mapping == {
        "Surname": "family_name",
        "First name": "given_names",
        "Rank": "rank_title",
        "Position": "position",
        "E-mail": "email",
    }


def test_a_file_with_bad_rows_is_refused_whole_unless_only_valid_rows(post, attache, on_file):
    client = client_for(attache)
    batch_id = upload(client, post).context["batch"].pk
    mapping = {f"map-{i}": f for i, f in enumerate(["family_name", "given_names", "rank_title", "position", "email"])}
    refused = client.post(reverse("counterpart_import"), {"post": post.pk, "batch": batch_id, "run": "all", **mapping})
    assert refused.status_code == 400 and "2 rows have errors (lines 4, 5)" in refused.content.decode()
    assert Counterpart.objects.count() == 1
    done = client.post(
        reverse("counterpart_import"),
        {"post": post.pk, "batch": batch_id, "run": "valid", "action-3": "update", **mapping},
    )
    assert done.status_code == 302
    assert Counterpart.objects.count() == 2  # Haddad new; Almansoori updated the record on file
    on_file.refresh_from_db()
    assert (on_file.family_name, on_file.position) == ("AL-MANSOURI", "Chief of Staff")
    haddad = Counterpart.objects.get(family_name="Haddad")
    assert haddad.created_by == attache and haddad.appointments.get().position == "Director of Plans"
    assert AuditEvent.objects.filter(action="import").get().detail.endswith("1 new, 1 updated, 0 skipped, 2 invalid")
    assert AuditEvent.objects.filter(action="create", object_id=str(haddad.pk)).exists()


def test_xlsx_reads_like_csv_and_the_mapping_is_remembered(post, attache):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "Tél"])
    sheet.append(["García", "José", "+34 600 000 000"])
    content = io.BytesIO()
    workbook.save(content)
    client = client_for(attache)
    first = upload(client, post, "liste.xlsx", content.getvalue())
    batch = first.context["batch"]
    assert batch.mapping == {}  # no header it knows
    client.post(
        reverse("counterpart_import"),
        {"post": post.pk, "batch": batch.pk, "map-0": "family_name", "map-1": "given_names", "map-2": "phone"},
    )
    again = upload(client, post, "liste.xlsx", content.getvalue())
    assert again.context["batch"].mapping == {"Nom": "family_name", "Prénom": "given_names", "Tél": "phone"}
    assert again.context["plans"][0].fields == {
        "family_name": "García",
        "given_names": "José",
        "phone": "+34 600 000 000",
    }


def test_unreadable_files_are_a_form_error(post, attache):
    client = client_for(attache)
    assert upload(client, post, "x.xlsx", b"not a workbook").status_code == 400
    assert upload(client, post, "x.csv", "é".encode("latin-1")).status_code == 400
    assert client.post(reverse("counterpart_import"), {"post": post.pk}).status_code == 400


def test_someone_elses_batch_is_absent(post, attache, second_attache):
    batch_id = upload(client_for(attache), post).context["batch"].pk
    response = client_for(second_attache).post(
        reverse("counterpart_import"), {"post": post.pk, "batch": batch_id, "run": "all"}
    )
    assert response.status_code == 404


def test_a_long_file_imports_every_row(post, attache):
    rows = 200
    lines = ["Surname,First name,Position"] + [f"Person{i:05d},Given{i},Desk {i}" for i in range(rows)]
    batch = ImportBatch.objects.create(
        post=post,
        created_by=attache,
        filename="long.csv",
        headers=["Surname", "First name", "Position"],
        rows=imports.read_table("long.csv", "\n".join(lines).encode())[1],
        mapping={"Surname": "family_name", "First name": "given_names", "Position": "position"},
    )
    counts = imports.run(attache, batch, actions={}, only_valid=False)
    assert counts["new"] == rows and Counterpart.objects.count() == rows


def _long_batch(post, attache, rows: int) -> ImportBatch:
    headers = ["Surname", "First name", "Position", "E-mail", "Phone"]
    lines = [",".join(headers)] + [
        f"Person{i:05d},Given{i},Desk {i},p{i}@example.org,+44 20 7946 {i:04d}" for i in range(rows)
    ]
    return ImportBatch.objects.create(
        post=post,
        created_by=attache,
        filename="long.csv",
        headers=headers,
        rows=imports.read_table("long.csv", "\n".join(lines).encode())[1],
        mapping=imports.guess_mapping(post, headers),
    )


@pytest.mark.parametrize("rows", [20, 200])
def test_preview_and_import_cost_the_same_queries_for_20_rows_or_200(
    post, attache, on_file, rows, django_assert_max_num_queries
):
    batch = _long_batch(post, attache, rows)
    with django_assert_max_num_queries(8):
        plans = imports.plan(attache, batch)
    assert len(plans) == rows and not any(row.errors or row.candidates for row in plans)
    with django_assert_max_num_queries(30):
        counts = imports.run(attache, batch, actions={}, only_valid=False)
    assert counts["new"] == rows
    created = Counterpart.objects.exclude(pk=on_file.pk)
    assert created.count() == rows
    assert Counterpart.history.filter(history_type="+").exclude(id=on_file.pk).count() == rows
    assert AuditEvent.objects.filter(action="create", object_type="contacts.Counterpart").count() == rows
    assert {a.position for a in Appointment.objects.filter(counterpart__in=created)} == {
        f"Desk {i}" for i in range(rows)
    }
    assert {c.name_folded for c in created[:1]} != {""}  # search keys are written as save() writes them
