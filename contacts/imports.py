"""Records in from a spreadsheet (CSV or XLSX): read, map the columns, preview, import.

One flow serves every kind of record that can be imported — counterparts and organizations. What
differs by kind lives in its `Importer`: the fields a column may fill (with the headers that name
them), how a row is checked through the kind's service, how it is matched against the records on
file, and how it is created or updated.

The preview is a dry run: every row is validated as the form would validate it and matched against
the records of the post that the user may see, and says what would happen to it — new, update (the
one matched), skip — or why it cannot be imported, by line number. The import itself goes through
the same services, policy and audit as the form, in one transaction: all rows, or only the valid
ones when the user chooses so (a file with a bad row never half-saves silently).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django_countries import countries
from openpyxl import load_workbook

from tenancy import audit, policy

from . import services
from .duplicates import DuplicateIndex
from .models import Counterpart, ImportBatch, Organization

MAX_ROWS = 10_000
NEW, UPDATE, SKIP = "new", "update", "skip"


class UnreadableFile(ValueError):
    """The upload is neither a CSV nor an XLSX file we can read."""


def read_table(name: str, content: bytes) -> tuple[list[str], list[list]]:
    """(headers, [[line, cells], …]) of the first sheet; blank rows are left out, lines count from 1
    with the header row as line 1, as a spreadsheet program numbers them."""
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise UnreadableFile("This is not an XLSX workbook we can read.") from exc
        table = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("A CSV file must be UTF-8 text.") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:  # one column (no delimiter to find), or nothing at all
            dialect = csv.excel
        table = list(csv.reader(io.StringIO(text), dialect))
    if not table:
        raise UnreadableFile("The file is empty.")
    headers = [h.strip() for h in table[0]]
    rows = [[line, row] for line, row in enumerate(table[1:], start=2) if any(str(c).strip() for c in row)]
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(f"At most {MAX_ROWS:,} rows at a time.")
    return headers, rows


def _key(header: str) -> str:
    return "".join(c for c in header.lower() if c.isalnum())


def folded(text: str) -> str:
    """`text` compared without case, accents or extra spaces, in any script: "État-major" and
    "ETAT-MAJOR" are one name, an Arabic name with or without its vowel marks too."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass
class RowPlan:
    line: int
    fields: dict
    errors: list[str] = field(default_factory=list)
    # Records on file the row matches, best first (contacts.duplicates.Candidate for counterparts).
    candidates: list = field(default_factory=list)
    # The new record the row makes, as the service checked it (None when it has errors).
    record: models.Model | None = None
    # The name the preview shows for the row, and for the record it matches.
    label: str = ""
    match_label: str = ""
    match_url: str = ""
    match_reasons: tuple[str, ...] = ()
    # An organization whose parent is a row earlier in the same file: that row's line.
    parent_line: int | None = None

    @property
    def proposed(self) -> str:
        return SKIP if self.candidates else NEW

    @property
    def counterpart(self) -> Counterpart | None:
        return self.record


class Importer(ABC):
    """What an import of one kind of record needs to know; `plan` and `run` do the rest."""

    kind: str
    model: type[models.Model]
    noun: str  # plural, for headings and messages
    list_url: str  # where a finished import leads
    # Fields a column may fill, with the headers that name them (compared lower-case, without
    # spaces, dashes and underscores).
    fields: dict[str, list[str]]
    choice_fields: tuple[str, ...] = ()

    def clean_value(self, name: str, value: str):
        """A cell as the field stores it: a choice by its stored value or its label."""
        if name in self.choice_fields:
            for stored, label in self.model._meta.get_field(name).choices:
                if value.casefold() in (str(stored).casefold(), str(label).casefold()):
                    return stored
        return value  # left for full_clean() to refuse in its own words

    def errors(self, refusal: ValidationError) -> list[str]:
        if not hasattr(refusal, "error_dict"):
            return [f"row: {message}" for message in refusal.messages]
        return [
            f"{self.model._meta.get_field(name).verbose_name if name != '__all__' else 'row'}: {message}"
            for name, messages in refusal.message_dict.items()
            for message in messages
        ]

    @abstractmethod
    def check(self, user, post, rows: list[RowPlan]) -> None:
        """Validate and match every row, filling in its errors or its record and candidates."""

    @abstractmethod
    def write(self, user, post, rows: list[tuple[RowPlan, str]]) -> None:
        """Save the valid rows, each with its chosen action (NEW or UPDATE)."""


class CounterpartImporter(Importer):
    kind = ImportBatch.Kind.COUNTERPART
    model = Counterpart
    noun = "counterparts"
    list_url = "counterpart_list"
    fields = {
        "family_name": ["familyname", "surname", "lastname", "family"],
        "given_names": ["givennames", "givenname", "firstname", "firstnames", "forename"],
        "native_name": ["nativename", "nameinnativescript", "originalscript"],
        "aliases": ["aliases", "alias", "otherspellings", "akas"],
        "rank_title": ["rank", "ranktitle"],
        "nato_grade": ["natograde", "grade"],
        "position": ["position", "title", "jobtitle", "appointment"],
        "service": ["service", "branch"],
        "status": ["status"],
        "email": ["email", "emailaddress"],
        "phone": ["phone", "telephone", "phonenumber", "mobile"],
        "languages": ["languages", "language"],
        "education": ["education", "schools"],
    }
    choice_fields = ("nato_grade", "service", "status")

    def check(self, user, post, rows):
        """Every row checked as the service checks a new counterpart, and matched against the
        post's counterparts that `user` may see — a few queries for the whole file."""
        checked = services.validate_new_counterparts(post=post, by=user, rows=[row.fields for row in rows])
        index = DuplicateIndex(user, post)
        for row, result in zip(rows, checked, strict=True):
            row.label = f"{row.fields.get('given_names', '')} {row.fields.get('family_name', '')}".strip()
            if isinstance(result, ValidationError):
                row.errors = self.errors(result)
                continue
            row.record = result
            row.candidates = index.candidates(result)
            if row.candidates:
                match = row.candidates[0]
                row.match_label, row.match_url = match.counterpart.rank_and_name, match.counterpart.get_absolute_url()
                row.match_reasons = match.reasons

    def write(self, user, post, rows):
        """New rows are written together (services.counterparts_create_many); a row that updates
        a record on file goes through counterpart_update, as the form's change would."""
        new = []
        for row, action in rows:
            if action == UPDATE:
                # The record keeps its own spelling of the name; the row brings everything else.
                details = {k: v for k, v in row.fields.items() if k not in services.NAME_FIELDS}
                services.counterpart_update(counterpart=row.candidates[0].counterpart, by=user, **details)
            else:
                new.append(row.record)
        services.counterparts_create_many(post=post, by=user, checked=new)


class OrganizationImporter(Importer):
    """Organizations match the post's organizations of the same name or acronym (either way round),
    without case or accents. A parent is named: an organization on file, or one on an earlier
    line of the same file."""

    kind = ImportBatch.Kind.ORGANIZATION
    model = Organization
    noun = "organizations"
    list_url = "organization_list"
    fields = {
        "name": ["name", "organization", "organisation", "fullname"],
        "acronym": ["acronym", "abbreviation", "abbrev", "shortname"],
        "kind": ["kind", "type", "category"],
        "parent": ["parent", "parentorganization", "parentorganisation", "under", "reportsto"],
        "country": ["country"],
    }
    choice_fields = ("kind",)

    def clean_value(self, name, value):
        if name == "country":
            return countries.by_name(value) or value.upper()
        return super().clean_value(name, value)

    @staticmethod
    def _names(name: str, acronym: str) -> set[str]:
        return {folded(name), folded(acronym)} - {""}

    def check(self, user, post, rows):
        """Every row checked as services.organization_create checks one (without saving), and
        matched against the post's organizations `user` may see — a few queries for the file."""
        policy.check_write(user, "add", model=Organization, post=post)
        on_file: dict[str, Organization] = {}
        for organization in policy.visible(user, Organization).filter(post=post).order_by("pk"):
            for name in self._names(organization.name, organization.acronym):
                on_file.setdefault(name, organization)
        earlier: dict[str, int] = {}  # the names of each row → its line
        unknown_parent: dict[int, ValidationError] = {}
        to_check = []
        for row in rows:
            fields = dict(row.fields)
            row.label = fields.get("name", "")
            parent_name = fields.pop("parent", "")
            if parent_name:
                parent = on_file.get(folded(parent_name))
                row.parent_line = None if parent else earlier.get(folded(parent_name))
                if parent is None and row.parent_line is None:
                    unknown_parent[row.line] = ValidationError(
                        {"parent": f"No organization named “{parent_name}” on file or on an earlier line."}
                    )
                fields["parent"] = parent
            to_check.append(fields)
            for name in self._names(fields.get("name", ""), fields.get("acronym", "")):
                earlier.setdefault(name, row.line)
        checked = services.validate_new_organizations(post=post, by=user, rows=to_check)
        invalid_lines = set()
        for row, result in zip(rows, checked, strict=True):
            if row.line in unknown_parent:
                result = unknown_parent[row.line]
            elif row.parent_line in invalid_lines:
                result = ValidationError({"parent": f"The parent, on line {row.parent_line}, has errors."})
            if isinstance(result, ValidationError):
                row.errors = self.errors(result)
                invalid_lines.add(row.line)
                continue
            row.record = result
            names = self._names(result.name, result.acronym)
            row.candidates = list(dict.fromkeys(on_file[name] for name in names if name in on_file))
            if row.candidates:
                match = row.candidates[0]
                row.match_label = str(match)
                row.match_url = reverse("organization_detail", args=[match.pk])
                row.match_reasons = ("same name or acronym",)

    def write(self, user, post, rows):
        """Each row through services.organization_create or organization_update, in file order so
        that a parent on an earlier line exists when its sub-organizations are written."""
        written: dict[int, Organization] = {}
        for row, action in rows:
            fields = dict(row.fields)
            if "parent" in fields:
                fields["parent"] = row.record.parent
            if row.parent_line is not None:
                fields["parent"] = written.get(row.parent_line)
                if fields["parent"] is None:
                    raise ValidationError(
                        f"Line {row.line}: its parent, on line {row.parent_line}, was not imported: nothing was imported."
                    )
            if action == UPDATE:
                # The record keeps its own name; the row brings everything else.
                fields.pop("name", None)
                written[row.line] = services.organization_update(organization=row.candidates[0], by=user, **fields)
            else:
                written[row.line] = services.organization_create(post=post, by=user, **fields)


IMPORTERS: dict[str, Importer] = {
    importer.kind: importer for importer in (CounterpartImporter(), OrganizationImporter())
}
# The counterpart fields, by the name callers have always used.
IMPORT_FIELDS = IMPORTERS[ImportBatch.Kind.COUNTERPART].fields


def guess_mapping(post, headers: list[str], kind: str = ImportBatch.Kind.COUNTERPART) -> dict[str, str]:
    """Column header → field: as the post's last import of this kind mapped the same header, else
    by its name."""
    fields = IMPORTERS[kind].fields
    remembered = {}
    for batch in ImportBatch.objects.filter(post=post, kind=kind).exclude(mapping={}).only("mapping")[:5]:
        remembered = {**batch.mapping, **remembered}
    mapping = {}
    for header in headers:
        if remembered.get(header) in fields:
            mapping[header] = remembered[header]
            continue
        for name, aliases in fields.items():
            if _key(header) in aliases or _key(header) == _key(name):
                mapping[header] = name
                break
    return mapping


def _rows(batch: ImportBatch, importer: Importer) -> list[RowPlan]:
    """A plan of every row with its {field: value} through the batch's mapping; empty cells left out."""
    positions = {header: index for index, header in enumerate(batch.headers)}
    rows = []
    for line, cells in batch.rows:
        fields = {}
        for header, name in batch.mapping.items():
            index = positions.get(header)
            value = str(cells[index]).strip() if index is not None and index < len(cells) else ""
            if value and name in importer.fields:
                fields[name] = importer.clean_value(name, value)
        rows.append(RowPlan(line, fields))
    return rows


def plan(user, batch: ImportBatch) -> list[RowPlan]:
    """What importing each row would do, without saving anything."""
    importer = IMPORTERS[batch.kind]
    rows = _rows(batch, importer)
    importer.check(user, batch.post, rows)
    return rows


@transaction.atomic
def run(user, batch: ImportBatch, *, actions: dict[int, str], only_valid: bool) -> dict[str, int]:
    """Import the batch through the services; refuses the whole file when a row is invalid unless
    `only_valid`. `actions` overrides the proposed action of a row (by line)."""
    importer = IMPORTERS[batch.kind]
    policy.check_write(user, "add", model=importer.model, post=batch.post)
    plans = plan(user, batch)
    invalid = [row.line for row in plans if row.errors]
    if invalid and not only_valid:
        lines = ", ".join(str(line) for line in invalid[:10]) + ("…" if len(invalid) > 10 else "")
        raise ValidationError(f"{len(invalid)} rows have errors (lines {lines}): nothing was imported.")
    counts = {NEW: 0, UPDATE: 0, SKIP: 0, "invalid": len(invalid)}
    chosen = []
    for row in plans:
        if row.errors:
            continue
        action = actions.get(row.line, row.proposed)
        if action not in (NEW, UPDATE) or (action == UPDATE and not row.candidates):
            action = SKIP
        counts[action] += 1
        if action != SKIP:
            chosen.append((row, action))
    importer.write(user, batch.post, chosen)
    batch.imported_at = timezone.now()
    batch.save(update_fields=["imported_at"])
    audit.record(
        action="import",
        user=user,
        obj=batch,
        post=batch.post,
        detail=f"{batch.filename}: {counts[NEW]} new, {counts[UPDATE]} updated, {counts[SKIP]} skipped, "
        f"{counts['invalid']} invalid",
    )
    return counts
