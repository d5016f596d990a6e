"""Counterparts out: the list page's rows (with its filters) as CSV or XLSX, one counterpart as a vCard.

Only what the reader may see: rows come from the list's own selector (the policy's visible
counterparts, searched and filtered), an organization the reader may not see is left blank, and
restricted notes are never exported, whoever asks. A cell a spreadsheet would read as a formula
(starting with = + - @, a tab or a carriage return) is written as text, prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from openpyxl import Workbook

from attache_crm.exports import MAX_ROWS as MAX_ROWS  # the one limit of every list's export
from attache_crm.exports import safe_cell

from .models import Counterpart, Organization


def _organization(c: Counterpart) -> str:
    return str(c.organization) if c.organization else ""  # prefetched through the policy: None when hidden


COLUMNS: list[tuple[str, Callable[[Counterpart], object]]] = [
    ("Family name", lambda c: c.family_name),
    ("Given names", lambda c: c.given_names),
    ("Native name", lambda c: c.native_name),
    ("Aliases", lambda c: c.aliases),
    ("Rank", lambda c: c.rank_title),
    ("NATO grade", lambda c: c.nato_grade),
    ("Position", lambda c: c.position),
    ("Organization", _organization),
    ("Service", lambda c: c.get_service_display()),
    ("Country", lambda c: c.country.code),
    ("Status", lambda c: c.get_status_display()),
    ("E-mail", lambda c: c.email),
    ("Phone", lambda c: c.phone),
    ("Languages", lambda c: c.languages),
    ("Tags", lambda c: ", ".join(c.tag_names)),
    ("Last verified", lambda c: c.last_verified_on.isoformat() if c.last_verified_on else ""),
    ("Marking", lambda c: c.marking),
    ("Channel", lambda c: c.channel),
]


ORGANIZATION_COLUMNS: list[tuple[str, Callable[[Organization], object]]] = [
    ("Name", lambda o: o.name),
    ("Acronym", lambda o: o.acronym),
    ("Kind", lambda o: o.get_kind_display()),
    ("Country", lambda o: o.country.code),
    ("Post", lambda o: o.post.code),
    ("Marking", lambda o: o.marking),
    ("Channel", lambda o: o.channel),
]


def rows(counterparts: Iterable[Counterpart]) -> Iterable[list[str]]:
    yield [header for header, _ in COLUMNS]
    for counterpart in counterparts:
        yield [safe_cell(value(counterpart)) for _, value in COLUMNS]


def as_csv(counterparts: Iterable[Counterpart]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the native scripts right."""
    out = io.StringIO()
    csv.writer(out).writerows(rows(counterparts))
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(counterparts: Iterable[Counterpart]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Counterparts")
    for row in rows(counterparts):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _escape(text: str) -> str:
    """vCard text value: backslash, comma, semicolon and newlines escaped."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def as_vcard(counterpart: Counterpart) -> str:
    """A vCard 3.0 of one counterpart: names, rank and position, organization (when visible:
    the caller prefetches it through the policy), e-mail and phone. No notes of any kind."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_escape(counterpart.family_name)};{_escape(counterpart.given_names)};;{_escape(counterpart.rank_title)};",
        f"FN:{_escape(counterpart.rank_and_name)}",
    ]
    if counterpart.native_name:
        lines.append(f"NICKNAME:{_escape(counterpart.native_name)}")
    if counterpart.position:
        lines.append(f"TITLE:{_escape(counterpart.position)}")
    if counterpart.organization:
        lines.append(f"ORG:{_escape(str(counterpart.organization))}")
    if counterpart.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{_escape(counterpart.email)}")
    if counterpart.phone:
        lines.append(f"TEL;TYPE=WORK:{_escape(counterpart.phone)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"
