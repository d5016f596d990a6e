"""HTML views of meetings, agreements, exercises and follow-ups.

Each view authorizes through the policy, validates a form, calls one service and redirects;
a form or filter with bad input answers 400 and saves nothing.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from attache_crm import record_views
from attache_crm.lifecycle.views import with_step_form
from contacts.models import Counterpart
from tenancy import policy

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

# ---------------------------------------------------------------- meetings


meeting_export = record_views.export_view(
    Meeting, selectors.meeting_list, filters.MeetingFilter, "meetings", columns.MEETING_COLUMNS
)
meeting_list = record_views.list_view(
    Meeting, selectors.meeting_list, filters.MeetingFilter, "engagements/meeting_list.html"
)
meeting_detail = record_views.detail_view(Meeting, "engagements/meeting_detail.html", selectors.meeting_detail)


@login_required
@record_views.GET_POST
def meeting_new(request):
    post = record_views.post_for_new(request, Meeting)
    with timezone.override(post.tzinfo):  # typed and read in the post's local time
        return _log_meeting(request, post, counterpart=None)


def _meeting_counterpart(request, pk):
    """The counterpart whose page a meeting is logged from: 404 unless visible, 403 (audited)
    unless the role may add meetings at the counterpart's post."""
    counterpart = policy.get_visible_or_404(request.user, Counterpart.objects.select_related("post"), pk=pk)
    policy.require(request.user, "add", model=Meeting, post=counterpart.post, request=request)
    return counterpart


@login_required
@record_views.GET_POST
def counterpart_meeting_new(request, pk):
    counterpart = _meeting_counterpart(request, pk)
    with timezone.override(counterpart.post.tzinfo):
        return _log_meeting(request, counterpart.post, counterpart=counterpart)


@login_required
@record_views.GET_POST
def meeting_quick(request):
    post = record_views.post_for_new(request, Meeting)
    with timezone.override(post.tzinfo):
        return _quick_log(request, post, counterpart=None)


@login_required
@record_views.GET_POST
def counterpart_meeting_quick(request, pk):
    counterpart = _meeting_counterpart(request, pk)
    with timezone.override(counterpart.post.tzinfo):
        return _quick_log(request, counterpart.post, counterpart=counterpart)


def _quick_log(request, post, counterpart):
    """The short form: saved, back where it was sent from; refused, shown alone with its errors."""
    data = request.POST if request.method == "POST" else None
    form = QuickMeetingForm(data, initial=quick_initial(counterpart), user=request.user, post=post, request=request)
    meeting = record_views.save(
        request, form, lambda d: services.meeting_log(post=post, by=request.user, **form.meeting_fields())
    )
    if meeting is not None:
        messages.success(request, f"Meeting logged: {meeting.title}.")
        warn_if_status_disagrees(request, meeting)
        return redirect(record_views.next_or(request, (counterpart or meeting).get_absolute_url()))
    context = {
        "quick": form,
        "post": post,
        "counterpart": counterpart,
        "page_marking": selectors.page_marking(counterpart, form.chosen()),
    }
    return record_views.form_page(request, "engagements/meeting_quick.html", context)


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
    meeting = record_views.save(
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
    return record_views.form_page(request, "engagements/meeting_form.html", context)


def _gift_entry(form, meeting) -> str | None:
    """The gift register's new entry for this meeting, when the form says a gift was exchanged."""
    if not form.gift_exchanged:
        return None
    return f"{reverse('gift_new')}?{urlencode({'post': meeting.post_id, 'meeting': meeting.pk})}"


@login_required
@record_views.GET_POST
def meeting_edit(request, pk):
    meeting = record_views.editable(request, Meeting, pk)
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
    if record_views.save(request, form, lambda d: services.meeting_update(meeting=meeting, by=request.user, **d)):
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
    return record_views.form_page(request, "engagements/meeting_form.html", context)


# ---------------------------------------------------------------- agreements


def _agreement_page(user, agreement):
    return with_step_form(selectors.agreement_detail(user, agreement), AGREEMENT_LIFECYCLE, agreement)


agreement_export = record_views.export_view(
    Agreement, selectors.agreement_list, filters.AgreementFilter, "agreements", columns.AGREEMENT_COLUMNS
)
agreement_list = record_views.list_view(
    Agreement, selectors.agreement_list, filters.AgreementFilter, "engagements/agreement_list.html"
)
agreement_detail = record_views.detail_view(Agreement, "engagements/agreement_detail.html", _agreement_page)
agreement_new = record_views.create_view(
    Agreement, AgreementForm, "engagements/agreement_form.html", services.agreement_create
)
agreement_edit = record_views.edit_view(
    Agreement,
    AgreementForm,
    "engagements/agreement_form.html",
    services.agreement_update,
    title=lambda agreement: agreement.title,
)


# ---------------------------------------------------------------- exercises


def _exercise_page(user, exercise):
    return with_step_form(selectors.exercise_detail(user, exercise), EXERCISE_LIFECYCLE, exercise)


exercise_export = record_views.export_view(
    Exercise, selectors.exercise_list, filters.ExerciseFilter, "exercises", columns.EXERCISE_COLUMNS
)
exercise_list = record_views.list_view(
    Exercise, selectors.exercise_list, filters.ExerciseFilter, "engagements/exercise_list.html"
)
exercise_detail = record_views.detail_view(Exercise, "engagements/exercise_detail.html", _exercise_page)
exercise_new = record_views.create_view(
    Exercise,
    ExerciseForm,
    "engagements/exercise_form.html",
    services.exercise_create,
    initial=lambda request, post: {"host_country": post.host_country},
)
exercise_edit = record_views.edit_view(
    Exercise, ExerciseForm, "engagements/exercise_form.html", services.exercise_update, title=lambda e: e.name
)


# ---------------------------------------------------------------- follow-ups


action_export = record_views.export_view(
    ActionItem,
    lambda user: selectors.action_list(user).select_related("assignee"),
    filters.ActionItemFilter,
    "follow-ups",
    columns.ACTION_COLUMNS,
)


@login_required
@require_GET
def action_list(request):
    return record_views.listing(
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
@record_views.GET_POST
def action_new(request):
    source = _follow_up_source(request)
    origin = next(iter(source.values()), None)
    post = origin.post if origin else record_views.post_for_new(request, ActionItem)
    policy.require(request.user, "add", model=ActionItem, post=post, request=request)
    data = request.POST if request.method == "POST" else None
    initial = {"assignee": request.user.pk, "due_on": timezone.localdate() + dt.timedelta(days=7)}
    if origin:  # handled like the record it comes from
        initial |= {"marking": origin.marking, "channel": origin.channel}
    form = ActionItemForm(data, initial=initial, user=request.user, post=post, request=request)
    if record_views.save(
        request, form, lambda d: services.action_item_create(post=post, by=request.user, **source, **d)
    ):
        messages.success(request, "Follow-up added.")
        return redirect(origin or "action_list")
    context = {"form": form, "post": post, "origin": origin, "origin_field": next(iter(source), "")}
    context["page_marking"] = selectors.page_marking(origin) if origin else "U"
    return record_views.form_page(request, "engagements/action_form.html", context)


@login_required
@record_views.GET_POST
def action_edit(request, pk):
    item = record_views.editable(request, ActionItem, pk)
    description, marking = item.description, item.marking
    data = request.POST if request.method == "POST" else None
    form = ActionItemForm(data, instance=item, user=request.user, post=item.post, request=request)
    if record_views.save(request, form, lambda d: services.action_item_update(item=item, by=request.user, **d)):
        messages.success(request, "Follow-up saved.")
        return redirect(record_views.next_or(request, "action_list"))
    context = {"form": form, "post": item.post, "object_pk": pk, "title": description, "page_marking": marking}
    return record_views.form_page(request, "engagements/action_form.html", context)


@login_required
@require_POST
def action_close(request, pk):
    item = record_views.editable(request, ActionItem, pk)
    form = CloseActionForm(request.POST)
    if record_views.save(
        request, form, lambda d: services.action_item_close(item=item, by=request.user, status=d["status"])
    ):
        messages.success(request, f"Follow-up closed: {item.description}")
        return redirect(record_views.next_or(request, "action_list"))
    context = {"form": form, "item": item, "page_marking": item.marking}
    return render(request, "engagements/action_close.html", context, status=400)
