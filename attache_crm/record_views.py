"""The one shape of a content record's pages: list, detail, new and edit.

Every register (meetings, agreements, exercises, clearances, gifts …) shows its records the same
way: a filtered page of 25 that answers 400 to a bad filter, a detail page that is a 404 unless
visible and audited as a read, a form that goes to the post the policy picks and saves through one
service, an edit form refused before it reads input when the role may not change the record. The
helpers are the steps; the factories (`list_view`, `detail_view`, `create_view`, `edit_view`) are
the pages a register declares with its own model, form, template and service.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from attache_crm import exports
from attache_crm.forms import save_through
from tenancy import audit, policy
from tenancy.markings import highest_marking

PAGE_SIZE = 25
GET_POST = require_http_methods(["GET", "POST"])


class CappedPaginator(Paginator):
    """Counts no further than `cap` rows: an exact count of a headquarters' million meetings costs
    more than the page itself, and nobody pages that far (filters do the narrowing)."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        # Ids only, unordered: the sort keys and annotations of the page cost nothing to a count.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


# ---------------------------------------------------------------- the steps


def without(params, *names) -> str:
    """The query string of `params` without `names` (a list's filters, for its export links)."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


# The order of the rows asks nothing of them: a bad ?sort= is shown and the default order kept.
ORDER_PARAMETERS = {"sort"}


def filters_apply(filterset) -> bool:
    """Whether a list can answer its filters: every one valid, or only the order refused. A list
    whose filter has bad input shows the error and no rows; the rows of the other filters alone
    would read as the answer to the whole question."""
    return filterset.is_valid() or set(filterset.errors) <= ORDER_PARAMETERS


def listing(request, queryset, filterset_class, template, decorate=list, **extra):
    """A filtered, sorted page of 25; a filter with bad input answers 400 with its errors."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    rows = filterset.qs if filters_apply(filterset) else queryset.none()
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = decorate(page.object_list)
    shown = highest_marking(row.marking for row in page.object_list if getattr(row, "marking", None))
    context = {
        "filter": filterset,
        "page": page,
        "page_marking": shown,
        "export_query": without(request.GET, "page", "as"),
        **extra,
    }
    return render(request, template, context, status=200 if valid else 400)


def save(request, form, service, *more_forms):
    """Validate the forms and call the service; None when something is wrong (the form says what)."""
    if request.method != "POST" or not all([form.is_valid(), *[f.is_valid() for f in more_forms]]):
        return None
    return save_through(form, lambda: service(form.cleaned_data))


def form_page(request, template, context):
    """A form shown: 200 when first opened, 400 when a submission comes back with its errors."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def export(request, queryset, filterset_class, name: str, model, columns):
    """The list's rows with its filters as ?as=csv or ?as=xlsx (attache_crm.exports: formulas
    neutralised, audited); a filter with bad input answers 400 with its errors, as the list does."""
    kind = exports.export_format(request)
    if kind is None:
        return exports.bad_format()
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items())
        return HttpResponseBadRequest(f"The filters have errors: {errors}")
    records = filterset.qs.select_related("post")[: exports.MAX_ROWS]
    return exports.response(request, kind=kind, name=name, model=model, columns=columns, records=records)


def post_for_new(request, model):
    """The post a new record goes to (?post=<id>, else the first where the user may add one), by the
    post rule: 404 for a post the user has no role at, 403 for one where they may not add this."""
    wanted = request.POST.get("post") or request.GET.get("post")
    return policy.post_for_new(request.user, model, wanted, request=request)


def next_or(request, fallback: str) -> str:
    """Where to go after a change: the page's own ?next= when it is on this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def detail(request, model, pk, template, build):
    """A detail page: 404 unless visible, audited as a read (beyond the post channel), in the post's time."""
    obj = policy.get_visible_or_404(request.user, model.objects.select_related("post", "created_by"), pk=pk)
    audit.viewed(request, obj)
    with timezone.override(obj.post.tzinfo):
        return render(request, template, build(request.user, obj))


def editable(request, model, pk):
    """The stored record to edit: 404 unless visible, 403 (audited) unless the role may change it."""
    obj = policy.get_visible_or_404(request.user, model.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", obj, request=request)
    return obj


# ---------------------------------------------------------------- the pages


def list_view(model, rows: Callable, filterset_class, template, *, extra: Callable | None = None):
    """The register's list: `rows(user)` filtered by `filterset_class`; `extra(request)` adds to the context."""

    @login_required
    @require_GET
    def view(request):
        more = extra(request) if extra is not None else {}
        can_add = bool(policy.writable_posts(request.user, model))
        return listing(request, rows(request.user), filterset_class, template, can_add=can_add, **more)

    return view


def export_view(model, rows: Callable, filterset_class, name: str, columns):
    """The register's list as a file: `rows(user)` filtered as the list is, named `name`."""

    @login_required
    @require_GET
    def view(request):
        return export(request, rows(request.user), filterset_class, name, model, columns)

    return view


def detail_view(model, template, build: Callable):
    """The record's page: `build(user, record)` is its context."""

    @login_required
    @require_GET
    def view(request, pk):
        return detail(request, model, pk, template, build)

    return view


def create_view(
    model,
    form_class,
    template,
    create: Callable,
    *,
    initial: Callable | None = None,
    created: Callable | None = None,
):
    """A new record at the post the policy picks, saved by `create(post=, by=, **data)`.

    `initial(request, post)` pre-fills the form; `created(record)` is the message shown once saved.
    """

    @login_required
    @GET_POST
    def view(request):
        post = post_for_new(request, model)
        data = request.POST if request.method == "POST" else None
        prefilled = initial(request, post) if initial is not None else None
        form = form_class(data, user=request.user, post=post, request=request, initial=prefilled)
        record = save(request, form, lambda cleaned: create(post=post, by=request.user, **cleaned))
        if record is not None:
            if created is not None:
                messages.success(request, created(record))
            return redirect(record)
        return form_page(request, template, {"form": form, "post": post, "page_marking": form.page_marking()})

    return view


def edit_view(model, form_class, template, update: Callable, *, title: Callable = str):
    """The record's edit form, saved by `update(<model name>=record, by=, **data)`: each register's
    update service takes its record by the model's name (`gift_update(gift=…)`)."""
    keyword = model._meta.model_name

    @login_required
    @GET_POST
    def view(request, pk):
        record = editable(request, model, pk)
        heading, marking = title(record), record.marking  # before the form touches the instance
        data = request.POST if request.method == "POST" else None
        form = form_class(data, instance=record, user=request.user, post=record.post, request=request)
        if save(request, form, lambda cleaned: update(**{keyword: record}, by=request.user, **cleaned)):
            return redirect(record)
        context = {
            "form": form,
            "post": record.post,
            "object_pk": pk,
            "title": heading,
            "page_marking": form.page_marking(marking),
        }
        return form_page(request, template, context)

    return view
