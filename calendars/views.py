"""A user's calendar feeds (created, listed, revoked on their profile) and the feed itself.

The feed's address is its own credential (calendar apps send no session or header): an unknown,
expired or revoked address answers 404, like an absent page, whatever the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apitokens.models import TokenScope
from apitokens.verify import TokenRefused, verify
from tenancy import audit

from . import selectors, services
from .forms import FeedForm
from .ics import to_ics
from .models import CalendarFeed

NO_SUCH_FEED = "No such calendar feed."


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feed_list(request):
    """GET: my feeds and the form; POST: create one and show its address this once."""
    form = FeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        feed, text = services.feed_issue(user=request.user, request=request, **form.cleaned_data)
        address = request.build_absolute_uri(reverse("calendar_feed", args=[text]))
        # Rendered, never redirected: the address must not travel in a Location header nor be stored.
        return render(request, "calendars/feed_created.html", {"feed": feed, "address": address}, status=201)
    feeds = CalendarFeed.objects.filter(token__user=request.user).select_related("token")
    return render(
        request, "calendars/feed_list.html", {"feeds": feeds, "form": form}, status=400 if form.is_bound else 200
    )


@login_required
@require_POST
def feed_revoke(request, pk):
    feed = get_object_or_404(CalendarFeed.objects.select_related("token"), pk=pk, token__user=request.user)
    services.feed_revoke(feed=feed, by=request.user, request=request)
    messages.success(request, "Calendar feed revoked: its address no longer answers.")
    return redirect("calendar_feeds")


@never_cache
@require_GET
def feed_ics(request, token):
    try:
        presented = verify(token, scope=TokenScope.CALENDAR, request=request)
    except TokenRefused:
        raise Http404(NO_SUCH_FEED) from None
    user, feed = presented.user, presented.calendar_feed
    entries = selectors.calendar_entries(user, all_channels=feed.all_channels)
    audit.record(action="export", user=user, request=request, obj=feed, detail=f"calendar feed, {len(entries)} entries")
    body = to_ics(entries, name=f"Attaché CRM · {user.get_username()}", absolute=request.build_absolute_uri)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
