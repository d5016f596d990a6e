"""Organizations in from CSV and XLSX, by the same flow as counterparts: a dry-run preview
(matched by name or acronym without case or accents, parents named, errors by line), then all
rows or only the valid ones, through the services, policy and audit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contacts import imports
from contacts.models import ImportBatch, Organization
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import OrganizationFactory

CSV_TEXT = (
    "Name,Abbreviation,Type,Parent\n"
    "Ministry of Defence,MOD,Ministry,\n"  # 2: new
    "État-major général,EMG,Service headquarters,Ministry of Defence\n"  # 3: parent on line 2
    "NAVAL ACADEMY,,school,\n"  # 4: matches "Naval Academy" on file
    "Signals Brigade,,unit,Nowhere Command\n"  # 5: unknown parent
    ",,command,\n"  # 6: no name
    "Air Command,AC,starship,EMG\n"  # 7: unknown kind
)
CSV = CSV_TEXT.encode()


def upload(client, post, name="organizations.csv", content=CSV):
    return client.post(reverse("organization_import"), {"post": post.pk, "file": SimpleUploadedFile(name, content)})


def mapping_of(response) -> dict:
    return {f"map-{index}": field for index, _, field in response.context["columns"]}


@pytest.fixture
def academy(post, attache):
    return OrganizationFactory(post=post, name="Naval Academy", acronym="NAVAC", kind="other", created_by=attache)


def test_preview_saves_nothing_and_says_what_each_line_would_do(post, attache, academy):
    response = upload(client_for(attache), post)
    assert response.status_code == 200 and Organization.objects.count() == 1
    assert response.context["batch"].kind == "organization"
    assert response.context["batch"].mapping == {
        "Name": "name",
        "Abbreviation": "acronym",
        "Type": "kind",
        "Parent": "parent",
    }
    plans = {row.line: row for row in response.context["plans"]}
    assert plans[2].proposed == imports.NEW and not plans[2].errors
    assert plans[3].proposed == imports.NEW and plans[3].parent_line == 2 and not plans[3].errors
    assert plans[4].candidates == [academy] and plans[4].proposed == imports.SKIP
    assert plans[5].errors == ["parent: No organization named “Nowhere Command” on file or on an earlier line."]
    assert plans[6].errors == ["name: This field cannot be blank."]
    assert plans[7].errors == ["kind: Value 'starship' is not a valid choice."]
    html = response.content.decode()
    assert "Import organizations" in html and reverse("organization_detail", args=[academy.pk]) in html
    assert "1 matching a record on file, 3 with errors" in html


def test_a_file_with_bad_rows_is_refused_whole_unless_only_valid_rows(post, attache, academy):
    client = client_for(attache)
    preview = upload(client, post)
    form = {"post": post.pk, "batch": preview.context["batch"].pk, **mapping_of(preview)}
    refused = client.post(reverse("organization_import"), {**form, "run": "all"})
    assert refused.status_code == 400 and "3 rows have errors (lines 5, 6, 7)" in refused.content.decode()
    assert Organization.objects.count() == 1 and not AuditEvent.objects.filter(action="import").exists()

    done = client.post(reverse("organization_import"), {**form, "run": "valid", "action-4": "update"})
    assert done.status_code == 302 and done["Location"] == reverse("organization_list")
    mod = Organization.objects.get(acronym="MOD")
    staff = Organization.objects.get(acronym="EMG")
    assert (mod.kind, mod.parent, mod.created_by) == ("ministry", None, attache)
    assert (staff.name, staff.kind, staff.parent) == ("État-major général", "service_hq", mod)
    academy.refresh_from_db()
    assert (academy.name, academy.kind) == ("Naval Academy", "school")  # its own name kept, the kind updated
    assert Organization.objects.count() == 3
    event = AuditEvent.objects.get(action="import")
    assert event.detail == "organizations.csv: 2 new, 1 updated, 0 skipped, 3 invalid"
    assert AuditEvent.objects.filter(action="create", object_id=str(staff.pk)).exists()
    assert AuditEvent.objects.filter(action="update", object_id=str(academy.pk)).exists()
    assert ImportBatch.objects.get().imported_at is not None


def test_matches_ignore_case_and_accents_and_compare_names_with_acronyms(post, attache):
    on_file = OrganizationFactory(post=post, name="Académie militaire", acronym="ACAM", created_by=attache)
    OrganizationFactory(name="ACADEMIE MILITAIRE", acronym="X")  # another post: never matched
    content = "Name,Acronym\nACADEMIE MILITAIRE,\nacam,\nAcademy of Signals,académie militaire\nSomething else,\n"
    plans = upload(client_for(attache), post, content=content.encode()).context["plans"]
    assert [row.candidates for row in plans] == [[on_file], [on_file], [on_file], []]


def test_skipped_rows_stay_as_they_are_on_file(post, attache, academy):
    client = client_for(attache)
    preview = upload(client, post, content=b"Name,Type\nNaval Academy,school\n")
    form = {"post": post.pk, "batch": preview.context["batch"].pk, **mapping_of(preview)}
    assert client.post(reverse("organization_import"), {**form, "run": "all"}).status_code == 302
    academy.refresh_from_db()
    assert academy.kind == "other" and Organization.objects.count() == 1
    assert AuditEvent.objects.get(action="import").detail.endswith("0 new, 0 updated, 1 skipped, 0 invalid")


def test_a_parent_on_file_is_found_by_its_name_or_acronym(post, attache, academy):
    client = client_for(attache)
    preview = upload(client, post, content=b"Name,Parent\nSchool of Navigation,navac\n")
    form = {"post": post.pk, "batch": preview.context["batch"].pk, **mapping_of(preview)}
    assert client.post(reverse("organization_import"), {**form, "run": "all"}).status_code == 302
    assert Organization.objects.get(name="School of Navigation").parent == academy


UNICODE_NAMES = [
    ("وزارة الدفاع", "و.د"),  # Arabic
    ("Министерство обороны", "МО"),  # Cyrillic
    ("国防部", "国防"),  # CJK
]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


@pytest.mark.parametrize("filename", ["names.csv", "names.xlsx"])
def test_names_in_any_script_round_trip(post, attache, filename):
    rows = [["Organisation", "Short name", "Reports to"]] + [[name, acronym, ""] for name, acronym in UNICODE_NAMES]
    rows.append(["Главный штаб", "", "Министерство обороны"])
    if filename.endswith(".csv"):
        content = "\n".join(",".join(row) for row in rows).encode()
    else:
        content = _xlsx(rows)
    client = client_for(attache)
    preview = upload(client, post, filename, content)
    assert [row.label for row in preview.context["plans"]] == [name for name, _ in UNICODE_NAMES] + ["Главный штаб"]
    html = preview.content.decode()
    assert all(name in html for name, _ in UNICODE_NAMES)
    form = {"post": post.pk, "batch": preview.context["batch"].pk, **mapping_of(preview)}
    assert client.post(reverse("organization_import"), {**form, "run": "all"}).status_code == 302
    assert sorted(Organization.objects.values_list("name", "acronym")) == sorted([*UNICODE_NAMES, ("Главный штаб", "")])
    assert Organization.objects.get(name="Главный штаб").parent.name == "Министерство обороны"
    # The same file again: every row is now on file.
    again = upload(client, post, filename, content)
    assert all(row.proposed == imports.SKIP for row in again.context["plans"])


def test_the_mapping_is_remembered_per_post_and_kind(post, attache):
    client = client_for(attache)
    content = b"Nom,Sigle\nMinistere,MIN\n"
    first = upload(client, post, content=content)
    assert first.context["batch"].mapping == {}
    client.post(
        reverse("organization_import"),
        {"post": post.pk, "batch": first.context["batch"].pk, "map-0": "name", "map-1": "acronym"},
    )
    assert upload(client, post, content=content).context["batch"].mapping == {"Nom": "name", "Sigle": "acronym"}
    counterparts = client.post(
        reverse("counterpart_import"), {"post": post.pk, "file": SimpleUploadedFile("c.csv", content)}
    )
    assert counterparts.context["batch"].kind == "counterpart" and counterparts.context["batch"].mapping == {}


def test_a_counterpart_batch_is_absent_from_the_organization_import(post, attache):
    client = client_for(attache)
    batch = client.post(
        reverse("counterpart_import"), {"post": post.pk, "file": SimpleUploadedFile("c.csv", b"Surname\nHaddad\n")}
    ).context["batch"]
    response = client.post(reverse("organization_import"), {"post": post.pk, "batch": batch.pk, "run": "all"})
    assert response.status_code == 404


def test_only_those_who_may_add_an_organization_may_import(post, attache, diplomat, outsider):
    assert client_for(diplomat).get(reverse("organization_import"), {"post": post.pk}).status_code == 403
    assert upload(client_for(diplomat), post).status_code == 403
    assert upload(client_for(outsider), post).status_code == 404
    assert Organization.objects.count() == 0 and ImportBatch.objects.count() == 0
    listing = client_for(attache).get(reverse("organization_list")).content.decode()
    assert reverse("organization_import") in listing
    assert reverse("organization_import") not in client_for(diplomat).get(reverse("organization_list")).content.decode()


def test_unreadable_files_are_a_form_error(post, attache):
    client = client_for(attache)
    assert upload(client, post, "x.xlsx", b"not a workbook").status_code == 400
    assert upload(client, post, "x.csv", "é".encode("latin-1")).status_code == 400
    assert client.post(reverse("organization_import"), {"post": post.pk}).status_code == 400


def test_a_file_of_one_column_reads(post, attache):
    preview = upload(client_for(attache), post, content="Name\nМинистерство обороны\n".encode())
    assert preview.status_code == 200 and preview.context["plans"][0].fields == {"name": "Министерство обороны"}


@pytest.mark.parametrize("rows", [20, 200])
def test_the_preview_costs_the_same_queries_for_20_rows_or_200(post, attache, rows, django_assert_max_num_queries):
    OrganizationFactory(post=post, name="Joint Staff", acronym="JS", created_by=attache)
    # Every other row under the organization on file, the rest under the row before them.
    cells = [[f"Directorate {i}", "JS" if i % 2 else (f"Directorate {i - 1}" if i else "")] for i in range(rows)]
    batch = ImportBatch.objects.create(
        post=post,
        kind=ImportBatch.Kind.ORGANIZATION,
        created_by=attache,
        filename="long.csv",
        headers=["Name", "Parent"],
        rows=[[line, row] for line, row in enumerate(cells, start=2)],
        mapping={"Name": "name", "Parent": "parent"},
    )
    with django_assert_max_num_queries(6):
        plans = imports.plan(attache, batch)
    assert len(plans) == rows and not any(row.errors or row.candidates for row in plans)
    counts = imports.run(attache, batch, actions={}, only_valid=False)
    assert counts["new"] == rows and Organization.objects.filter(parent__acronym="JS").count() == rows // 2
    assert Organization.objects.get(name="Directorate 2").parent.name == "Directorate 1"


def test_a_row_under_a_row_with_errors_has_an_error_too(post, attache):
    content = b"Name,Acronym,Type,Parent\nSea Command,SC,starship,\nFleet,,unit,SC\n"
    plans = upload(client_for(attache), post, content=content).context["plans"]
    assert plans[0].errors == ["kind: Value 'starship' is not a valid choice."]
    assert plans[1].errors == ["parent: The parent, on line 2, has errors."]
