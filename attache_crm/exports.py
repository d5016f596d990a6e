"""A list page's rows out as CSV or XLSX: the one writer every list's export goes through.

What a row holds is the list's business (its columns, read from records the policy let the reader
see, restricted notes never among them); this module writes the table safely and audits it:

- a cell a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
  return) is written as text, prefixed with an apostrophe;
- CSV is UTF-8 with a byte-order mark, so that spreadsheet programs read the native scripts right;
- at most MAX_ROWS rows: a larger export is a database dump, not a spreadsheet;
- every export is one `export` audit event naming the format, the number of rows and the names
  of the filters (never what was searched for).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from django.http import HttpResponse, HttpResponseBadRequest
from openpyxl import Workbook

from tenancy import audit

MAX_ROWS = 10_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Query parameters that are not filters: the format and the page.
NOT_FILTERS = {"as", "page"}

Columns = list[tuple[str, Callable[[object], object]]]


def safe_cell(value) -> str:
    """The value as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(columns: Columns, records: Iterable) -> Iterable[list[str]]:
    yield [header for header, _ in columns]
    for record in records:
        yield [safe_cell(value(record)) for _, value in columns]


def as_csv(columns: Columns, records: Iterable) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows(columns, records))
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(columns: Columns, records: Iterable, title: str = "Export") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows(columns, records):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_format(request) -> str | None:
    """?as=csv (the default) or ?as=xlsx; None for anything else."""
    kind = request.GET.get("as", "csv")
    return kind if kind in CONTENT_TYPES else None


def bad_format() -> HttpResponseBadRequest:
    return HttpResponseBadRequest("Export as csv or xlsx.")


def response(request, *, kind: str, name: str, model, columns: Columns, records: Iterable) -> HttpResponse:
    """The file `name`.`kind` of `records` (already what the reader may see, filtered), audited."""
    records = list(records)[:MAX_ROWS]
    body = as_xlsx(columns, records, name.capitalize()) if kind == "xlsx" else as_csv(columns, records)
    filters = ", ".join(sorted(key for key, value in request.GET.items() if value and key not in NOT_FILTERS))
    audit.record(
        action="export",
        request=request,
        obj=model,
        detail=f"{kind}, {len(records)} {name}" + (f", filters: {filters}" if filters else ""),
    )
    answer = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    answer["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return answer
