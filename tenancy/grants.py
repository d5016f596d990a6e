"""Single restricted records shared with single users (the `restricted` channel, docs/access.md).

Guardian's direct foreign-key tables (policy.GRANT_MODELS) hold one row per user and record, so a
grant cascades away with its record. The record's owner or the post's chief grants and revokes,
from the record's page (templates/_grants_panel.html) or /grants/<app_label>.<model>/<pk>/.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from guardian.shortcuts import assign_perm, remove_perm

from tenancy import audit, policy

from .choices import Role
from .models import Membership

# Roles that a grant can open a restricted record to (the chief sees everything already; the
# admin role reads no content).
GRANTEE_ROLES = [Role.ATTACHE, Role.DIPLOMAT]


def grant_label(record: Model) -> str:
    return record._meta.label_lower


def grants_url(record: Model) -> str:
    return reverse("record_grants", kwargs={"label": grant_label(record), "pk": record.pk})


def _view_codename(model) -> str:
    return f"view_{model._meta.model_name}"


def grantees(record: Model) -> QuerySet:
    """Users this record has been shared with, one by one."""
    grant_model = apps.get_model(policy.GRANT_MODELS[grant_label(record)])
    granted = grant_model.objects.filter(content_object=record, permission__codename=_view_codename(type(record)))
    return get_user_model().objects.filter(pk__in=granted.values("user_id")).order_by("username")


def grant_candidates(record: Model) -> QuerySet:
    """Members of the record's post who could be given this record: attachés and diplomats, not its owner."""
    members = Membership.objects.filter(post_id=record.post_id, role__in=GRANTEE_ROLES).values("user_id")
    owner_id = getattr(record, f"{policy._owner_field(type(record))}_id", None)
    return get_user_model().objects.filter(pk__in=members, is_active=True).exclude(pk=owner_id).order_by("username")


@transaction.atomic
def grant_view(*, record: Model, user, by, request=None) -> None:
    """Let `user` see this restricted record; audited."""
    assign_perm(_view_codename(type(record)), user, record)
    audit.record(action="grant", user=by, request=request, obj=record, detail=f"view granted to {user.get_username()}")


@transaction.atomic
def revoke_view(*, record: Model, user, by, request=None) -> None:
    """Take this record back from `user`; audited."""
    remove_perm(_view_codename(type(record)), user, record)
    audit.record(
        action="revoke", user=by, request=request, obj=record, detail=f"view revoked from {user.get_username()}"
    )


class GrantForm(forms.Form):
    op = forms.ChoiceField(
        choices=[("grant", "Grant"), ("revoke", "Revoke")], widget=forms.HiddenInput, initial="grant"
    )
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Share with")

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["user"].queryset = (grant_candidates(record) | grantees(record)).distinct()

    def clean(self):
        cleaned = super().clean()
        user, op = cleaned.get("user"), cleaned.get("op")
        if user is None or op is None:
            return cleaned
        if op == "grant" and not grant_candidates(self.record).filter(pk=user.pk).exists():
            self.add_error("user", "Only attachés and diplomats of the record's post can be given it.")
        if op == "revoke" and not grantees(self.record).filter(pk=user.pk).exists():
            self.add_error("user", "This user has not been given the record.")
        return cleaned


def _model_for(label: str):
    if label not in policy.GRANT_MODELS:
        raise Http404("No such kind of record.")
    return apps.get_model(label)


def _back(request, record) -> str:
    candidate = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return record.get_absolute_url() if hasattr(record, "get_absolute_url") else grants_url(record)


@login_required
@require_http_methods(["GET", "POST"])
def record_grants(request, label, pk):
    model = _model_for(label)
    record = policy.get_visible_or_404(request.user, model, pk=pk)
    policy.require(request.user, "grant", record, request=request)
    form = GrantForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        service = grant_view if form.cleaned_data["op"] == "grant" else revoke_view
        service(record=record, user=form.cleaned_data["user"], by=request.user, request=request)
        messages.success(request, "Access updated.")
        return redirect(_back(request, record))
    context = {"record": record, "form": form}
    return render(request, "accounts/grants.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("<str:label>/<int:pk>/", record_grants, name="record_grants"),
]
