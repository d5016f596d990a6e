"""The annual report of a post's gifts received above the minimal value, as CSV or XLSX."""

from __future__ import annotations

import csv
import io

from django.db.models import QuerySet
from openpyxl import Workbook

from tenancy import policy

from .choices import GiftDirection
from .models import Gift

COLUMNS = [
    "Date received", "Foreign official", "Foreign government", "Description", "Estimated value (USD)",
    "Basis of the estimate", "Minimal value (USD)", "Recipient", "Report due", "Disposition", "Disposed on",
    "Marking",
]  # fmt: skip
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def reportable_gifts(user, post, year: int) -> QuerySet:
    """The gifts of the report: received at the post in the year above the minimal value of their
    day, of those the user may see."""
    return (
        policy.visible(user, Gift)
        .filter(post=post, direction=GiftDirection.RECEIVED, received_on__year=year, report_due_on__isnull=False)
        .order_by("received_on", "id")
    )


def rows(gifts) -> list[list]:
    return [
        [
            g.received_on,
            g.official,
            g.government.name if g.government else "",
            g.description,
            g.value_usd,
            g.value_basis,
            g.threshold_usd,
            g.recipient,
            g.report_due_on,
            g.get_disposition_display() if g.disposition else "",
            g.disposed_on or "",
            g.marking,
        ]
        for g in gifts
    ]


def as_csv(table: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([[("" if v is None else str(v)) for v in row] for row in table])
    # With a byte-order mark: spreadsheet programs then read the names' accents right.
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(table: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(COLUMNS)
    for row in table:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
