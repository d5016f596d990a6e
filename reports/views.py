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
from tenancy import audit, policy, spill
from tenancy.markings import Channel, highest_marking

from . import selectors, services
from .forms import CableHeaderForm, ParagraphFormSet, ReturnForm, WidenForm
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


def _detail(request, cable, return_form, status=200):
    context = {
        "cable": cable,
        "text": render_cable_text(cable),
        "page_marking": cable.marking,
        "can_change": policy.can(request.user, "change", cable),
        "can_release": policy.can(request.user, "release", cable),
        "can_widen": cable.channel != Channel.POST and policy.can(request.user, "widen", cable),
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
            spill.audit_service_refusal(error, via="form", request=request, model=Cable, post=cable.post)
            header.add_error(None, error)
        else:
            messages.success(request, "Cable saved.")
            return redirect(cable)
    context = {"cable": cable, "header": header, "formset": formset, "page_marking": cable.marking}
    return render(request, "reports/cable_edit.html", context, status=400 if data is not None else 200)


@login_required
@require_POST
def cable_release(request, pk):
    cable = selectors.cable_with_paragraphs(request.user, pk)
    policy.require(request.user, "release", cable, request=request)
    try:
        cable = services.cable_release(cable=cable, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Released as {cable.serial}.")
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
            spill.audit_service_refusal(error, via="form", request=request, model=Cable, post=cable.post)
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
