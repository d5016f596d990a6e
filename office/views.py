"""HTML views of clearances and gifts: authorized by the policy, thin over forms and services."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from attache_crm import record_views
from attache_crm.lifecycle.views import with_step_form
from tenancy import audit, policy
from tenancy.models import Post

from . import filters, report, selectors, services
from .exports import CLEARANCE_COLUMNS, GIFT_COLUMNS
from .forms import ClearanceForm, GiftForm
from .lifecycles import CLEARANCE_LIFECYCLE
from .models import Clearance, Gift

# ---------------------------------------------------------------- clearances


def _clearance_page(user, clearance):
    return with_step_form(selectors.clearance_detail(user, clearance), CLEARANCE_LIFECYCLE, clearance)


clearance_export = record_views.export_view(
    Clearance, selectors.clearance_list, filters.ClearanceFilter, "clearances", CLEARANCE_COLUMNS
)
clearance_list = record_views.list_view(
    Clearance,
    selectors.clearance_list,
    filters.ClearanceFilter,
    "office/clearance_list.html",
    extra=lambda request: {"today": timezone.localdate()},
)
clearance_detail = record_views.detail_view(Clearance, "office/clearance_detail.html", _clearance_page)
clearance_new = record_views.create_view(
    Clearance,
    ClearanceForm,
    "office/clearance_form.html",
    services.clearance_create,
    created=lambda clearance: f"Clearance request recorded: submit by {clearance.submit_by:%d %b %Y}.",
)
clearance_edit = record_views.edit_view(
    Clearance, ClearanceForm, "office/clearance_form.html", services.clearance_update
)


# ---------------------------------------------------------------- gifts


def _gift_list_extra(request) -> dict:
    """The annual report's form under the list: the posts the user sees, this year."""
    today = timezone.localdate()
    return {"today": today, "report_posts": policy.visible(request.user, Post), "this_year": today.year}


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


def _gift_registered(gift) -> str:
    if gift.report_due_on:
        return f"Gift registered: above the minimal value, report by {gift.report_due_on:%d %b %Y}."
    return "Gift registered."


gift_export = record_views.export_view(Gift, selectors.gift_list, filters.GiftFilter, "gifts", GIFT_COLUMNS)
gift_list = record_views.list_view(
    Gift, selectors.gift_list, filters.GiftFilter, "office/gift_list.html", extra=_gift_list_extra
)
gift_detail = record_views.detail_view(Gift, "office/gift_detail.html", selectors.gift_detail)
gift_new = record_views.create_view(
    Gift,
    GiftForm,
    "office/gift_form.html",
    services.gift_create,
    initial=_gift_initial,
    created=_gift_registered,
)
gift_edit = record_views.edit_view(Gift, GiftForm, "office/gift_form.html", services.gift_update)


@login_required
@require_GET
def gift_report(request):
    """The annual report of one post (?post=, ?year=, ?format=csv|xlsx), audited as an export."""
    form = filters.GiftReportForm(request.GET, posts=policy.visible(request.user, Post))
    if not form.is_valid():
        if "post" in form.errors:  # a post that is not the user's is as absent as a missing one
            raise policy.NotFound(policy.NO_SUCH_POST)
        context = _gift_list_extra(request) | {"report_form": form}
        return render(request, "office/gift_report.html", context, status=400)
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
