"""HTML views of meetings, agreements, exercises and follow-ups."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attache_crm import policy

from .models import ActionItem, Agreement, Exercise, Meeting


def _simple_list(request, model, template):
    objects = policy.visible(request.user, model)[:25]
    return render(request, template, {"objects": objects})


@login_required
@require_GET
def meeting_list(request):
    return _simple_list(request, Meeting, "engagements/meeting_list.html")


@login_required
@require_GET
def agreement_list(request):
    return _simple_list(request, Agreement, "engagements/agreement_list.html")


@login_required
@require_GET
def exercise_list(request):
    return _simple_list(request, Exercise, "engagements/exercise_list.html")


@login_required
@require_GET
def action_list(request):
    return _simple_list(request, ActionItem, "engagements/action_list.html")
