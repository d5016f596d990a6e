"""Forms of clearances and gifts: pickers offer only what the user may see; the services decide."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from attache_crm.forms import RecordForm, SpillGuardMixin, offer_only
from attache_crm.widgets import DayInput
from engagements import selectors as engagement_selectors
from engagements.forms import LinkedRecordsMixin
from engagements.models import Meeting
from tenancy import policy

from .choices import ClearanceStatus
from .models import Clearance, Gift

# The meetings a gift form offers by name: the post's latest (any visible one of the post resolves).
MEETINGS_OFFERED = 50

DATE = DayInput()


class ClearanceForm(LinkedRecordsMixin, RecordForm):
    class Meta:
        model = Clearance
        fields = [
            "kind", "mission", "starts_on", "ends_on", "itinerary", "host_reference", "marking", "channel",
        ]  # fmt: skip
        widgets = {
            "mission": forms.TextInput(attrs={"autofocus": True}),
            "starts_on": DATE,
            "ends_on": DATE,
            "itinerary": forms.Textarea(attrs={"rows": 4}),
        }


class ClearanceStatusForm(SpillGuardMixin, forms.Form):
    """One step of a request: only the statuses allowed from where it stands, with the host
    nation's reference and reply when it answers."""

    spill_model = Clearance

    to_status = forms.ChoiceField(label="New status")
    on = forms.DateField(label="Dated", widget=DATE)
    host_reference = forms.CharField(max_length=80, required=False, label="Host-nation reference")
    host_reply = forms.CharField(
        max_length=20_000, required=False, label="Host-nation reply", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, clearance, allowed, **kwargs):
        self.post = clearance.post
        super().__init__(*args, **kwargs)
        labels = dict(ClearanceStatus.choices)
        self.fields["to_status"].choices = [(s, labels[s]) for s in allowed]
        self.fields["on"].initial = timezone.localdate(timezone=clearance.post.tzinfo)
        self.fields["host_reference"].initial = clearance.host_reference

    def clean(self):
        data = super().clean()
        # An empty box leaves the stored reference and reply as they are.
        for name in ("host_reference", "host_reply"):
            if not data.get(name):
                data[name] = None
        return data


class GiftForm(LinkedRecordsMixin, RecordForm):
    class Meta:
        model = Gift
        fields = [
            "direction", "received_on", "official", "counterpart", "government", "meeting", "description",
            "value_usd", "value_basis", "recipient", "disposition", "disposed_on", "marking", "channel",
        ]  # fmt: skip
        widgets = {
            "received_on": DATE,
            "disposed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "value_usd": "A gift received above the minimal value of its day is reported within 60 days.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices(counterpart=engagement_selectors.counterparts_at(self.user, self.post))
        meetings = policy.visible(self.user, Meeting).filter(post=self.post)
        self.fields["meeting"].queryset = meetings
        latest = meetings.order_by("-starts_at", "-id").values("pk")[:MEETINGS_OFFERED]
        current = self.initial.get("meeting") or self.instance.meeting_id
        offer_only(self.fields["meeting"], meetings.filter(Q(pk__in=latest) | Q(pk=current)).order_by("-starts_at"))
