"""The base of every content form: marking refusal with audit, restricted_notes by policy, and the
one place where a service's refusal becomes a form error."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from attache_crm import audit, policy
from attache_crm.markings import ClassifiedMarkingError, Marking, validate_marking


class OfferedChoiceIterator(ModelChoiceIterator):
    """The choices a select shows, drawn from `offered` rather than the field's own queryset."""

    def __init__(self, field, offered):
        super().__init__(field)
        self.queryset = offered


def offer_only(field: forms.ModelChoiceField, offered) -> None:
    """Show only `offered` in the picker while the field still resolves any id of its queryset:
    whether the value may be chosen is the service's decision, so a value the page did not offer
    gets the service's refusal, the same words the API gives."""
    field.widget.choices = OfferedChoiceIterator(field, offered)


def save_through(form, service, /, **kwargs):
    """Call a write service; a rule it refuses (ValidationError) shows on its field when the form
    has it, else on top, and the service's transaction saved nothing. None when refused.
    NotFound and Denied (the post rule) go on to the 404 and 403 pages."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
        for field, errors in errors_by_field.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


class RecordForm(forms.ModelForm):
    """A ModelForm for a Record at one post, for one user.

    - `marking` is free text under the hood so a classified value reaches our validator and is
      refused with its own message (and an audit event) rather than "not a valid choice";
    - `restricted_notes` disappears for anyone the policy does not let read it.
    """

    marking = forms.CharField(
        max_length=20, initial=Marking.U, widget=forms.Select(choices=Marking.choices), label="Marking"
    )

    def __init__(self, *args, user=None, post=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.post, self.request = user, post, request
        if "restricted_notes" in self.fields and not policy.can_see_restricted_notes(user, post):
            del self.fields["restricted_notes"]
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
                # A hidden id is answered as an absent one, in the words of the API.
                people = getattr(field.queryset, "model", None) is get_user_model()
                message = policy.NO_SUCH_PERSON_ID if people else policy.NO_SUCH_RECORD_ID
                field.error_messages["invalid_choice"] = message.format(id="%(value)s")

    def clean_marking(self):
        value = (self.cleaned_data.get("marking") or "").strip()
        try:
            validate_marking(value)
        except ClassifiedMarkingError:
            audit.record(
                action="classified_refused",
                user=self.user,
                request=self.request,
                obj=self._meta.model,
                post=self.post,
                outcome="denied",
                detail=f"marking {value[:40]!r} refused",
            )
            raise
        return value
