"""Quick capture: a meeting in one short form (who, when, kind, what was said, one follow-up).

The full meeting form stays one click away for everything else; what this form leaves unsaid
(status, channel, weekly summary) is settled by the meeting service's defaults.
"""

from django import forms
from django.utils import timezone

from attache_crm.forms import SpillGuardMixin
from attache_crm.widgets import DayInput, MomentInput

from . import selectors
from .choices import MeetingKind
from .forms import CounterpartChoiceField
from .models import Meeting

TITLE_LENGTH = 200


class QuickMeetingForm(SpillGuardMixin, forms.Form):
    """Who was there (chips: ticked boxes, so that it works without JavaScript), when, what was said."""

    spill_model = Meeting

    counterparts = CounterpartChoiceField(
        queryset=None, label="Who", widget=forms.CheckboxSelectMultiple, error_messages={"required": "Who was there?"}
    )
    starts_at = forms.DateTimeField(label="When", widget=MomentInput())
    kind = forms.ChoiceField(choices=MeetingKind.choices, initial=MeetingKind.OFFICE_CALL, label="Kind")
    summary = forms.CharField(label="What was said", widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    follow_up = forms.CharField(label="Follow-up (optional)", required=False, max_length=500)
    due_on = forms.DateField(label="Due", required=False, widget=DayInput())

    def __init__(self, *args, user, post, request=None, shown=None, **kwargs):
        """`shown`: the counterpart whose page holds the form, already read through the policy:
        its chip, when it is the only one, needs no query."""
        self.user, self.post, self.request, self.shown = user, post, request, shown
        super().__init__(*args, **kwargs)
        self.fields["counterparts"].queryset = selectors.counterparts_at(user, post)

    def chosen(self) -> list:
        """The visible counterparts ticked (as posted, else as first offered), to draw as chips."""
        ids = self["counterparts"].value() or []
        ids = [int(i) for i in ids if str(i).isdigit()]
        shown = self.shown
        if shown is not None and shown.post_id == self.post.pk and set(ids) == {shown.pk}:
            return [shown]
        return list(self.fields["counterparts"].queryset.filter(pk__in=ids)) if ids else []

    def clean(self):
        data = super().clean()
        if data.get("due_on") and not data.get("follow_up"):
            self.add_error("follow_up", "Say what is to be done by that date.")
        return data

    def meeting_fields(self) -> dict:
        """The meeting service's arguments: a title made from the kind and the people."""
        data = self.cleaned_data
        people = list(data["counterparts"])
        names = " and ".join(c.rank_and_name for c in people[:2]) + (" and others" if len(people) > 2 else "")
        title = f"{MeetingKind(data['kind']).label} with {names}"[:TITLE_LENGTH]
        follow_ups = []
        if data.get("follow_up"):
            follow_ups.append({"description": data["follow_up"], "due_on": data.get("due_on"), "assignee": self.user})
        return {
            "title": title,
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "summary": data["summary"],
            "counterparts": people,
            "follow_ups": follow_ups,
        }


def quick_initial(counterpart) -> dict:
    """Back from a meeting: it happened about now, with the person whose page this is."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"starts_at": now, "counterparts": [counterpart.pk] if counterpart is not None else []}
