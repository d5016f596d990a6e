"""Counterparts in from a spreadsheet (CSV or XLSX): read, map the columns, preview, import.

The preview is a dry run: every row is validated as the form would validate it and matched against
the counterparts the user may see (contacts.duplicates), and says what would happen to it — new,
update (the one matched), skip — or why it cannot be imported, by line number. The import itself
goes through the same services, policy and audit as the form, in one transaction: all rows, or
only the valid ones when the user chooses so (a file with a bad row never half-saves silently).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from tenancy import audit, policy

from . import services
from .duplicates import Candidate, DuplicateIndex
from .models import Counterpart, ImportBatch

MAX_ROWS = 10_000
NEW, UPDATE, SKIP = "new", "update", "skip"
# Fields a column may fill, with the headers that name them (compared lower-case, without spaces,
# dashes and underscores).
IMPORT_FIELDS = {
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
CHOICE_FIELDS = ("nato_grade", "service", "status")


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
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
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


def guess_mapping(post, headers: list[str]) -> dict[str, str]:
    """Column header → field: as the post's last import mapped the same header, else by its name."""
    remembered = {}
    for batch in ImportBatch.objects.filter(post=post).exclude(mapping={}).only("mapping")[:5]:
        remembered = {**batch.mapping, **remembered}
    mapping = {}
    for header in headers:
        if remembered.get(header) in IMPORT_FIELDS:
            mapping[header] = remembered[header]
            continue
        for name, aliases in IMPORT_FIELDS.items():
            if _key(header) in aliases or _key(header) == _key(name):
                mapping[header] = name
                break
    return mapping


@dataclass
class RowPlan:
    line: int
    fields: dict
    errors: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    # The new counterpart the row makes, as the service checked it (None when it has errors).
    counterpart: Counterpart | None = None

    @property
    def proposed(self) -> str:
        return SKIP if self.candidates else NEW


def _choice(name: str, value: str) -> str:
    choices = Counterpart._meta.get_field(name).choices
    for stored, label in choices:
        if value.casefold() in (str(stored).casefold(), str(label).casefold()):
            return stored
    return value  # left for full_clean() to refuse in its own words


def _row_fields(batch: ImportBatch) -> list[tuple[int, dict]]:
    """(line, {field: value}) of every row, through the batch's mapping; empty cells left out."""
    positions = {header: index for index, header in enumerate(batch.headers)}
    rows = []
    for line, cells in batch.rows:
        fields = {}
        for header, name in batch.mapping.items():
            index = positions.get(header)
            value = str(cells[index]).strip() if index is not None and index < len(cells) else ""
            if value:
                fields[name] = _choice(name, value) if name in CHOICE_FIELDS else value
        rows.append((line, fields))
    return rows


def _errors(refusal: ValidationError) -> list[str]:
    if not hasattr(refusal, "error_dict"):
        return [f"row: {message}" for message in refusal.messages]
    return [
        f"{Counterpart._meta.get_field(name).verbose_name if name != '__all__' else 'row'}: {message}"
        for name, messages in refusal.message_dict.items()
        for message in messages
    ]


def plan(user, batch: ImportBatch) -> list[RowPlan]:
    """What importing each row would do, without saving anything: every row checked as the
    service checks a new counterpart, and matched against the post's counterparts that `user` may
    see — a few queries for the whole file, whatever its length."""
    rows = _row_fields(batch)
    checked = services.validate_new_counterparts(post=batch.post, by=user, rows=[fields for _, fields in rows])
    index = DuplicateIndex(user, batch.post)
    plans = []
    for (line, fields), result in zip(rows, checked, strict=True):
        row = RowPlan(line, fields)
        if isinstance(result, ValidationError):
            row.errors = _errors(result)
        else:
            row.counterpart = result
            row.candidates = index.candidates(result)
        plans.append(row)
    return plans


@transaction.atomic
def run(user, batch: ImportBatch, *, actions: dict[int, str], only_valid: bool) -> dict[str, int]:
    """Import the batch through the services; refuses the whole file when a row is invalid unless
    `only_valid`. `actions` overrides the proposed action of a row (by line). New rows are written
    together (services.counterparts_create_many); a row that updates a record on file goes
    through counterpart_update, as the form's change would."""
    policy.check_write(user, "add", model=Counterpart, post=batch.post)
    plans = plan(user, batch)
    invalid = [row.line for row in plans if row.errors]
    if invalid and not only_valid:
        lines = ", ".join(str(line) for line in invalid[:10]) + ("…" if len(invalid) > 10 else "")
        raise ValidationError(f"{len(invalid)} rows have errors (lines {lines}): nothing was imported.")
    counts = {NEW: 0, UPDATE: 0, SKIP: 0, "invalid": len(invalid)}
    new = []
    for row in plans:
        if row.errors:
            continue
        action = actions.get(row.line, row.proposed)
        if action == UPDATE and row.candidates:
            # The record keeps its own spelling of the name; the row brings everything else.
            details = {k: v for k, v in row.fields.items() if k not in services.NAME_FIELDS}
            services.counterpart_update(counterpart=row.candidates[0].counterpart, by=user, **details)
        elif action == NEW:
            new.append(row.counterpart)
        else:
            action = SKIP
        counts[action] += 1
    services.counterparts_create_many(post=batch.post, by=user, checked=new)
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
