"""HTML views of clearances and gifts: authorized by the policy, thin over forms and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from attache_crm.lifecycle.views import with_step_form
from engagements.views import GET_POST, _detail, _export, _form_page, _listing, _post_for_new, _save
from tenancy import audit, policy
from tenancy.models import Post

from . import filters, report, selectors, services
from .exports import CLEARANCE_COLUMNS, GIFT_COLUMNS
from .forms import ClearanceForm, GiftForm
from .lifecycles import CLEARANCE_LIFECYCLE
from .models import Clearance, Gift

# ---------------------------------------------------------------- clearances


@login_required
@require_GET
def clearance_export(request):
    return _export(
        request,
        selectors.clearance_list(request.user),
        filters.ClearanceFilter,
        "clearances",
        Clearance,
        CLEARANCE_COLUMNS,
    )


@login_required
@require_GET
def clearance_list(request):
    return _listing(
        request,
        selectors.clearance_list(request.user),
        filters.ClearanceFilter,
        "office/clearance_list.html",
        today=timezone.localdate(),
        can_add=bool(policy.writable_posts(request.user, Clearance)),
    )


def _clearance_page(user, clearance):
    return with_step_form(selectors.clearance_detail(user, clearance), CLEARANCE_LIFECYCLE, clearance)


@login_required
@require_GET
def clearance_detail(request, pk):
    return _detail(request, Clearance, pk, "office/clearance_detail.html", _clearance_page)


@login_required
@GET_POST
def clearance_new(request):
    post = _post_for_new(request, Clearance)
    data = request.POST if request.method == "POST" else None
    form = ClearanceForm(data, user=request.user, post=post, request=request)
    clearance = _save(request, form, lambda d: services.clearance_create(post=post, by=request.user, **d))
    if clearance is not None:
        messages.success(request, f"Clearance request recorded: submit by {clearance.submit_by:%d %b %Y}.")
        return redirect(clearance)
    context = {"form": form, "post": post, "page_marking": form.page_marking()}
    return _form_page(request, "office/clearance_form.html", context)


@login_required
@GET_POST
def clearance_edit(request, pk):
    clearance = policy.get_visible_or_404(request.user, Clearance.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", clearance, request=request)
    title, marking = str(clearance), clearance.marking
    data = request.POST if request.method == "POST" else None
    form = ClearanceForm(data, instance=clearance, user=request.user, post=clearance.post, request=request)
    if _save(request, form, lambda d: services.clearance_update(clearance=clearance, by=request.user, **d)):
        return redirect(clearance)
    page_marking = form.page_marking(marking)
    context = {"form": form, "post": clearance.post, "object_pk": pk, "title": title, "page_marking": page_marking}
    return _form_page(request, "office/clearance_form.html", context)


# ---------------------------------------------------------------- gifts


@login_required
@require_GET
def gift_export(request):
    return _export(request, selectors.gift_list(request.user), filters.GiftFilter, "gifts", Gift, GIFT_COLUMNS)


@login_required
@require_GET
def gift_list(request):
    return _listing(
        request,
        selectors.gift_list(request.user),
        filters.GiftFilter,
        "office/gift_list.html",
        today=timezone.localdate(),
        can_add=bool(policy.writable_posts(request.user, Gift)),
        report_posts=policy.visible(request.user, Post),
        this_year=timezone.localdate().year,
    )


@login_required
@require_GET
def gift_detail(request, pk):
    return _detail(request, Gift, pk, "office/gift_detail.html", selectors.gift_detail)


def _gift_initial(request, post) -> dict:
    """A new entry opened from a meeting (?meeting=): its date, first counterpart and handling."""
    pk = request.GET.get("meeting")
    if not pk:
        return {}
    meeting = policy.get_visible_or_404(request.user, selectors.meetings_at(request.user, post), pk=pk)
    initial = {
        "meeting": meeting.pk,
        "received_on": timezone.localtime(meeting.starts_at, post.tzinfo).date(),
        "marking": meeting.marking,
        "channel": meeting.channel,
    }
    counterpart = selectors.first_counterpart(request.user, meeting)
    if counterpart is not None:
        initial |= {
            "counterpart": counterpart.pk,
            "official": ", ".join(filter(None, [counterpart.rank_and_name, counterpart.position])),
        }
        initial["government"] = counterpart.post.host_country
    return initial


@login_required
@GET_POST
def gift_new(request):
    post = _post_for_new(request, Gift)
    data = request.POST if request.method == "POST" else None
    form = GiftForm(data, user=request.user, post=post, request=request, initial=_gift_initial(request, post))
    gift = _save(request, form, lambda d: services.gift_create(post=post, by=request.user, **d))
    if gift is not None:
        if gift.report_due_on:
            messages.success(
                request, f"Gift registered: above the minimal value, report by {gift.report_due_on:%d %b %Y}."
            )
        else:
            messages.success(request, "Gift registered.")
        return redirect(gift)
    context = {"form": form, "post": post, "page_marking": form.page_marking()}
    return _form_page(request, "office/gift_form.html", context)


@login_required
@GET_POST
def gift_edit(request, pk):
    gift = policy.get_visible_or_404(request.user, Gift.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", gift, request=request)
    title, marking = str(gift), gift.marking
    data = request.POST if request.method == "POST" else None
    form = GiftForm(data, instance=gift, user=request.user, post=gift.post, request=request)
    if _save(request, form, lambda d: services.gift_update(gift=gift, by=request.user, **d)):
        return redirect(gift)
    page_marking = form.page_marking(marking)
    context = {"form": form, "post": gift.post, "object_pk": pk, "title": title, "page_marking": page_marking}
    return _form_page(request, "office/gift_form.html", context)


@login_required
@require_GET
def gift_report(request):
    """The annual report of one post (?post=, ?year=, ?format=csv|xlsx), audited as an export."""
    form = filters.GiftReportForm(request.GET, posts=policy.visible(request.user, Post))
    if not form.is_valid():
        if "post" in form.errors:  # a post that is not the user's is as absent as a missing one
            raise policy.NotFound(policy.NO_SUCH_POST)
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    post = form.cleaned_data["post"] or policy.visible(request.user, Post).order_by("code").first()
    if post is None:
        raise policy.NotFound(policy.NO_SUCH_POST)
    year, kind = form.cleaned_data["year"], form.cleaned_data["format"]
    table = report.rows(report.reportable_gifts(request.user, post, year))
    body = report.as_csv(table) if kind == "csv" else report.as_xlsx(table, f"Gifts {post.code} {year}")
    audit.record(action="export", request=request, obj=Gift, post=post, detail=f"gift report {year} {kind}")
    response = HttpResponse(body, content_type=report.FORMATS[kind])
    response["Content-Disposition"] = f'attachment; filename="gifts-{post.code}-{year}.{kind}"'
    return response
