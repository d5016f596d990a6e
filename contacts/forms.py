"""Forms of counterparts and organizations (validation only; writes go through services)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from attache_crm.forms import RecordForm, offer_only
from attache_crm.widgets import DayInput
from tenancy import policy

from .merge import MERGE_FIELDS
from .models import Counterpart, Organization

# Fieldsets of the counterpart form, in the order an attaché fills them in after a meeting.
COUNTERPART_FIELDSETS = [
    ("Name", ["family_name", "given_names", "native_name", "aliases", "country"]),
    (
        "Rank and position",
        ["service", "rank_title", "nato_grade", "position", "organization", "status"],
    ),
    ("Contact", ["email", "phone", "languages"]),
    ("Background", ["education", "biography", "protocol_notes"]),
    ("Attaché channel", ["restricted_notes"]),
    ("Record", ["owner", "contact_every_days", "tags", "last_verified_on", "marking", "channel"]),
]


class FieldsetsMixin:
    """Lets a template walk the form by fieldset; fields the form dropped are skipped."""

    fieldset_layout: list[tuple[str, list[str]]] = []

    def fieldsets(self):
        for legend, names in self.fieldset_layout:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield legend, fields


class CounterpartForm(FieldsetsMixin, RecordForm):
    """A counterpart at one post; organization and owner choices come from that post (who may own it
    is decided by the service: the picker only offers the attachés and the chief)."""

    fieldset_layout = COUNTERPART_FIELDSETS

    # Shown with the likely duplicates once the service has named them (not a fieldset's field).
    confirm_duplicate = forms.BooleanField(required=False, label="None of these is the same person: save anyway")
    # The counterparts the last save was refused for (services.DuplicateSuspected), for the template.
    duplicates: list = []

    class Meta:
        model = Counterpart
        fields = [name for _, names in COUNTERPART_FIELDSETS for name in names]
        labels = {"nato_grade": "NATO grade", "email": "E-mail"}
        widgets = {
            "family_name": forms.TextInput(attrs={"dir": "auto"}),
            "given_names": forms.TextInput(attrs={"dir": "auto"}),
            "native_name": forms.TextInput(attrs={"dir": "auto"}),
            "aliases": forms.TextInput(attrs={"dir": "auto"}),
            "last_verified_on": DayInput(),
            "education": forms.Textarea(attrs={"rows": 3}),
            "biography": forms.Textarea(attrs={"rows": 5}),
            "protocol_notes": forms.Textarea(attrs={"rows": 3}),
            "restricted_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, post=None, request=None, **kwargs):
        super().__init__(*args, user=user, post=post, request=request, **kwargs)
        if self.instance.pk is None:
            # The model's own clean() and the post-bound choices need the post from the start.
            self.instance.post = post
            self.initial.setdefault("country", post.host_country)
            self.initial.setdefault("owner", user.pk if user is not None else None)
        self.fields["family_name"].widget.attrs["autofocus"] = True
        self.fields["organization"].queryset = policy.visible(user, Organization).filter(post=post).order_by("name")
        self.fields["owner"].queryset = policy.choosable_people(user)
        offer_only(
            self.fields["owner"],
            get_user_model()
            .objects.filter(memberships__post=post, memberships__role__in=list(policy.OWNER_ROLES))
            .order_by("username"),
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["tags"].help_text = "Comma-separated, e.g. alumni, maritime."
        self.fields["tags"].widget.attrs["data-chips"] = "free"  # shown as chips by static/js/chips.js

    def service_kwargs(self) -> dict:
        """cleaned_data split for the services: (fields, tags, confirm_duplicate)."""
        data = dict(self.cleaned_data)
        tags = data.pop("tags", [])
        return {"tags": tags, **data}


class OrganizationForm(FieldsetsMixin, RecordForm):
    """A host-nation organization at one post; the parent is chosen among the post's organizations."""

    fieldset_layout = [
        ("Organization", ["name", "acronym", "kind", "parent", "country"]),
        ("Record", ["marking", "channel"]),
    ]

    class Meta:
        model = Organization
        fields = ["name", "acronym", "kind", "parent", "country", "marking", "channel"]

    def __init__(self, *args, user=None, post=None, request=None, **kwargs):
        super().__init__(*args, user=user, post=post, request=request, **kwargs)
        if self.instance.pk is None:
            self.instance.post = post
            self.initial.setdefault("country", post.host_country)
        self.fields["name"].widget.attrs["autofocus"] = True
        parents = policy.visible(user, Organization).filter(post=post).order_by("name")
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CounterpartMergeForm(forms.Form):
    """For each field where two records of one person differ: keep this record's value or take the
    other's. Restricted notes are offered only to those who may read them; a hidden organization
    is named as such."""

    KEEP, TAKE = "keep", "take"

    def __init__(self, *args, survivor, other, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MERGE_FIELDS:
            if name == "restricted_notes" and not policy.can_see_restricted_notes(user, survivor.post):
                continue
            field = Counterpart._meta.get_field(name)
            mine, theirs = getattr(survivor, field.attname), getattr(other, field.attname)
            if mine == theirs:
                continue
            self.fields[name] = forms.ChoiceField(
                label=field.verbose_name.capitalize(),
                choices=[(self.KEEP, _shown(survivor, name, user)), (self.TAKE, _shown(other, name, user))],
                initial=self.KEEP,
                required=False,  # a field left unanswered keeps this record's value
                widget=forms.RadioSelect,
            )

    def taken(self) -> list[str]:
        return [name for name, choice in self.cleaned_data.items() if choice == self.TAKE]


def _shown(counterpart: Counterpart, name: str, user) -> str:
    """A field's value as the merge page shows it."""
    if name == "organization":
        organization = counterpart.organization
        if organization is None:
            return "—"
        return str(organization) if policy.is_visible(user, organization) else "(an organization you may not see)"
    display = getattr(counterpart, f"get_{name}_display", None)
    value = display() if display else getattr(counterpart, name)
    if name == "country":
        value = counterpart.country.name
    return str(value) if value not in (None, "") else "—"
