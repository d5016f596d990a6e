"""List filters of the engagement pages (query parameters; a wrong one answers 400 with its error)."""

import datetime as dt

import django_filters as filters
from django import forms
from django.utils import timezone

from attache_crm.api.filters import DateFilter
from attache_crm.widgets import DayInput
from contacts.models import Counterpart
from contacts.search import search_counterparts
from tenancy import policy
from tenancy.limits import MAX_ID
from tenancy.markings import Channel

from . import selectors
from .choices import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    ExerciseKind,
    ExercisePhase,
    MeetingKind,
    MeetingStatus,
)
from .models import MeetingParticipant

DATE = DayInput()


class DateRangeForm(forms.Form):
    """A filter form whose `date_from` may not come after its `date_to`."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the range comes before its start.")
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class MeetingFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=MeetingKind.choices, empty_label="Any kind")
    status = filters.ChoiceFilter(choices=MeetingStatus.choices, empty_label="Any status")
    date_from = DateFilter(label="From", method="filter_from", widget=DATE)
    date_to = DateFilter(label="To", method="filter_to", widget=DATE)
    counterpart = filters.CharFilter(label="Counterpart", method="filter_counterpart")
    channel = filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    sort = filters.OrderingFilter(
        fields=(("starts_at", "starts_at"), ("title", "title"), ("kind", "kind"), ("status", "status")),
        empty_label="Newest first",
    )

    class Meta:
        form = DateRangeForm
        fields = []

    # Whole days in the active time zone, as ranges on the indexed timestamp.
    def filter_from(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_counterpart(self, queryset, name, value):
        """A counterpart id (links from a counterpart page) or a name, forgiving transliteration."""
        counterparts = policy.visible(self.request.user, Counterpart)
        value = value.strip()
        if value.isascii() and value.isdigit():
            # An id larger than any the database holds names nobody (and must not reach it).
            counterparts = counterparts.filter(pk=int(value)) if int(value) <= MAX_ID else counterparts.none()
        else:
            counterparts = search_counterparts(counterparts, value)
        meeting_ids = MeetingParticipant.objects.filter(counterpart__in=counterparts.values("pk")).values("meeting_id")
        return queryset.filter(pk__in=meeting_ids)


class AgreementFilter(filters.FilterSet):
    q = filters.CharFilter(label="Title", field_name="title", lookup_expr="icontains")
    kind = filters.ChoiceFilter(choices=AgreementKind.choices, empty_label="Any kind")
    status = filters.ChoiceFilter(choices=AgreementStatus.choices, empty_label="Any status")
    expires_before = DateFilter(label="Expires before", field_name="expires_on", lookup_expr="lt", widget=DATE)
    channel = filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    sort = filters.OrderingFilter(
        fields=(("title", "title"), ("status", "status"), ("signed_on", "signed_on"), ("expires_on", "expires_on")),
        empty_label="Recently changed",
    )

    class Meta:
        fields = []


class ExerciseFilter(filters.FilterSet):
    q = filters.CharFilter(label="Name", field_name="name", lookup_expr="icontains")
    kind = filters.ChoiceFilter(choices=ExerciseKind.choices, empty_label="Any kind")
    phase = filters.ChoiceFilter(choices=ExercisePhase.choices, empty_label="Any phase")
    # Exercises that overlap the range at all.
    date_from = DateFilter(label="From", field_name="ends_on", lookup_expr="gte", widget=DATE)
    date_to = DateFilter(label="To", field_name="starts_on", lookup_expr="lte", widget=DATE)
    channel = filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    sort = filters.OrderingFilter(
        fields=(("starts_on", "starts_on"), ("name", "name"), ("phase", "phase")), empty_label="Latest first"
    )

    class Meta:
        form = DateRangeForm
        fields = []


def _assignees(request):
    return selectors.people_at(list(policy.roles(request.user)))


class ActionItemFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ActionStatus.choices, empty_label="Any status")
    assignee = filters.ModelChoiceFilter(queryset=_assignees, empty_label="Anyone")
    overdue = filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)

    class Meta:
        fields = []

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
