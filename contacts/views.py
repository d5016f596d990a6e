"""HTML views of counterparts and organizations: authorize, validate, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from attache_crm import exports as platform_exports
from attache_crm import record_views
from attache_crm.forms import save_through
from attache_crm.pagination import CountedWithPagePaginator
from tenancy import audit, policy
from tenancy.markings import Marking, highest_marking
from tenancy.models import Post

from . import exports, imports, names, selectors, services
from .choices import OrganizationKind
from .forms import CounterpartForm, OrganizationForm
from .models import Counterpart, ImportBatch, Organization


def _form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _form_marking(form, current: str = Marking.U) -> str:
    """Banner of a form page: the record's marking, or the one being entered if higher."""
    entered = form.data.get("marking") if form.is_bound else None
    return highest_marking([current, entered] if entered in Marking.values else [current])


def _write(form, service, **kwargs):
    """Call a service with the form's data; its refusal comes back as a form error (or a 404/403 page)."""
    return save_through(form, service, **kwargs, **form.service_kwargs())


def _write_counterpart(form, service, **kwargs):
    """As _write; a suspected duplicate also leaves its candidates on the form, whose page then
    lists them with the box that confirms the save."""

    def remembering_duplicates(**arguments):
        try:
            return service(**arguments)
        except services.DuplicateSuspected as exc:
            form.duplicates = exc.candidates
            raise

    return _write(form, remembering_duplicates, **kwargs)


def _without(params, *names) -> str:
    """The query string of `params` without `names` (the filters of a list, for its export links)."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


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
    valid = filterset.is_valid()
    counterparts = (
        selectors.counterpart_list(request.user, request.GET, filterset=filterset)
        if record_views.filters_apply(filterset)
        else Counterpart.objects.none()
    )
    # A name search reads all its matches to rank them: the page then carries their count too.
    query = filterset.form.cleaned_data.get("q") or ""
    searching = bool(names.query_tokens(query))
    paginator_class = CountedWithPagePaginator if searching else Paginator
    page = paginator_class(counterparts, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "searching": searching,
        # Punctuation or spaces alone: nothing to search for, every counterpart is listed.
        "unsearchable_query": query.strip() if query.strip() and not searching else "",
        "can_add": bool(policy.writable_posts(request.user, Counterpart)),
        "export_query": _without(request.GET, "page", "as"),
        "page_marking": selectors.page_marking(page),
    }
    return render(request, "contacts/counterpart_list.html", context, status=200 if valid else 400)


@login_required
@require_http_methods(["GET", "POST"])
def counterpart_create(request):
    post = _post_for_new(request, Counterpart)
    form = CounterpartForm(request.POST or None, user=request.user, post=post, request=request)
    if request.method == "POST" and form.is_valid():
        counterpart = _write_counterpart(form, services.counterpart_create, post=post, by=request.user)
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
        updated = _write_counterpart(form, services.counterpart_update, counterpart=counterpart, by=request.user)
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


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.as_xlsx),
}


@login_required
@require_GET
def counterpart_export(request):
    """The counterpart list with its filters (?q=, status, …) as ?as=csv or ?as=xlsx; audited."""
    kind = request.GET.get("as", "csv")
    if kind not in EXPORT_FORMATS:
        return HttpResponseBadRequest("Export as csv or xlsx.")
    content_type, write = EXPORT_FORMATS[kind]
    counterparts = list(selectors.counterpart_list(request.user, request.GET)[: exports.MAX_ROWS])
    # The names of the filters only: the audit log does not copy what was searched for.
    filters = ", ".join(sorted(key for key, value in request.GET.items() if value and key not in {"as", "page"}))
    audit.record(
        action="export",
        request=request,
        obj=Counterpart,
        detail=f"{kind}, {len(counterparts)} counterparts" + (f", filters: {filters}" if filters else ""),
    )
    response = HttpResponse(write(counterparts), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="counterparts.{kind}"'
    return response


@login_required
@require_GET
def counterpart_vcard(request, pk):
    """One counterpart as a vCard (no notes); audited."""
    counterpart = selectors.counterpart_detail(request.user, pk)
    audit.record(action="export", request=request, obj=counterpart, detail="vcard")
    response = HttpResponse(exports.as_vcard(counterpart), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="counterpart-{counterpart.pk}.vcf"'
    return response


PREVIEW_ROWS = 200


@login_required
@require_http_methods(["GET", "POST"])
def counterpart_import(request):
    """Counterparts from a CSV or XLSX file (see `_import`)."""
    return _import(request, imports.IMPORTERS[ImportBatch.Kind.COUNTERPART])


def _import(request, importer: imports.Importer):
    """Records of one kind from a CSV or XLSX file: upload, then a dry-run preview (mapping, per-row
    outcome and errors by line), then the import of all rows or only the valid ones. Open to whoever
    may create such a record at the post, by the same policy check."""
    post = _post_for_new(request, importer.model)
    policy.require(request.user, "add", model=importer.model, post=post, request=request)
    template = "contacts/import.html"
    context = {"post": post, "importer": importer, "fields": list(importer.fields), "page_marking": Marking.U}
    upload = request.FILES.get("file")
    batch_id = request.POST.get("batch", "")
    if request.method == "GET" or (upload is None and not batch_id.isdigit()):
        status = 400 if request.method == "POST" else 200
        if status == 400:
            context["error"] = "Choose a CSV or XLSX file."
        return render(request, template, context, status=status)
    if upload is not None:
        try:
            headers, rows = imports.read_table(upload.name, upload.read())
        except imports.UnreadableFile as exc:
            context["error"] = str(exc)
            return render(request, template, context, status=400)
        batch = ImportBatch.objects.create(
            post=post,
            kind=importer.kind,
            created_by=request.user,
            filename=upload.name[:200],
            headers=headers,
            rows=rows,
        )
        batch.mapping = imports.guess_mapping(post, headers, importer.kind)
        batch.save(update_fields=["mapping"])
    else:
        batch = get_object_or_404(
            ImportBatch, pk=batch_id, kind=importer.kind, created_by=request.user, post=post, imported_at=None
        )
        mapping = {h: request.POST.get(f"map-{i}", "") for i, h in enumerate(batch.headers)}
        batch.mapping = {h: f for h, f in mapping.items() if f in importer.fields}
        batch.save(update_fields=["mapping"])
    if request.POST.get("run") in {"all", "valid"}:
        actions = {
            int(key.removeprefix("action-")): value
            for key, value in request.POST.items()
            if key.startswith("action-") and key.removeprefix("action-").isdigit()
        }
        try:
            counts = imports.run(request.user, batch, actions=actions, only_valid=request.POST["run"] == "valid")
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"Imported {batch.filename}: {counts['new']} new, {counts['update']} updated, "
                f"{counts['skip']} skipped, {counts['invalid']} invalid rows left out.",
            )
            return redirect(importer.list_url)
    plans = imports.plan(request.user, batch)
    context.update(
        batch=batch,
        columns=[(index, header, batch.mapping.get(header, "")) for index, header in enumerate(batch.headers)],
        plans=plans[:PREVIEW_ROWS],
        more_rows=max(0, len(plans) - PREVIEW_ROWS),
        invalid=[row for row in plans if row.errors],
        summary={
            "new": sum(1 for row in plans if not row.errors and row.proposed == imports.NEW),
            "matched": sum(1 for row in plans if row.candidates),
            "invalid": sum(1 for row in plans if row.errors),
        },
    )
    return render(request, template, context, status=400 if "error" in context else 200)


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
        "export_query": _without(request.GET, "page", "as"),
    }
    return render(request, "contacts/organization_list.html", context)


@login_required
@require_GET
def organization_export(request):
    """The organization list with its search and kind (?q=, ?kind=) as ?as=csv or ?as=xlsx; audited."""
    kind = platform_exports.export_format(request)
    if kind is None:
        return platform_exports.bad_format()
    query, organization_kind = request.GET.get("q", "").strip()[:100], request.GET.get("kind", "")
    records = selectors.organization_list(request.user, query=query, kind=organization_kind).select_related("post")
    return platform_exports.response(
        request,
        kind=kind,
        name="organizations",
        model=Organization,
        columns=exports.ORGANIZATION_COLUMNS,
        records=records[: platform_exports.MAX_ROWS],
    )


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
def organization_import(request):
    """Organizations from a CSV or XLSX file (see `_import`)."""
    return _import(request, imports.IMPORTERS[ImportBatch.Kind.ORGANIZATION])


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
