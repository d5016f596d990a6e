"""The handover pack as a PDF, drawn by xhtml2pdf (pure Python: no system libraries to install)."""

from __future__ import annotations

from io import BytesIO

from django.template.loader import render_to_string
from xhtml2pdf import pisa


class PdfError(RuntimeError):
    """xhtml2pdf could not lay the page out."""


def render_pdf(template: str, context: dict) -> bytes:
    """Render a template made for xhtml2pdf's subset of CSS into PDF bytes."""
    html = render_to_string(template, context)
    out = BytesIO()
    # No link_callback: the template carries its CSS inline and loads nothing by URL.
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise PdfError(f"The PDF could not be drawn ({result.err} errors).")
    return out.getvalue()
