"""The base of every content form: the spill guard with its audit, restricted_notes by policy, and
the one place where a service's refusal becomes a form error."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from tenancy import audit, policy, spill
from tenancy.limits import check_date_in_range, check_ids
from tenancy.markings import CHANNEL_HELP, Marking, validate_marking
from tenancy.records import MAX_LINKS


class SpillGuardMixin:
    """Refuses classified banners and portion marks in any text the form receives, and audits it.

    The raw input of every text field (and the marking) is read by the spill guard *before* the
    field's own checks count: a long form in a short field, or a look-alike spelling that is "not a
    valid choice", is refused as classified, with the guard's message, and audited — once per
    refused form, whichever fields carried it. The model's `full_clean()` applies the same guard
    to what the form hands the service (see tenancy/records.py).

    Give the form `request=` (and `user=`, `post=` where it has them) for the audit event.
    """

    spill_model = None  # the object type the audit event names; a ModelForm's model by default

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(self, "request", None) is None:
            self.request = request

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or (self.empty_permitted and not self.has_changed()):
            return
        refused = {}
        for name, bound in self._bound_items():
            if isinstance(bound.field, forms.CharField) or name == "marking":
                if found := spill.find(bound.data, kind=spill.kind_for(name)):
                    refused[name] = found
        for name, errors in self._errors.items():
            if any(error.code == spill.CLASSIFIED for error in errors.as_data()):
                refused.setdefault(name, "")
        if not refused:
            return
        for name, found in refused.items():
            if found and name in self.fields:
                # Only the classified refusal is shown for that field (not also "too long").
                self._errors.pop(name, None)
                self.add_error(name, spill.refusal(found))
        model = self.spill_model or getattr(getattr(self, "_meta", None), "model", None)
        request = getattr(self, "request", None)
        audit.classified_refused(
            fields=refused,
            via="form",
            request=request,
            user=getattr(self, "user", None) or getattr(request, "user", None),
            model=model,
            post=getattr(self, "post", None),
        )


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
        # A classified marking the form's own guard did not see (text the service assembles, a
        # field the form lacks) is audited here, once the service's transaction has rolled back.
        model = getattr(getattr(form, "_meta", None), "model", None) or getattr(form, "spill_model", None)
        request = getattr(form, "request", None)
        audit.service_refusal(
            exc,
            via="form",
            request=request,
            user=getattr(form, "user", None) or getattr(request, "user", None),
            model=model,
            post=getattr(form, "post", None),
        )
        errors_by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
        for field, errors in errors_by_field.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


class LinksField(forms.ModelMultipleChoiceField):
    """Links to other records or people, by id: at most MAX_LINKS of them, each a whole number
    that a database id can be, counted and checked before the one lookup of them all. Every
    multiple choice of a RecordForm is one (tests/access/test_bounded_input.py checks)."""

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            check_ids(value, max_count=MAX_LINKS)
        return super().clean(value)


class RecordForm(SpillGuardMixin, forms.ModelForm):
    """A ModelForm for a Record at one post, for one user.

    - `marking` is free text under the hood so a classified value reaches the spill guard and is
      refused with its own message (and an audit event) rather than "not a valid choice";
    - `restricted_notes` disappears for anyone the policy does not let read it;
    - dates and times are refused outside MIN_DATE..MAX_DATE (tenancy/limits.py).
    """

    marking = forms.CharField(
        max_length=20, initial=Marking.U, widget=forms.Select(choices=Marking.choices), label="Marking"
    )

    def __init__(self, *args, user=None, post=None, request=None, **kwargs):
        self.user, self.post, self.request = user, post, request
        super().__init__(*args, **kwargs)
        if "restricted_notes" in self.fields and not policy.can_see_restricted_notes(user, post):
            del self.fields["restricted_notes"]
        if "channel" in self.fields:
            self.fields["channel"].help_text = CHANNEL_HELP
        for field in self.fields.values():
            if isinstance(field, (forms.DateField, forms.DateTimeField)):
                field.validators.append(check_date_in_range)
            if isinstance(field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
                # A hidden id is answered as an absent one, in the words of the API.
                people = getattr(field.queryset, "model", None) is get_user_model()
                message = policy.NO_SUCH_PERSON_ID if people else policy.NO_SUCH_RECORD_ID
                field.error_messages["invalid_choice"] = message.format(id="%(value)s")

    def clean_marking(self):
        value = (self.cleaned_data.get("marking") or "").strip()
        validate_marking(value)
        return value
