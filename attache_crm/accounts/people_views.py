"""The people pages of a post's administrator, and everyone's own password page.

Thin: authorize (403 for anyone who manages no post, 404 for an account that is not theirs),
validate, call one service of attache_crm.accounts.services, redirect. The rules are there.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tenancy.models import Post

from . import selectors, services
from .forms import PasswordResetForm, PersonCreateForm, RoleForm, add_service_errors


def _data(request):
    """The POST data for a bound form, even when empty (an empty POST is bad input, not a GET)."""
    return request.POST if request.method == "POST" else None


def _managed_posts(user):
    return Post.objects.filter(pk__in=services.managed_post_ids(user)).order_by("code")


def _person(request, pk):
    """Authorize first (403 for non-managers, whatever the id), then find the account (404)."""
    services.require_manager(request.user, request=request)
    return services.person_get_or_404(request.user, pk=pk)


def _detail(request, person, *, role_form=None, status=200):
    context = {
        "person": selectors.people(request.user).get(pk=person.pk),
        "is_self": person.pk == request.user.pk,
        "locked_out": selectors.locked_out(request.user).filter(username=person.get_username()).exists(),
        "role_form": role_form,
        "roles": RoleForm.base_fields["role"].choices,
    }
    return render(request, "accounts/person_detail.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def people_list(request):
    """The accounts of the administrator's posts, and their locked-out ones."""
    services.require_manager(request.user, request=request)
    context = {"people": selectors.people(request.user), "lockouts": selectors.locked_out(request.user)}
    return render(request, "accounts/people_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_new(request):
    """Create an account at one of the administrator's posts; a generated password is shown once."""
    services.require_manager(request.user, request=request)
    form = PersonCreateForm(_data(request), posts=_managed_posts(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        try:
            person, shown = services.person_create(by=request.user, request=request, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if shown:
                # Rendered, never redirected: the password must not travel in a URL nor be stored.
                context = {"person": person, "password": shown}
                return render(request, "accounts/person_password_shown.html", context, status=201)
            messages.success(request, f"Account {person.get_username()} created.")
            return redirect("person_detail", pk=person.pk)
    return render(request, "accounts/person_new.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET"])
def person_detail(request, pk):
    return _detail(request, _person(request, pk))


@login_required
@require_POST
def person_role(request, pk):
    person = _person(request, pk)
    form = RoleForm(request.POST, posts=_managed_posts(request.user))
    if form.is_valid():
        try:
            services.person_set_role(by=request.user, user=person, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Role changed.")
            return redirect("person_detail", pk=person.pk)
    return _detail(request, person, role_form=form, status=400)


@login_required
@require_POST
def person_deactivate(request, pk):
    person = services.person_deactivate(by=request.user, user=_person(request, pk), request=request)
    messages.success(request, f"{person.get_username()} deactivated: no sign-in, API tokens revoked.")
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def person_reactivate(request, pk):
    person = services.person_reactivate(by=request.user, user=_person(request, pk), request=request)
    messages.success(request, f"{person.get_username()} reactivated.")
    return redirect("person_detail", pk=person.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_password(request, pk):
    """Set a member's password, given or generated (shown once)."""
    person = _person(request, pk)
    form = PasswordResetForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            shown = services.password_reset(
                by=request.user, user=person, password=form.cleaned_data["password"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if shown:
                context = {"person": person, "password": shown}
                return render(request, "accounts/person_password_shown.html", context)
            messages.success(request, f"Password of {person.get_username()} set; their sessions and API tokens ended.")
            return redirect("person_detail", pk=person.pk)
    context = {"form": form, "person": person}
    return render(request, "accounts/person_password.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def person_second_factor_reset(request, pk):
    person = _person(request, pk)
    services.second_factor_reset(by=request.user, user=person, request=request)
    messages.success(request, f"Authenticator removed: {person.get_username()} sets up a new one at next sign-in.")
    return redirect("person_detail", pk=person.pk)


@login_required
@require_POST
def person_unlock(request, pk):
    person = _person(request, pk)
    services.lockout_lift(by=request.user, username=person.get_username(), request=request)
    messages.success(request, f"Lockout of {person.get_username()} lifted.")
    return redirect("person_detail", pk=person.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Change one's own password (the current one first); other sessions and API tokens end."""
    form = PasswordChangeForm(request.user, _data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change_own(
                user=request.user, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)  # this session goes on
            messages.success(request, "Password changed. Your API tokens were revoked: create new ones if needed.")
            return redirect("password_change")
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)
