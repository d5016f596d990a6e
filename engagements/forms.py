"""Forms of meetings, agreements, exercises and follow-ups.

Choices of linked records come from the access policy (through the selectors), so a form never
offers what its user may not see. The links the user cannot see are kept on edit by the services
(engagements.services), for the forms and the API alike.
"""

from django import forms

from attache_crm.forms import LinksField, RecordForm, SpillGuardMixin, offer_only
from attache_crm.widgets import DayInput, MomentInput
from contacts.models import Counterpart
from tenancy import policy
from tenancy.limits import BoundedDateField
from tenancy.markings import highest_marking

from . import selectors
from .choices import ActionStatus, MeetingStatus
from .models import ActionItem, Agreement, Exercise, Meeting

DATE = DayInput()
DATETIME = MomentInput()


class CounterpartChoiceField(LinksField):
    def label_from_instance(self, obj):
        return f"{obj.rank_and_name} — {obj.position}" if obj.position else obj.rank_and_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class PeopleChoiceField(LinksField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class LinkedRecordsMixin:
    """Restrict many-to-many pickers to what the user may see."""

    def set_choices(self, **querysets):
        for name, queryset in querysets.items():
            if name in self.fields:
                self.fields[name].queryset = queryset

    def offer_people(self, *names):
        """People pickers offer those working at the post; any member of the user's posts is
        resolved, and the service says whether they may be chosen."""
        for name in names:
            if name in self.fields:
                self.fields[name].queryset = policy.choosable_people(self.user)
                offer_only(self.fields[name], selectors.people_at(self.post))

    def page_marking(self, *shown) -> str:
        """The banner of the form page: this record, `shown` records (or markings), every record offered by name."""
        markings = {o if isinstance(o, str) else getattr(o, "marking", None) for o in (self.instance, *shown)}
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "marking"):
                markings.update(queryset.values_list("marking", flat=True).distinct())
        return highest_marking(m for m in markings if m)


WEEKLY_CHOICES = [
    ("", "As the channel says: included on the post channel, left out otherwise"),
    ("yes", "Include in the weekly summary"),
    ("no", "Leave out of the weekly summary"),
]
BY_THE_DATE = ("", "By the date: conducted once it has begun, planned before")


class MeetingForm(LinkedRecordsMixin, RecordForm):
    include_in_weekly = forms.TypedChoiceField(
        choices=WEEKLY_CHOICES,
        coerce={"yes": True, "no": False}.get,
        empty_value=None,
        required=False,
        label="Weekly summary",
        help_text="The weekly summary is read by everyone at the post.",
    )
    counterparts = CounterpartChoiceField(
        queryset=Counterpart.objects.none(),
        required=False,
        label="Counterparts",
        help_text="Host-nation participants. Their position and rank are kept as they are today.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    gift_exchanged = forms.BooleanField(
        required=False,
        label="Gift exchanged",
        help_text="Opens the gift register with this meeting filled in once the meeting is saved.",
    )

    class Meta:
        model = Meeting
        fields = [
            "title", "kind", "status", "starts_at", "ends_at", "location", "counterparts", "attendees",
            "objectives", "summary", "outcome", "restricted_notes", "agreements", "exercises",
            "include_in_weekly", "marking", "channel",
        ]  # fmt: skip
        labels = {"starts_at": "Starts", "ends_at": "Ends", "attendees": "Our attendees"}
        field_classes = {"attendees": PeopleChoiceField, "agreements": LinksField, "exercises": LinksField}
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "restricted_notes": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.SelectMultiple(attrs={"size": 4}),
            "agreements": forms.SelectMultiple(attrs={"size": 4}),
            "exercises": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices(
            counterparts=selectors.counterparts_at(self.user, self.post),
            agreements=selectors.agreements_at(self.user, self.post),
            exercises=selectors.exercises_at(self.user, self.post),
        )
        self.offer_people("attendees")
        if self.instance.pk:
            self.initial["counterparts"] = list(self.instance.counterparts.values_list("pk", flat=True))
            # A saved meeting says yes or no; the channel's default was applied when it was logged.
            self.fields["include_in_weekly"].choices = WEEKLY_CHOICES[1:]
            self.fields["include_in_weekly"].required = True
            self.initial["include_in_weekly"] = "yes" if self.instance.include_in_weekly else "no"
        else:
            # Left to the service (engagements.services.meeting_defaults), from every entry point alike.
            self.fields["status"].required = False
            self.fields["status"].choices = [BY_THE_DATE, *MeetingStatus.choices]
            self.initial.setdefault("status", "")
        self.gift_exchanged = False

    def clean(self):
        data = super().clean()
        # Not a field of the meeting: the page goes on to the gift register when it is ticked.
        self.gift_exchanged = data.pop("gift_exchanged", False)
        return data


class FollowUpForm(SpillGuardMixin, forms.Form):
    """One follow-up typed in while logging a meeting; left blank, it is ignored."""

    description = forms.CharField(max_length=500, label="Follow-up")
    assignee = PersonChoiceField(queryset=None, required=False, label="Assignee")
    due_on = BoundedDateField(required=False, label="Due", widget=DATE)

    spill_model = ActionItem

    def __init__(self, *args, user=None, post=None, **kwargs):
        self.user, self.post = user, post
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.people_at(post)
        # Assigned to the one logging the meeting unless changed; an untouched row stays blank.
        self.fields["assignee"].initial = user.pk if user is not None else None

    def has_changed(self):
        # A row with only an assignee picked says nothing yet: it is still a blank row.
        return any(name in self.changed_data for name in ("description", "due_on"))


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=2, max_num=20, validate_max=True)


def follow_ups_of(formset) -> list[dict]:
    """The follow-ups actually filled in."""
    return [form.cleaned_data for form in formset.forms if form.has_changed()]


class AgreementForm(LinkedRecordsMixin, RecordForm):
    class Meta:
        model = Agreement
        fields = [
            "title", "kind", "status", "parties", "signed_on", "effective_on", "expires_on", "review_on", "summary",
            "marking", "channel",
        ]  # fmt: skip
        labels = {"status": "Status when recorded"}
        field_classes = {"parties": LinksField}
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "signed_on": DATE,
            "effective_on": DATE,
            "expires_on": DATE,
            "review_on": DATE,
            "parties": forms.SelectMultiple(attrs={"size": 6}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Later status changes go through the dated log on the agreement's page.
            del self.fields["status"]
        self.set_choices(parties=selectors.organizations_at(self.user, self.post))


class ExerciseForm(LinkedRecordsMixin, RecordForm):
    class Meta:
        model = Exercise
        fields = [
            "name", "kind", "phase", "host_country", "participating_countries", "starts_on", "ends_on", "location",
            "ipc_on", "mpc_on", "fpc_on", "counterparts", "summary", "marking", "channel",
        ]  # fmt: skip
        labels = {"phase": "Phase when recorded"}
        field_classes = {"counterparts": CounterpartChoiceField}
        widgets = {
            "name": forms.TextInput(attrs={"autofocus": True}),
            "starts_on": DATE,
            "ends_on": DATE,
            "ipc_on": DATE,
            "mpc_on": DATE,
            "fpc_on": DATE,
            # Searchable chips with static/js/chips.js; the plain lists without it.
            "participating_countries": forms.SelectMultiple(attrs={"size": 8, "data-chips": ""}),
            "counterparts": forms.SelectMultiple(attrs={"size": 6, "data-chips": ""}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["phase"]
        self.set_choices(counterparts=selectors.counterparts_at(self.user, self.post))


class ActionItemForm(LinkedRecordsMixin, RecordForm):
    class Meta:
        model = ActionItem
        fields = ["description", "assignee", "due_on", "status", "marking", "channel"]
        widgets = {"description": forms.TextInput(attrs={"autofocus": True}), "due_on": DATE}
        field_classes = {"assignee": PersonChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_people("assignee")
        if not self.instance.pk:
            del self.fields["status"]  # a new follow-up is open


class CloseActionForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(ActionStatus.DONE, "Done"), (ActionStatus.DROPPED, "Dropped")], initial=ActionStatus.DONE
    )
