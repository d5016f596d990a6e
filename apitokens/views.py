"""The profile pages where a user creates, reads and revokes their API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import TokenForm
from .models import PersonalAccessToken, TokenScope


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """GET: my tokens and the form; POST: issue one and show its text this once."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, text = services.token_issue(user=request.user, request=request, **form.cleaned_data)
        # Rendered, never redirected: the text must not travel in a URL nor be stored anywhere.
        return render(
            request,
            "apitokens/token_created.html",
            {"token": token, "token_text": text},
            status=201,
        )
    tokens = PersonalAccessToken.objects.filter(user=request.user, scope=TokenScope.API)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "apitokens/token_list.html",
        {"tokens": tokens, "form": form},
        status=status,
    )


@login_required
@require_POST
def token_revoke(request, pk):
    # Others' tokens, and calendar feeds (revoked on their own page): 404.
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=request.user, scope=TokenScope.API)
    services.token_revoke(token=token, by=request.user, request=request)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("token_list")
