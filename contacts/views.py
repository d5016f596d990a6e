"""HTML views of counterparts and organizations."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attache_crm import policy

from .models import Counterpart


@login_required
@require_GET
def counterpart_list(request):
    counterparts = policy.visible(request.user, Counterpart).select_related("organization")[:25]
    return render(request, "contacts/counterpart_list.html", {"counterparts": counterparts})


@login_required
@require_GET
def counterpart_detail(request, pk):
    counterpart = policy.get_visible_or_404(request.user, Counterpart, pk=pk)
    return render(request, "contacts/counterpart_detail.html", {"counterpart": counterpart})
