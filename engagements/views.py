"""HTML views of meetings, agreements, exercises and follow-ups.

Each view authorizes through the policy, validates a form, calls one service and redirects;
a form or filter with bad input answers 400 and saves nothing.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attache_crm import exports
from attache_crm.forms import save_through
from attache_crm.lifecycle.views import with_step_form
from contacts.models import Counterpart
from tenancy import audit, policy
from tenancy.models import Post

from . import exports as columns
from . import filters, selectors, services
from .forms import (
    ActionItemForm,
    AgreementForm,
    CloseActionForm,
    ExerciseForm,
    FollowUpFormSet,
    MeetingForm,
    follow_ups_of,
)
from .lifecycles import AGREEMENT_LIFECYCLE, EXERCISE_LIFECYCLE
from .models import ActionItem, Agreement, Exercise, Meeting
from .quick import QuickMeetingForm, quick_initial

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


# ---------------------------------------------------------------- helpers


def _without(params, *names) -> str:
    """The query string of `params` without `names` (a list's filters, for its export links)."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _listing(request, queryset, filterset_class, template, decorate=list, **extra):
    """A filtered, sorted page of 25; a filter with bad input answers 400 with its errors."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    valid = filterset.is_valid()
    page = CappedPaginator(filterset.qs if valid else queryset.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = decorate(page.object_list)
    context = {
        "filter": filterset,
        "page": page,
        "page_marking": selectors.page_marking(page.object_list),
        "export_query": _without(request.GET, "page", "as"),
        **extra,
    }
    return render(request, template, context, status=200 if valid else 400)


def _export(request, queryset, filterset_class, name: str, model, columns):
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


def _save(request, form, save, *more_forms):
    """Validate the forms and call the service; None when something is wrong (the form says what)."""
    if request.method != "POST" or not all([form.is_valid(), *[f.is_valid() for f in more_forms]]):
        return None
    return save_through(form, lambda: save(form.cleaned_data))


def _form_page(request, template, context):
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _post_for_new(request, model) -> Post:
    """The post a new record goes to (?post=<id>, else the first where the user may add one), by the
    post rule: 404 for a post the user has no role at, 403 for one where they may not add this."""
    wanted = request.POST.get("post") or request.GET.get("post")
    return policy.post_for_new(request.user, model, wanted, request=request)


def _next_or(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _detail(request, model, pk, template, build):
    """A detail page: 404 unless visible, audited as a read (beyond the post channel), in the post's time."""
    obj = policy.get_visible_or_404(request.user, model.objects.select_related("post", "created_by"), pk=pk)
    audit.viewed(request, obj)
    with timezone.override(obj.post.tzinfo):
        return render(request, template, build(request.user, obj))


# ---------------------------------------------------------------- meetings


@login_required
@require_GET
def meeting_export(request):
    return _export(
        request,
        selectors.meeting_list(request.user),
        filters.MeetingFilter,
        "meetings",
        Meeting,
        columns.MEETING_COLUMNS,
    )


@login_required
@require_GET
def meeting_list(request):
    return _listing(
        request,
        selectors.meeting_list(request.user),
        filters.MeetingFilter,
        "engagements/meeting_list.html",
        can_add=bool(policy.writable_posts(request.user, Meeting)),
    )


@login_required
@require_GET
def meeting_detail(request, pk):
    return _detail(request, Meeting, pk, "engagements/meeting_detail.html", selectors.meeting_detail)


@login_required
@GET_POST
def meeting_new(request):
    post = _post_for_new(request, Meeting)
    with timezone.override(post.tzinfo):  # typed and read in the post's local time
        return _log_meeting(request, post, counterpart=None)


@login_required
@GET_POST
def counterpart_meeting_new(request, pk):
    counterpart = policy.get_visible_or_404(request.user, Counterpart.objects.select_related("post"), pk=pk)
    policy.require(request.user, "add", model=Meeting, post=counterpart.post, request=request)
    with timezone.override(counterpart.post.tzinfo):
        return _log_meeting(request, counterpart.post, counterpart=counterpart)


@login_required
@GET_POST
def meeting_quick(request):
    post = _post_for_new(request, Meeting)
    with timezone.override(post.tzinfo):
        return _quick_log(request, post, counterpart=None)


@login_required
@GET_POST
def counterpart_meeting_quick(request, pk):
    counterpart = policy.get_visible_or_404(request.user, Counterpart.objects.select_related("post"), pk=pk)
    policy.require(request.user, "add", model=Meeting, post=counterpart.post, request=request)
    with timezone.override(counterpart.post.tzinfo):
        return _quick_log(request, counterpart.post, counterpart=counterpart)


def _quick_log(request, post, counterpart):
    """The short form: saved, back where it was sent from; refused, shown alone with its errors."""
    data = request.POST if request.method == "POST" else None
    form = QuickMeetingForm(data, initial=quick_initial(counterpart), user=request.user, post=post, request=request)
    meeting = _save(request, form, lambda d: services.meeting_log(post=post, by=request.user, **form.meeting_fields()))
    if meeting is not None:
        messages.success(request, f"Meeting logged: {meeting.title}.")
        warn_if_status_disagrees(request, meeting)
        return redirect(_next_or(request, (counterpart or meeting).get_absolute_url()))
    context = {
        "quick": form,
        "post": post,
        "counterpart": counterpart,
        "page_marking": selectors.page_marking(counterpart, form.chosen()),
    }
    return _form_page(request, "engagements/meeting_quick.html", context)


def _log_meeting(request, post, counterpart):
    """Log a meeting, with its follow-ups; back to the counterpart's page when started there."""
    data = request.POST if request.method == "POST" else None
    initial = {}
    if counterpart is not None:  # back from the meeting: it happened, about now
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {"counterparts": [counterpart.pk], "starts_at": now}
    form = MeetingForm(data, initial=initial, user=request.user, post=post, request=request)
    follow_ups = FollowUpFormSet(
        data, prefix="followups", form_kwargs={"user": request.user, "post": post, "request": request}
    )
    meeting = _save(
        request,
        form,
        lambda d: services.meeting_log(post=post, by=request.user, follow_ups=follow_ups_of(follow_ups), **d),
        follow_ups,
    )
    if meeting is not None:
        messages.success(request, f"Meeting logged: {meeting.title}.")
        warn_if_status_disagrees(request, meeting)
        return redirect(_gift_entry(form, meeting) or counterpart or meeting)
    context = {"form": form, "follow_ups": follow_ups, "post": post, "counterpart": counterpart}
    context["page_marking"] = form.page_marking(counterpart)
    return _form_page(request, "engagements/meeting_form.html", context)


def _gift_entry(form, meeting) -> str | None:
    """The gift register's new entry for this meeting, when the form says a gift was exchanged."""
    if not form.gift_exchanged:
        return None
    return f"{reverse('gift_new')}?{urlencode({'post': meeting.post_id, 'meeting': meeting.pk})}"


@login_required
@GET_POST
def meeting_edit(request, pk):
    meeting = policy.get_visible_or_404(request.user, Meeting.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", meeting, request=request)
    with timezone.override(meeting.post.tzinfo):
        return _edit_meeting(request, meeting)


def warn_if_status_disagrees(request, meeting) -> None:
    """Saved as asked, but said aloud: a past meeting left planned is one nobody reported on."""
    if meeting.status_disagrees_with_date:
        messages.warning(request, STATUS_WARNING.format(status=meeting.get_status_display().lower()))


STATUS_WARNING = "This meeting is marked {status}, which its date does not match: check its status."


def _edit_meeting(request, meeting):
    title, marking = meeting.title, meeting.marking  # before the form touches the instance
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting, user=request.user, post=meeting.post, request=request)
    if _save(request, form, lambda d: services.meeting_update(meeting=meeting, by=request.user, **d)):
        messages.success(request, "Meeting saved.")
        warn_if_status_disagrees(request, meeting)
        return redirect(_gift_entry(form, meeting) or meeting)
    page_marking = form.page_marking(marking)
    context = {
        "form": form,
        "post": meeting.post,
        "meeting_pk": meeting.pk,
        "title": title,
        "page_marking": page_marking,
    }
    return _form_page(request, "engagements/meeting_form.html", context)


# ---------------------------------------------------------------- agreements


@login_required
@require_GET
def agreement_export(request):
    return _export(
        request,
        selectors.agreement_list(request.user),
        filters.AgreementFilter,
        "agreements",
        Agreement,
        columns.AGREEMENT_COLUMNS,
    )


@login_required
@require_GET
def agreement_list(request):
    return _listing(
        request,
        selectors.agreement_list(request.user),
        filters.AgreementFilter,
        "engagements/agreement_list.html",
        can_add=bool(policy.writable_posts(request.user, Agreement)),
    )


def _agreement_page(user, agreement):
    return with_step_form(selectors.agreement_detail(user, agreement), AGREEMENT_LIFECYCLE, agreement)


@login_required
@require_GET
def agreement_detail(request, pk):
    return _detail(request, Agreement, pk, "engagements/agreement_detail.html", _agreement_page)


@login_required
@GET_POST
def agreement_new(request):
    post = _post_for_new(request, Agreement)
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, user=request.user, post=post, request=request)
    agreement = _save(request, form, lambda d: services.agreement_create(post=post, by=request.user, **d))
    if agreement is not None:
        return redirect(agreement)
    context = {"form": form, "post": post, "page_marking": form.page_marking()}
    return _form_page(request, "engagements/agreement_form.html", context)


@login_required
@GET_POST
def agreement_edit(request, pk):
    agreement = policy.get_visible_or_404(request.user, Agreement.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", agreement, request=request)
    title, marking = agreement.title, agreement.marking
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data, instance=agreement, user=request.user, post=agreement.post, request=request)
    if _save(request, form, lambda d: services.agreement_update(agreement=agreement, by=request.user, **d)):
        return redirect(agreement)
    page_marking = form.page_marking(marking)
    context = {"form": form, "post": agreement.post, "object_pk": pk, "title": title, "page_marking": page_marking}
    return _form_page(request, "engagements/agreement_form.html", context)


# ---------------------------------------------------------------- exercises


@login_required
@require_GET
def exercise_export(request):
    return _export(
        request,
        selectors.exercise_list(request.user),
        filters.ExerciseFilter,
        "exercises",
        Exercise,
        columns.EXERCISE_COLUMNS,
    )


@login_required
@require_GET
def exercise_list(request):
    return _listing(
        request,
        selectors.exercise_list(request.user),
        filters.ExerciseFilter,
        "engagements/exercise_list.html",
        can_add=bool(policy.writable_posts(request.user, Exercise)),
    )


def _exercise_page(user, exercise):
    return with_step_form(selectors.exercise_detail(user, exercise), EXERCISE_LIFECYCLE, exercise)


@login_required
@require_GET
def exercise_detail(request, pk):
    return _detail(request, Exercise, pk, "engagements/exercise_detail.html", _exercise_page)


@login_required
@GET_POST
def exercise_new(request):
    post = _post_for_new(request, Exercise)
    data = request.POST if request.method == "POST" else None
    form = ExerciseForm(
        data, user=request.user, post=post, request=request, initial={"host_country": post.host_country}
    )
    exercise = _save(request, form, lambda d: services.exercise_create(post=post, by=request.user, **d))
    if exercise is not None:
        return redirect(exercise)
    context = {"form": form, "post": post, "page_marking": form.page_marking()}
    return _form_page(request, "engagements/exercise_form.html", context)


@login_required
@GET_POST
def exercise_edit(request, pk):
    exercise = policy.get_visible_or_404(request.user, Exercise.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", exercise, request=request)
    title, marking = exercise.name, exercise.marking
    data = request.POST if request.method == "POST" else None
    form = ExerciseForm(data, instance=exercise, user=request.user, post=exercise.post, request=request)
    if _save(request, form, lambda d: services.exercise_update(exercise=exercise, by=request.user, **d)):
        return redirect(exercise)
    page_marking = form.page_marking(marking)
    context = {"form": form, "post": exercise.post, "object_pk": pk, "title": title, "page_marking": page_marking}
    return _form_page(request, "engagements/exercise_form.html", context)


# ---------------------------------------------------------------- follow-ups


@login_required
@require_GET
def action_export(request):
    return _export(
        request,
        selectors.action_list(request.user).select_related("assignee"),
        filters.ActionItemFilter,
        "follow-ups",
        ActionItem,
        columns.ACTION_COLUMNS,
    )


@login_required
@require_GET
def action_list(request):
    return _listing(
        request,
        selectors.action_list(request.user),
        filters.ActionItemFilter,
        "engagements/action_list.html",
        decorate=lambda items: selectors.action_rows(request.user, items),
        today=timezone.localdate(),
        can_add=bool(policy.writable_posts(request.user, ActionItem)),
    )


def _follow_up_source(request) -> dict:
    """The record a new follow-up comes from (?meeting=, ?agreement= or ?exercise=), if visible."""
    for name, model in (("meeting", Meeting), ("agreement", Agreement), ("exercise", Exercise)):
        pk = request.POST.get(name) or request.GET.get(name)
        if pk:
            return {name: policy.get_visible_or_404(request.user, model.objects.select_related("post"), pk=pk)}
    return {}


@login_required
@GET_POST
def action_new(request):
    source = _follow_up_source(request)
    origin = next(iter(source.values()), None)
    post = origin.post if origin else _post_for_new(request, ActionItem)
    policy.require(request.user, "add", model=ActionItem, post=post, request=request)
    data = request.POST if request.method == "POST" else None
    initial = {"assignee": request.user.pk, "due_on": timezone.localdate() + dt.timedelta(days=7)}
    if origin:  # handled like the record it comes from
        initial |= {"marking": origin.marking, "channel": origin.channel}
    form = ActionItemForm(data, initial=initial, user=request.user, post=post, request=request)
    if _save(request, form, lambda d: services.action_item_create(post=post, by=request.user, **source, **d)):
        messages.success(request, "Follow-up added.")
        return redirect(origin or "action_list")
    context = {"form": form, "post": post, "origin": origin, "origin_field": next(iter(source), "")}
    context["page_marking"] = selectors.page_marking(origin) if origin else "U"
    return _form_page(request, "engagements/action_form.html", context)


@login_required
@GET_POST
def action_edit(request, pk):
    item = policy.get_visible_or_404(request.user, ActionItem.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", item, request=request)
    description, marking = item.description, item.marking
    data = request.POST if request.method == "POST" else None
    form = ActionItemForm(data, instance=item, user=request.user, post=item.post, request=request)
    if _save(request, form, lambda d: services.action_item_update(item=item, by=request.user, **d)):
        messages.success(request, "Follow-up saved.")
        return redirect(_next_or(request, "action_list"))
    context = {"form": form, "post": item.post, "object_pk": pk, "title": description, "page_marking": marking}
    return _form_page(request, "engagements/action_form.html", context)


@login_required
@require_POST
def action_close(request, pk):
    item = policy.get_visible_or_404(request.user, ActionItem.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", item, request=request)
    form = CloseActionForm(request.POST)
    if _save(request, form, lambda d: services.action_item_close(item=item, by=request.user, status=d["status"])):
        messages.success(request, f"Follow-up closed: {item.description}")
        return redirect(_next_or(request, "action_list"))
    context = {"form": form, "item": item, "page_marking": item.marking}
    return render(request, "engagements/action_close.html", context, status=400)
