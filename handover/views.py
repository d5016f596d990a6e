"""The handover pack of a post, as a print-ready page and as a PDF; each is audited as an export."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tenancy import audit

from . import selectors
from .pdf import render_pdf


def _pack(request, form: str, limit: int) -> selectors.HandoverPack:
    post = selectors.pack_post(request.user, request.GET.get("post"), request=request)
    with timezone.override(post.tzinfo):  # dates as the post lives them, whoever prints the pack
        pack = selectors.handover_pack(request.user, post, limit=limit)
    audit.record(
        action="export", request=request, obj=post, post=post, detail=f"handover pack ({form}, {pack.marking})"
    )
    return pack


@login_required
@require_GET
def pack_page(request):
    # The page links each capped section to its whole list; the PDF is the fuller copy to file.
    pack = _pack(request, "page", selectors.PAGE_SECTION_LIMIT)
    with timezone.override(pack.post.tzinfo):
        return render(request, "handover/pack.html", {"pack": pack, "page_marking": pack.marking, "more_links": True})


@login_required
@require_GET
def pack_pdf(request):
    pack = _pack(request, "pdf", selectors.SECTION_LIMIT)
    with timezone.override(pack.post.tzinfo):
        pdf = render_pdf("handover/pack_pdf.html", {"pack": pack, "page_marking": pack.marking})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="handover-{pack.post.code.lower()}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
