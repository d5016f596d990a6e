"""The form of one lifecycle step: only the states allowed from where the record stands."""

from django import forms

from attache_crm.forms import SpillGuardMixin
from attache_crm.widgets import DayInput
from tenancy.limits import BoundedDateField

from .services import post_today
from .table import Lifecycle


class StepForm(SpillGuardMixin, forms.Form):
    """`to_<state>`, its date (default: today at the post), where the log keeps one a note, and the
    lifecycle's `step_fields` (shown with their stored values; left empty, they keep them)."""

    on = BoundedDateField(label="Dated", widget=DayInput())

    def __init__(self, *args, lifecycle: Lifecycle, record, **kwargs):
        self.lifecycle, self.post, self.spill_model = lifecycle, record.post, lifecycle.model
        super().__init__(*args, **kwargs)
        labels = dict(lifecycle.model._meta.get_field(lifecycle.state).choices)
        self.fields[lifecycle.to_field] = forms.ChoiceField(
            label=f"New {lifecycle.label.lower()}", choices=[(s, labels[s]) for s in lifecycle.allowed(record)]
        )
        self.fields["on"].initial = post_today(record.post)
        if lifecycle.note_max_length is not None:
            self.fields["note"] = forms.CharField(max_length=lifecycle.note_max_length, required=False, label="Note")
        for name in lifecycle.step_fields:
            model_field = lifecycle.model._meta.get_field(name)
            self.fields[name] = model_field.formfield(required=False, initial=getattr(record, name))
            if isinstance(self.fields[name].widget, forms.Textarea):
                self.fields[name].widget.attrs["rows"] = 3
        self.order_fields([lifecycle.to_field, "on", "note", *lifecycle.step_fields])

    def step_arguments(self) -> dict:
        """The cleaned data as `services.step` takes it."""
        data = dict(self.cleaned_data)
        return {"to": data.pop(self.lifecycle.to_field), **data}
