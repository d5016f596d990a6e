"""The base of every content form: marking refusal with audit, restricted_notes by policy."""

from django import forms

from attache_crm import audit, policy
from attache_crm.markings import ClassifiedMarkingError, Marking, validate_marking


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
