"""Drive one write through the HTML form or the API, as a browser or an API client would, and
describe what came of it in terms both interfaces share (tests/access/test_write_parity.py).

A case states an intent: who writes, which kind of record, which record (or a new one at which
post), and the fields to set as Python values (model instances, lists of them, dates, text). The
HTML driver opens the form page as that user and submits it with what the page shows plus the
change (what a browser sends: a select only sends options it offers); the API driver sends the
change alone, as JSON, with the post of a new record and `If-Match: *` on a change.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Model
from django.forms import CheckboxInput, Select
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contacts.models import Counterpart, Organization
from engagements.models import ActionItem, Agreement, Exercise, Meeting
from tenancy.models import AuditEvent

from ..api.conftest import issue_token
from ..conftest import client_for


@dataclass(frozen=True)
class Kind:
    model: type
    create_url: str
    edit_url: str
    api: str


KINDS = {
    "counterpart": Kind(Counterpart, "counterpart_create", "counterpart_edit", "api-counterpart"),
    "organization": Kind(Organization, "organization_create", "organization_edit", "api-organization"),
    "meeting": Kind(Meeting, "meeting_new", "meeting_edit", "api-meeting"),
    "agreement": Kind(Agreement, "agreement_new", "agreement_edit", "api-agreement"),
    "exercise": Kind(Exercise, "exercise_new", "exercise_edit", "api-exercise"),
    "actionitem": Kind(ActionItem, "action_new", "action_edit", "api-action-item"),
}
# Links a snapshot lists by id, per model.
M2M = {
    Counterpart: ("tags",),
    Meeting: ("attendees", "agreements", "exercises"),
    Agreement: ("parties",),
    Exercise: ("counterparts",),
}
# Columns that differ between two runs of the same write for reasons of time, not of rules.
VOLATILE = {"id", "created_at", "updated_at", "completed_at", "drafted_at", "name_folded", "name_phonetic"}


class Tags(list):
    """Tag names: a comma-separated text box in the form, a list in the API."""


@dataclass
class Outcome:
    """What a write came to, in the terms both interfaces share."""

    status: str  # "saved", "400", "403" or "404"
    errors: dict  # 400: {field: [messages]}; 403/404: {"detail": message}
    record: dict | None  # the record written (or the target, unchanged), as a snapshot
    created: int  # how many records of the kind the write created
    audited: list  # the audit actions the write left (sorted)


def snapshot(obj: Model | None) -> dict | None:
    """Every stored value of a record and its links, by id (what must come out the same)."""
    if obj is None:
        return None
    obj = type(obj)._default_manager.get(pk=obj.pk)
    values = {
        field.name: field.value_to_string(obj) for field in obj._meta.concrete_fields if field.name not in VOLATILE
    }
    if isinstance(obj, ActionItem):
        values["completed"] = obj.completed_at is not None
    for name in M2M.get(type(obj), ()):
        related = getattr(obj, name)
        values[name] = (
            sorted(t.name for t in related.all()) if name == "tags" else sorted(related.values_list("pk", flat=True))
        )
    if isinstance(obj, Meeting):
        values["participants"] = sorted(obj.participants.values_list("counterpart_id", flat=True))
    return values


# ---------------------------------------------------------------- encoding an intent


def _html_value(value):
    if isinstance(value, Tags):
        return ", ".join(value)
    if isinstance(value, (list, tuple)):
        return [str(_html_value(v)) for v in value]
    if isinstance(value, Model):
        return str(value.pk)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _api_value(value):
    if isinstance(value, (list, tuple)):
        return [_api_value(v) for v in value]
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def browser_data(form) -> dict:
    """What a browser submits for a rendered form: each field's shown value; a select sends only
    options it offers (a hidden link is not among them); an unticked checkbox sends nothing."""
    data = {}
    for bound in form:
        widget, name, value = bound.field.widget, bound.html_name, bound.value()
        if isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(widget, Select):
            offered = {str(choice) for choice, _ in widget.choices}
            values = value if isinstance(value, (list, tuple)) else [value]
            values = [str(v) for v in values if v not in (None, "") and str(v) in offered]
            data[name] = values if widget.allow_multiple_selected else (values[0] if values else "")
        else:
            shown = widget.format_value(value)
            data[name] = "" if shown is None else shown
    return data


# ---------------------------------------------------------------- the two drivers


def _marks():
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last


def _created(model, before: int):
    return list(model._default_manager.filter(pk__gt=before).order_by("pk"))


def _last_pk(model) -> int:
    return model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def _audited(since: int) -> list:
    return sorted(AuditEvent.objects.filter(pk__gt=since).exclude(action="view").values_list("action", flat=True))


def _outcome(status: str, errors: dict, kind: Kind, target, before: int, audit_since: int) -> Outcome:
    created = _created(kind.model, before)
    record = created[-1] if created else target
    return Outcome(status, errors, snapshot(record), len(created), _audited(audit_since))


def write_html(*, user, kind_name: str, post, target, change: dict) -> Outcome:
    """Open the form page as `user`, submit what it shows with `change` applied."""
    kind = KINDS[kind_name]
    client = client_for(user)
    if target is None:
        url = reverse(kind.create_url) + f"?post={post.pk}"
        tz_post = post
    else:
        url = reverse(kind.edit_url, args=[target.pk])
        tz_post = target.post
    page = client.get(url)
    data = {}
    form = page.context["form"] if page.status_code == 200 else None
    with timezone.override(tz_post.tzinfo):
        if page.status_code == 200:
            data = browser_data(page.context["form"])
            formset = page.context.get("follow_ups")
            if formset is not None:
                data |= browser_data(formset.management_form)
                for form in formset.forms:
                    data |= browser_data(form)
        if target is None:
            data["post"] = str(post.pk)
        for name, value in change.items():
            if isinstance(value, bool) and form is not None and isinstance(form.fields[name].widget, Select):
                data[name] = "yes" if value else "no"  # a yes/no drop-down, e.g. the weekly summary
            elif isinstance(value, bool):
                data.pop(name, None)
                if value:
                    data[name] = "on"
            else:
                data[name] = _html_value(value)
    before, audit_since = _last_pk(kind.model), _marks()
    response = client.post(url, data)
    code = response.status_code
    if code == 302:
        return _outcome("saved", {}, kind, target, before, audit_since)
    if code == 400:
        form = response.context["form"]
        errors = {field: sorted(messages) for field, messages in form.errors.items()}
        return _outcome("400", errors, kind, target, before, audit_since)
    if code in (403, 404):
        return _outcome(str(code), {"detail": response.context["refusal"]}, kind, target, before, audit_since)
    raise AssertionError(f"HTML {url}: unexpected {code}")


def write_api(*, user, kind_name: str, post, target, change: dict) -> Outcome:
    """Send `change` to the API as JSON: POST with the post for a new record, PATCH otherwise."""
    kind = KINDS[kind_name]
    client = Client(headers={"Authorization": f"Bearer {issue_token(user)}"})
    body = {name: _api_value(value) for name, value in change.items()}
    before, audit_since = _last_pk(kind.model), _marks()
    if target is None:
        url = reverse(f"{kind.api}-list")
        response = client.post(url, json.dumps({"post": post.pk, **body}), content_type="application/json")
    else:
        url = reverse(f"{kind.api}-detail", args=[target.pk])
        response = client.patch(url, json.dumps(body), content_type="application/json", headers={"If-Match": "*"})
    code = response.status_code
    if code in (200, 201):
        return _outcome("saved", {}, kind, target, before, audit_since)
    payload = response.json()
    if code == 400:
        errors: dict = {}
        for path, items in payload["fields"].items():
            field = path.split(".")[0]
            field = "__all__" if field == "non_field_errors" else field
            errors.setdefault(field, []).extend(item["message"] for item in items)
        return _outcome("400", {k: sorted(v) for k, v in errors.items()}, kind, target, before, audit_since)
    if code in (403, 404):
        return _outcome(str(code), {"detail": payload["detail"]}, kind, target, before, audit_since)
    raise AssertionError(f"API {url}: unexpected {code}: {payload}")


# ---------------------------------------------------------------- valid submissions for the role matrix


def edit_form_data(world, resource: str, variant: str) -> dict:
    """What the edit form of a world record submits unchanged, as the matrix's attaché sees it (the
    chief for a record hidden from the attaché): a valid write wherever the role may write."""
    from contacts.forms import CounterpartForm, OrganizationForm
    from engagements.forms import ActionItemForm, AgreementForm, ExerciseForm, MeetingForm
    from office.forms import ClearanceForm, GiftForm
    from tenancy import policy

    forms = {
        "counterpart": CounterpartForm, "organization": OrganizationForm, "meeting": MeetingForm,
        "agreement": AgreementForm, "exercise": ExerciseForm, "actionitem": ActionItemForm,
        "clearance": ClearanceForm, "gift": GiftForm,
    }  # fmt: skip
    obj = world.get(resource, variant)
    writer = world.users["attache"] if policy.is_visible(world.users["attache"], obj) else world.users["chief"]
    with timezone.override(obj.post.tzinfo):
        return browser_data(forms[resource](instance=obj, user=writer, post=obj.post))


# A new record of each kind, as its form submits it (the post is the writer's first one).
NEW_FORM_DATA = {
    "counterpart": {"family_name": "Fresh", "country": "BN", "service": "army", "status": "active"},
    "organization": {"name": "Fresh", "kind": "ministry", "country": "BN"},
    "meeting": {
        "title": "Fresh", "kind": "office_call", "status": "planned", "starts_at": "2026-06-01T10:00",
        "include_in_weekly": "yes", "followups-TOTAL_FORMS": "0", "followups-INITIAL_FORMS": "0",
    },
    "agreement": {"title": "Fresh", "kind": "mou", "status": "proposed"},
    "exercise": {
        "name": "Fresh", "kind": "bilateral", "phase": "concept", "host_country": "BN",
        "starts_on": "2026-06-01", "ends_on": "2026-06-02",
    },
    "actionitem": {"description": "Fresh"},
    "clearance": {"kind": "overflight", "mission": "Fresh", "starts_on": "2026-06-01", "ends_on": "2026-06-02"},
    "gift": {
        "direction": "received", "received_on": "2026-06-01", "official": "Fresh", "description": "Fresh",
        "value_usd": "500", "value_basis": "Fresh", "recipient": "Fresh",
    },
}  # fmt: skip
NEW_API_DATA = {
    "counterpart": {"family_name": "Fresh"},
    "organization": {"name": "Fresh"},
    "meeting": {"title": "Fresh", "starts_at": "2026-06-01T10:00:00Z"},
    "agreement": {"title": "Fresh"},
    "exercise": {"name": "Fresh", "host_country": "BN", "starts_on": "2026-06-01", "ends_on": "2026-06-02"},
    "actionitem": {"description": "Fresh"},
    "clearance": {"mission": "Fresh", "starts_on": "2026-06-01", "ends_on": "2026-06-02"},
    "gift": {
        "official": "Fresh", "received_on": "2026-06-01", "description": "Fresh", "value_usd": "500",
        "value_basis": "Fresh", "recipient": "Fresh",
    },
}  # fmt: skip


def new_form_data(resource: str) -> dict:
    return {**NEW_FORM_DATA[resource], "marking": "U", "channel": "post"}
