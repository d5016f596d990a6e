"""Forms of the cable pages: the header of a draft and its paragraphs (a formset that needs no JS)."""

from django import forms
from django.forms import inlineformset_factory

from attache_crm.forms import RecordForm, SpillGuardMixin
from tenancy.markings import CHANNEL_RANK, Channel

from . import clearances
from .models import Cable, CableParagraph
from .rendering import clean_text, split_tags
from .services import EARLY_REASON_MAX, WIDEN_REASON_MAX

# Restricted-channel material never goes into a cable, so it is not offered.
PARAGRAPH_CHANNELS = [(Channel.POST, Channel.POST.label), (Channel.ATTACHE, Channel.ATTACHE.label)]


class CableHeaderForm(SpillGuardMixin, forms.ModelForm):
    """Subject, precedence and tags of a draft (the spill guard reads subject and tags)."""

    def __init__(self, *args, user=None, post=None, **kwargs):
        self.user, self.post = user, post
        super().__init__(*args, **kwargs)

    class Meta:
        model = Cable
        fields = ["subject", "precedence", "tags"]
        help_texts = {"tags": "Comma-separated subject tags, then the geographic tag, e.g. MARR, PREL, BN."}
        widgets = {"tags": forms.TextInput(attrs={"data-chips": "free"})}  # chips with static/js/chips.js

    def clean_subject(self):
        return clean_text(self.cleaned_data["subject"])

    def clean_tags(self):
        return ", ".join(split_tags(self.cleaned_data.get("tags", "")))


class ParagraphForm(RecordForm):
    """One paragraph: heading, SUMMARY/COMMENT block, portion marking, channel and text.

    The marking goes through RecordForm, which refuses classified markings with an audit event.
    """

    channel = forms.ChoiceField(choices=PARAGRAPH_CHANNELS, initial=Channel.POST)

    class Meta:
        model = CableParagraph
        fields = ["heading", "block", "marking", "channel", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        # A paragraph drafted from attaché-channel records stays there: its sources decide.
        if self.instance.pk and CHANNEL_RANK[channel] < CHANNEL_RANK[self.instance.channel]:
            raise forms.ValidationError("This paragraph comes from attaché-channel records; it cannot be widened.")
        return channel


class BaseParagraphFormSet(forms.BaseInlineFormSet):
    def paragraphs(self) -> list[dict]:
        """The paragraphs to keep, in the order asked for, as service input."""
        result = []
        for form in self.ordered_forms:
            values = {name: form.cleaned_data[name] for name in ParagraphForm.Meta.fields}
            values["id"] = form.instance.pk
            result.append(values)
        return result


ParagraphFormSet = inlineformset_factory(
    Cable,
    CableParagraph,
    form=ParagraphForm,
    formset=BaseParagraphFormSet,
    fields=ParagraphForm.Meta.fields,
    extra=1,
    can_order=True,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class ReturnForm(SpillGuardMixin, forms.Form):
    spill_model = Cable

    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WidenForm(SpillGuardMixin, forms.Form):
    """The chief widens a draft's channel: to which channel, and why (kept in the audit log)."""

    spill_model = Cable

    channel = forms.ChoiceField(
        choices=[(Channel.POST, "Post (everyone with a role at the post)")], initial=Channel.POST
    )
    reason = forms.CharField(
        max_length=WIDEN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why everyone with a role at the post may read it, although it was drafted from "
        "attaché-channel material. Kept in the audit log.",
    )


class ReleaseForm(SpillGuardMixin, forms.Form):
    """The chief's confirmation; before the week's cutoff it also says why it goes now (audited)."""

    spill_model = Cable

    reason = forms.CharField(
        max_length=EARLY_REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why release it before the cutoff",
        help_text="Kept in the audit log.",
    )


class RedraftForm(forms.Form):
    """Confirms the changes shown: the fingerprint names them, so a change in between is noticed."""

    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)


class ClearanceRequestForm(forms.Form):
    clearers = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Ask to clear",
        error_messages={"required": "Choose at least one colleague."},
    )

    def __init__(self, *args, cable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clearers"].queryset = clearances.candidates(cable)
        self.fields["clearers"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class CoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Attaché who gathers clearances",
        empty_label="Nobody (the chief asks)",
    )

    def __init__(self, *args, cable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = clearances.coordinators(cable)
        self.fields["coordinator"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["coordinator"].initial = cable.clearance_coordinator_id
