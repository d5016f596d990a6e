"""The page side of a lifecycle: the step form on a record's page, and the one view that takes a step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from attache_crm.forms import save_through
from tenancy import policy

from . import services
from .forms import StepForm
from .table import Lifecycle


def with_step_form(context: dict, lifecycle: Lifecycle, record, form: StepForm | None = None) -> dict:
    """A record page's context (with `can_edit`) plus its `lifecycle_panel`: the record's log and,
    for those who may take one while one remains, the form of the next step
    (`lifecycle/_panel.html` shows it)."""
    can_step = context["can_edit"] and bool(lifecycle.allowed(record))
    context["lifecycle_panel"] = {
        "lifecycle": lifecycle,
        "kind": record._meta.verbose_name,
        "state_label": lifecycle.state_labels[getattr(record, lifecycle.state)],
        "steps": lifecycle.history(record),
        "form": (form or StepForm(lifecycle=lifecycle, record=record)) if can_step else None,
        "can_edit": context["can_edit"],
    }
    return context


@login_required
@require_POST
def step(request, pk, *, lifecycle: Lifecycle, template: str, page):
    """Take one step (URL kwargs: the lifecycle, and the record's page — its template and the
    selector that builds its context — shown again with the refused form and a 400)."""
    record = policy.get_visible_or_404(request.user, lifecycle.model.objects.select_related("post"), pk=pk)
    policy.require(request.user, "change", record, request=request)
    form = StepForm(request.POST, lifecycle=lifecycle, record=record, request=request)
    if form.is_valid():
        moved = save_through(
            form, lambda: services.step(lifecycle, record=record, by=request.user, **form.step_arguments())
        )
        if moved is not None:
            messages.success(request, f"{lifecycle.label} changed.")
            return redirect(moved)
    with timezone.override(record.post.tzinfo):
        context = with_step_form(page(request.user, record), lifecycle, record, form)
        return render(request, template, context, status=400)
