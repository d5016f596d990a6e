"""HTML views of cables: authorize through the policy (hidden → 404, visible but not permitted → 403),
validate a form, call one service, redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engagements.models import Meeting
from tenancy import audit, policy
from tenancy.markings import Channel, highest_marking

from . import clearances, selectors, services
from .forms import (
    CableHeaderForm,
    ClearanceRequestForm,
    CoordinatorForm,
    ParagraphFormSet,
    RedraftForm,
    ReleaseForm,
    ReturnForm,
    WidenForm,
)
from .models import Cable
from .rendering import cable_text as render_cable_text


@login_required
@require_GET
def cable_list(request):
    context = selectors.cable_pages(request.user)
    context["page_marking"] = highest_marking(c.marking for c in context["drafts"] + context["released"])
    return render(request, "reports/cable_list.html", context)


@login_required
@require_GET
def cable_detail(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    audit.viewed(request, cable)
    return _detail(request, cable, ReturnForm(request=request))


def _detail(request, cable, return_form, status=200, clearance_form=None):
    can_ask = policy.can(request.user, "request_clearance", cable)
    can_release = policy.can(request.user, "release", cable)
    context = {
        "cable": cable,
        "text": render_cable_text(cable),
        "page_marking": cable.marking,
        "can_change": policy.can(request.user, "change", cable),
        "can_redraft": policy.can(request.user, "change", cable) and not cable.is_correction,
        "can_release": can_release,
        "can_widen": cable.channel != Channel.POST and policy.can(request.user, "widen", cable),
        "can_correct": policy.can(request.user, "correct", cable),
        "can_clear": policy.can(request.user, "clear", cable),
        "can_ask": can_ask,
        "clearances": list(cable.clearances.select_related("clearer")),
        "clearance_form": clearance_form or (ClearanceRequestForm(cable=cable) if can_ask else None),
        "coordinator_form": CoordinatorForm(cable=cable) if can_release else None,
        "corrections": selectors.corrections_of(request.user, cable),
        "return_form": return_form,
    }
    return render(request, "reports/cable_detail.html", context, status=status)


@login_required
@require_GET
def cable_text(request, pk):
    """The cable as the .txt download: exactly the text the detail page shows."""
    cable = selectors.cable_with_paragraphs(request.user, pk)
    audit.record(action="export", request=request, obj=cable, detail="txt")
    response = HttpResponse(render_cable_text(cable).encode("utf-8"), content_type="text/plain; charset=utf-8")
    name = (cable.serial or f"{cable.post.code} draft {cable.pk}").replace(" ", "-")
    response["Content-Disposition"] = f'inline; filename="{name}.txt"'
    return response


@login_required
@require_GET
def cable_print(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    audit.record(action="export", request=request, obj=cable, detail="print")
    context = {"cable": cable, "text": render_cable_text(cable), "page_marking": cable.marking}
    return render(request, "reports/cable_print.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cable_edit(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "change", cable, request=request)
    data = request.POST if request.method == "POST" else None
    kwargs = {"user": request.user, "post": cable.post, "request": request}
    header = CableHeaderForm(data, instance=cable, **kwargs)
    formset = ParagraphFormSet(data, instance=cable, form_kwargs=kwargs)
    if data is not None and all([header.is_valid(), formset.is_valid()]):
        try:
            services.cable_update(cable=cable, by=request.user, paragraphs=formset.paragraphs(), **header.cleaned_data)
        except ValidationError as error:
            audit.service_refusal(error, via="form", request=request, model=Cable, post=cable.post)
            header.add_error(None, error)
        else:
            messages.success(request, "Cable saved.")
            return redirect(cable)
    context = {"cable": cable, "header": header, "formset": formset, "page_marking": cable.marking}
    return render(request, "reports/cable_edit.html", context, status=400 if data is not None else 200)


@login_required
@require_http_methods(["GET", "POST"])
def cable_release(request, pk):
    """The release confirmation page: the text as it will go, who has not cleared, and, before the
    week's cutoff, the reason it goes early."""
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "release", cable, request=request)
    form = ReleaseForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            cable = services.cable_release(cable=cable, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            audit.service_refusal(error, via="form", request=request, model=Cable, post=cable.post)
            form.add_error(None, error)
        else:
            messages.success(request, f"Released as {cable.serial}.")
            return redirect(cable)
    context = {
        "cable": cable,
        "form": form,
        "text": render_cable_text(cable),
        "early": services.is_early(cable),
        "opens_at": services.release_opens_at(cable),
        "pending": clearances.pending(cable),
        "page_marking": cable.marking,
    }
    return render(request, "reports/cable_release.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def cable_redraft(request, pk):
    """Redraft from the records: the changes are shown first, and saved only as shown."""
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "change", cable, request=request)
    form = RedraftForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cable_redraft(cable=cable, by=request.user, fingerprint=form.cleaned_data["fingerprint"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                messages.success(request, "Redrafted from the records; your paragraphs were kept.")
                return redirect(cable)
        else:
            status = 400
    try:
        plan = services.cable_redraft_plan(cable=cable, by=request.user)
    except ValidationError as error:
        return render(request, "reports/cable_refused.html", {"errors": error.messages}, status=400)
    form = RedraftForm(initial={"fingerprint": plan.fingerprint})
    context = {"cable": cable, "plan": plan, "form": form, "page_marking": cable.marking}
    return render(request, "reports/cable_redraft.html", context, status=status)


@login_required
@require_POST
def cable_correct(request, pk):
    """Start (or reopen) the correction of a released cable."""
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "correct", cable, request=request)
    correction = services.cable_correct(cable=cable, by=request.user)
    messages.success(request, f"Correction of {cable.serial}: edit it, then send it for release.")
    return redirect(correction)


@login_required
@require_POST
def cable_clearance_request(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "request_clearance", cable, request=request)
    form = ClearanceRequestForm(request.POST, cable=cable)
    if not form.is_valid():
        return _detail(request, cable, ReturnForm(request=request), status=400, clearance_form=form)
    try:
        clearances.clearance_request(
            cable=cable, by=request.user, clearers=form.cleaned_data["clearers"], request=request
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _detail(request, cable, ReturnForm(request=request), status=400, clearance_form=form)
    messages.success(request, "Clearance requested.")
    return redirect(cable)


@login_required
@require_POST
def cable_clear(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "clear", cable, request=request)
    clearances.clearance_give(cable=cable, by=request.user, request=request)
    messages.success(request, "You cleared this draft.")
    return redirect(cable)


@login_required
@require_POST
def cable_coordinator(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "release", cable, request=request)
    form = CoordinatorForm(request.POST, cable=cable)
    if not form.is_valid():
        messages.error(request, "Choose one of the post's attachés.")
        return _detail(request, cable, ReturnForm(request=request), status=400)
    clearances.coordinator_name(
        cable=cable, by=request.user, coordinator=form.cleaned_data["coordinator"], request=request
    )
    messages.success(request, "Clearance coordinator saved.")
    return redirect(cable)


@login_required
@require_POST
def cable_return(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "release", cable, request=request)
    form = ReturnForm(request.POST, request=request)
    if not form.is_valid():
        return _detail(request, cable, form, status=400)
    services.cable_return(cable=cable, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, "Returned to the drafters for edits.")
    return redirect(cable)


@login_required
@require_http_methods(["GET", "POST"])
def cable_widen(request, pk):
    """The chief widens a draft past the channel of its sources, saying why (audited)."""
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "widen", cable, request=request)
    form = WidenForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.cable_widen(cable=cable, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            audit.service_refusal(error, via="form", request=request, model=Cable, post=cable.post)
            form.add_error(None, error)
        else:
            messages.success(request, "The cable's channel was widened; the reason is in the audit log.")
            return redirect(cable)
    context = {"cable": cable, "form": form, "page_marking": cable.marking}
    return render(request, "reports/cable_widen.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def cable_resubmit(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "change", cable, request=request)
    services.cable_resubmit(cable=cable, by=request.user)
    messages.success(request, "Sent to the chief for release.")
    return redirect(cable)


@login_required
@require_POST
def contact_report_create(request, meeting_pk):
    """Draft (or open the existing) contact report of one meeting."""
    meeting = policy.get_visible_or_404(request.user, Meeting, pk=meeting_pk)
    policy.require(request.user, "add", model=Cable, post=meeting.post, request=request)
    try:
        cable = services.contact_report_draft(meeting=meeting, by=request.user)
    except ValidationError as error:
        return render(request, "reports/cable_refused.html", {"errors": error.messages}, status=400)
    return redirect(cable)
