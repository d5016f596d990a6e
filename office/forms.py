"""Forms of clearances and gifts: pickers offer only what the user may see; the services decide."""

from django import forms
from django.db.models import Q

from attache_crm.forms import RecordForm, offer_only
from attache_crm.widgets import DayInput
from engagements import selectors as engagement_selectors
from engagements.forms import LinkedRecordsMixin
from engagements.models import Meeting
from tenancy import policy

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
