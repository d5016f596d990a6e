"""The handover pack of a post, as a print-ready page and as a PDF; each is audited as an export."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attache_crm import audit, policy
from contacts.models import Post

from . import selectors
from .pdf import render_pdf


def _pack_post(request) -> Post:
    """?post=<id>, else the first post where the reader may read content: 404 for a post where they
    hold no role (as an absent one), 403 where their role reads no content (a post's admin)."""
    user, wanted = request.user, request.GET.get("post")
    if wanted:
        post = policy.get_visible_or_404(user, Post, pk=wanted)
    else:
        readable = policy.posts_with(user, policy.CONTENT_READERS) or list(policy.roles(user))
        post = Post.objects.filter(pk__in=readable).order_by("code").first()
        if post is None:
            raise policy.NotFound(policy.NO_SUCH_POST)
    policy.require(user, "view_content", post=post, request=request)
    return post


def _pack(request, form: str) -> selectors.HandoverPack:
    post = _pack_post(request)
    with timezone.override(post.tzinfo):  # dates as the post lives them, whoever prints the pack
        pack = selectors.handover_pack(request.user, post)
    audit.record(
        action="export", request=request, obj=post, post=post, detail=f"handover pack ({form}, {pack.marking})"
    )
    return pack


@login_required
@require_GET
def pack_page(request):
    pack = _pack(request, "page")
    with timezone.override(pack.post.tzinfo):
        return render(request, "handover/pack.html", {"pack": pack, "page_marking": pack.marking})


@login_required
@require_GET
def pack_pdf(request):
    pack = _pack(request, "pdf")
    with timezone.override(pack.post.tzinfo):
        pdf = render_pdf("handover/pack_pdf.html", {"pack": pack, "page_marking": pack.marking})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="handover-{pack.post.code.lower()}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
