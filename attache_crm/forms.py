"""The base of every content form: the spill guard with its audit, restricted_notes by policy."""

from django import forms

from attache_crm import policy, spill
from attache_crm.markings import Marking, validate_marking


class SpillGuardMixin:
    """Refuses classified banners and portion marks in any text the form receives, and audits it.

    The raw input of every text field (and the marking) is read by the spill guard *before* the
    field's own checks count: a long form in a short field, or a look-alike spelling that is "not a
    valid choice", is refused as classified, with the guard's message, and audited — once per
    refused form, whichever fields carried it. The model's `full_clean()` applies the same guard
    to what the form hands the service (see attache_crm/records.py).

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
        spill.audit_refusal(
            fields=refused,
            via="form",
            request=request,
            user=getattr(self, "user", None) or getattr(request, "user", None),
            model=model,
            post=getattr(self, "post", None),
        )


class RecordForm(SpillGuardMixin, forms.ModelForm):
    """A ModelForm for a Record at one post, for one user.

    - `marking` is free text under the hood so a classified value reaches the spill guard and is
      refused with its own message (and an audit event) rather than "not a valid choice";
    - `restricted_notes` disappears for anyone the policy does not let read it.
    """

    marking = forms.CharField(
        max_length=20, initial=Marking.U, widget=forms.Select(choices=Marking.choices), label="Marking"
    )

    def __init__(self, *args, user=None, post=None, request=None, **kwargs):
        self.user, self.post, self.request = user, post, request
        super().__init__(*args, **kwargs)
        if "restricted_notes" in self.fields and not policy.can_see_restricted_notes(user, post):
            del self.fields["restricted_notes"]

    def clean_marking(self):
        value = (self.cleaned_data.get("marking") or "").strip()
        validate_marking(value)
        return value
