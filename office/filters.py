"""List filters of the clearance and gift pages (a wrong value answers 400 with its error)."""

import django_filters as filters
from django import forms

from attache_crm.widgets import DayInput
from engagements.filters import DateRangeForm
from tenancy.markings import Channel

from .choices import ClearanceKind, ClearanceStatus, GiftDirection, GiftDisposition

DATE = DayInput()


class ClearanceFilter(filters.FilterSet):
    q = filters.CharFilter(label="Mission", field_name="mission", lookup_expr="icontains")
    kind = filters.ChoiceFilter(choices=ClearanceKind.choices, empty_label="Any kind")
    status = filters.ChoiceFilter(choices=ClearanceStatus.choices, empty_label="Any status")
    date_from = filters.DateFilter(label="Travel from", field_name="ends_on", lookup_expr="gte", widget=DATE)
    date_to = filters.DateFilter(label="Travel until", field_name="starts_on", lookup_expr="lte", widget=DATE)
    channel = filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    sort = filters.OrderingFilter(
        fields=(("starts_on", "starts_on"), ("submit_by", "submit_by"), ("status", "status"), ("kind", "kind")),
        empty_label="Earliest travel first",
    )

    class Meta:
        form = DateRangeForm
        fields = []


class GiftFilter(filters.FilterSet):
    q = filters.CharFilter(label="Description", field_name="description", lookup_expr="icontains")
    direction = filters.ChoiceFilter(choices=GiftDirection.choices, empty_label="Received and given")
    disposition = filters.ChoiceFilter(
        choices=[c for c in GiftDisposition.choices if c[0]], empty_label="Any disposition"
    )
    undisposed = filters.BooleanFilter(label="Undisposed, above minimal value", method="filter_undisposed")
    date_from = filters.DateFilter(label="From", field_name="received_on", lookup_expr="gte", widget=DATE)
    date_to = filters.DateFilter(label="To", field_name="received_on", lookup_expr="lte", widget=DATE)
    channel = filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    sort = filters.OrderingFilter(
        fields=(("received_on", "received_on"), ("value_usd", "value_usd"), ("report_due_on", "report_due_on")),
        empty_label="Newest first",
    )

    class Meta:
        form = DateRangeForm
        fields = []

    def filter_undisposed(self, queryset, name, value):
        if value is None:
            return queryset
        undisposed = {"report_due_on__isnull": False, "disposition": GiftDisposition.UNDISPOSED}
        return queryset.filter(**undisposed) if value else queryset.exclude(**undisposed)


class GiftReportForm(forms.Form):
    """Which annual report: the post (one of the user's), the year and the file format."""

    post = forms.ModelChoiceField(queryset=None, required=False, help_text="Default: the first of the user's posts.")
    year = forms.IntegerField(min_value=2000, max_value=2100)
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], initial="xlsx")

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
