"""HTML views of counterparts and organizations: authorize, validate, call one service, redirect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from attache_crm.forms import save_through
from tenancy import policy
from tenancy.markings import Marking, highest_marking
from tenancy.models import Post

from . import selectors, services
from .choices import OrganizationKind
from .forms import CounterpartForm, OrganizationForm
from .models import Counterpart, Organization


def _form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _form_marking(form, current: str = Marking.U) -> str:
    """Banner of a form page: the record's marking, or the one being entered if higher."""
    entered = form.data.get("marking") if form.is_bound else None
    return highest_marking([current, entered] if entered in Marking.values else [current])


def _write(form, service, **kwargs):
    """Call a service with the form's data; its refusal comes back as a form error (or a 404/403 page)."""
    return save_through(form, service, **kwargs, **form.service_kwargs())


def _post_for_new(request, model) -> Post:
    """The post a new record goes to (?post=<id>, else the first where the user may add one), by the
    post rule: 404 for a post the user has no role at, 403 for one where they may not add this."""
    wanted = request.GET.get("post") or request.POST.get("post")
    return policy.post_for_new(request.user, model, wanted, request=request)


# ---------------------------------------------------------------- counterparts


@login_required
@require_GET
def counterpart_list(request):
    filterset = selectors.counterpart_filterset(request.user, request.GET)
    filterset.compact_long_choices()
    counterparts = selectors.counterpart_list(request.user, request.GET, filterset=filterset)
    page = Paginator(counterparts, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_add": bool(policy.writable_posts(request.user, Counterpart)),
        "page_marking": selectors.page_marking(page),
    }
    return render(request, "contacts/counterpart_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def counterpart_create(request):
    post = _post_for_new(request, Counterpart)
    form = CounterpartForm(request.POST or None, user=request.user, post=post, request=request)
    if request.method == "POST" and form.is_valid():
        counterpart = _write(form, services.counterpart_create, post=post, by=request.user)
        if counterpart is not None:
            return redirect(counterpart)
    context = {"form": form, "post": post, "page_marking": _form_marking(form)}
    return render(request, "contacts/counterpart_form.html", context, status=_form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def counterpart_edit(request, pk):
    counterpart = policy.get_visible_or_404(request.user, Counterpart, pk=pk)
    policy.require(request.user, "change", counterpart, request=request)
    heading, marking = (
        counterpart.rank_and_name,
        counterpart.marking,
    )  # before the form touches the instance
    form = CounterpartForm(
        request.POST or None,
        instance=counterpart,
        user=request.user,
        post=counterpart.post,
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        updated = _write(form, services.counterpart_update, counterpart=counterpart, by=request.user)
        if updated is not None:
            return redirect(updated)
    context = {
        "form": form,
        "post": counterpart.post,
        "heading": heading,
        "object_pk": pk,
        "page_marking": _form_marking(form, marking),
    }
    return render(request, "contacts/counterpart_form.html", context, status=_form_status(form))


@login_required
@require_GET
def counterpart_typeahead(request):
    """Counterparts matching ?q= for pickers: <option> items (or <li> with ?as=li), JSON on request."""
    post_id = request.GET.get("post")
    counterparts = selectors.counterpart_typeahead(
        request.user,
        request.GET.get("q", "")[:100],
        post_id=int(post_id) if (post_id or "").isdigit() else None,
    )
    if "application/json" in request.headers.get("Accept", ""):
        results = [
            {
                "id": c.pk,
                "label": c.rank_and_name,
                "native_name": c.native_name,
                "position": c.position,
                "organization": str(c.organization) if c.organization else "",
                "url": c.get_absolute_url(),
            }
            for c in counterparts
        ]
        return JsonResponse({"results": results})
    template = "contacts/_typeahead_items.html"
    context = {"counterparts": counterparts, "as_list": request.GET.get("as") == "li"}
    return render(request, template, context)


# ---------------------------------------------------------------- organizations


@login_required
@require_GET
def organization_list(request):
    query, kind = request.GET.get("q", "").strip()[:100], request.GET.get("kind", "")
    organizations = selectors.organization_list(request.user, query=query, kind=kind)
    page = Paginator(organizations, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": query,
        "kind": kind,
        "kinds": OrganizationKind.choices,
        "can_add": bool(policy.writable_posts(request.user, Organization)),
        "page_marking": selectors.page_marking(page),
    }
    return render(request, "contacts/organization_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    post = _post_for_new(request, Organization)
    form = OrganizationForm(request.POST or None, user=request.user, post=post, request=request)
    if request.method == "POST" and form.is_valid():
        organization = _write(form, services.organization_create, post=post, by=request.user)
        if organization is not None:
            return redirect("organization_detail", organization.pk)
    context = {"form": form, "post": post, "page_marking": _form_marking(form)}
    return render(request, "contacts/organization_form.html", context, status=_form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = policy.get_visible_or_404(request.user, Organization, pk=pk)
    policy.require(request.user, "change", organization, request=request)
    heading, marking = str(organization), organization.marking
    form = OrganizationForm(
        request.POST or None,
        instance=organization,
        user=request.user,
        post=organization.post,
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        updated = _write(
            form,
            services.organization_update,
            organization=organization,
            by=request.user,
        )
        if updated is not None:
            return redirect("organization_detail", updated.pk)
    context = {
        "form": form,
        "post": organization.post,
        "heading": heading,
        "cancel_url": reverse("organization_detail", args=[pk]),
        "page_marking": _form_marking(form, marking),
    }
    return render(request, "contacts/organization_form.html", context, status=_form_status(form))
