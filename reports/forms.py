"""Forms of the cable pages: the header of a draft and its paragraphs (a formset that needs no JS)."""

from django import forms
from django.forms import inlineformset_factory

from attache_crm.forms import RecordForm
from attache_crm.markings import CHANNEL_RANK, Channel

from .models import Cable, CableParagraph
from .rendering import clean_text, split_tags

# Restricted-channel material never goes into a cable, so it is not offered.
PARAGRAPH_CHANNELS = [(Channel.POST, Channel.POST.label), (Channel.ATTACHE, Channel.ATTACHE.label)]


class CableHeaderForm(forms.ModelForm):
    class Meta:
        model = Cable
        fields = ["subject", "precedence", "tags"]
        help_texts = {"tags": "Comma-separated subject tags, then the geographic tag, e.g. MARR, PREL, BN."}

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


class ReturnForm(forms.Form):
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
