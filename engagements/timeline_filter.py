"""The filter above a counterpart's timeline: which kinds, which days (query parameters).

A wrong value is a field error on the page (400), never an error page: the days are bounded like
every date of the application, and a range whose end comes before its start says so.
"""

from django import forms

from attache_crm.widgets import DayInput
from tenancy.limits import BoundedDateField

from .filters import DateRangeForm
from .timeline import KINDS, TimelineQuery


class TimelineFilterForm(DateRangeForm):
    kind = forms.MultipleChoiceField(
        label="Show", choices=list(KINDS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    date_from = BoundedDateField(label="From", required=False, widget=DayInput())
    date_to = BoundedDateField(label="To", required=False, widget=DayInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "timeline-%s")  # unique ids beside the page's other forms
        super().__init__(*args, **kwargs)

    def query(self) -> TimelineQuery:
        """What was asked for; everything when the form has errors (they are shown beside it)."""
        if not self.is_valid():
            return TimelineQuery()
        data = self.cleaned_data
        return TimelineQuery(kinds=frozenset(data["kind"]), date_from=data["date_from"], date_to=data["date_to"])
