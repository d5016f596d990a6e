"""Filters of the counterpart list, shared by the HTML page and the API (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from taggit.models import Tag, TaggedItem

from tenancy import policy

from . import search
from .choices import CounterpartStatus, NatoGrade, Service
from .models import Counterpart, Organization

# ?sort= values: the key, a label for the page, and the ORDER BY (with a unique tie-breaker, so
# that pages never repeat or skip a row).
SORTS = {
    "name": ("Name A–Z", ("family_name", "given_names", "pk")),
    "-name": ("Name Z–A", ("-family_name", "-given_names", "-pk")),
    "-grade": (
        "Most senior first",
        ("-grade_seniority", "family_name", "given_names", "pk"),
    ),
    "grade": (
        "Most junior first",
        ("grade_seniority", "family_name", "given_names", "pk"),
    ),
    "-last_verified_on": (
        "Verified most recently",
        (F("last_verified_on").desc(nulls_last=True), "family_name", "pk"),
    ),
    "last_verified_on": (
        "Verified longest ago",
        (F("last_verified_on").asc(nulls_first=True), "family_name", "pk"),
    ),
    "-updated_at": ("Updated most recently", ("-updated_at", "-pk")),
    "updated_at": ("Updated longest ago", ("updated_at", "pk")),
}
DEFAULT_SORT = "name"

# Beyond this many organizations or owners a drop-down is no help and costs the page (a user with
# a role at every post of a headquarters sees thousands): the filter then takes an id, as the
# links from organization pages and the API do.
MAX_LISTED_CHOICES = 300


class CounterpartFilter(django_filters.FilterSet):
    """?q= (transliteration-tolerant search), organization, service, nato_grade, status, owner,
    tag and sort. Choices of organizations and owners come from what the user may see."""

    q = django_filters.CharFilter(method="filter_search", label="Name")
    organization = django_filters.ModelChoiceFilter(queryset=Organization.objects.none(), label="Organization")
    service = django_filters.ChoiceFilter(choices=Service.choices, label="Service")
    nato_grade = django_filters.ChoiceFilter(choices=NatoGrade.choices, label="Grade")
    status = django_filters.ChoiceFilter(choices=CounterpartStatus.choices, label="Status")
    owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.none(), label="Owner")
    tag = django_filters.CharFilter(method="filter_tag", label="Tag", max_length=100)
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="filter_sort",
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = Counterpart
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        self.user = user if user is not None else getattr(request, "user", None)
        if queryset is None:
            queryset = policy.visible(self.user, Counterpart)
        super().__init__(data, queryset, request=request, prefix=prefix)
        # Only what the user may see can be chosen: a hidden organization is as unknown as a
        # missing one ("Select a valid choice"), so filtering by id reveals nothing.
        self.filters["organization"].queryset = policy.visible(self.user, Organization).order_by("name")
        self.filters["owner"].queryset = (
            get_user_model()
            .objects.filter(memberships__post_id__in=list(policy.roles(self.user)))
            .distinct()
            .order_by("username")
        )

    def compact_long_choices(self) -> None:
        """For a page: list organizations and owners in drop-downs, or ask for an id when they are
        too many to list (one query per field, two for a user of several posts with few options)."""
        for name in ("organization", "owner"):
            field = self.form.fields[name]
            options = self._listable_options(field.queryset)
            if options is None:
                # Validation still checks the id against what the user may see.
                field.widget = forms.NumberInput(attrs={"min": 1})
                field.help_text = "Too many to list: give the id, or follow a link from its page."
            else:
                empty = [("", field.empty_label)] if field.empty_label is not None else []
                field.widget.choices = empty + [(o.pk, field.label_from_instance(o)) for o in options]

    def _listable_options(self, queryset) -> list | None:
        """The options of a drop-down, or None when there are more than MAX_LISTED_CHOICES.

        A user of one post reads the options at once: they are almost always few. A user of several
        posts (a headquarters chief sees thousands) reads their ids first, so that deciding there
        are too many builds no objects; the options follow in a second query only when few enough.
        """
        if len(policy.roles(self.user)) <= 1:
            options = list(queryset[: MAX_LISTED_CHOICES + 1])
            return None if len(options) > MAX_LISTED_CHOICES else options
        ids = list(queryset.values_list("pk", flat=True)[: MAX_LISTED_CHOICES + 1])
        if len(ids) > MAX_LISTED_CHOICES:
            return None
        return list(queryset.filter(pk__in=ids)) if ids else []

    def filter_search(self, queryset, name, value):
        return search.search_counterparts(queryset, value)

    def filter_tag(self, queryset, name, value):
        # A subquery rather than a join, so a counterpart never appears twice; on the tag links
        # alone, so PostgreSQL does not join every tagged counterpart of every post back to its row.
        # The tag ids are read first: with them as constants PostgreSQL knows how many links a
        # tag has (a tag of every tenth counterpart) and reads the list in its order, where a
        # tag joined by name looked rare and it sorted every tagged counterpart of every post.
        tag_ids = list(Tag.objects.filter(name__iexact=value.strip()).values_list("pk", flat=True))
        tagged = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Counterpart),
            tag_id__in=tag_ids,
        ).values("object_id")
        return queryset.filter(pk__in=tagged)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value][1]) if value in SORTS else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        searching = bool(self.form.cleaned_data.get("q"))
        if not sort and not searching:
            # Without a search the list reads alphabetically; with one, the search's own order
            # (best match first, where the search ranks) is kept unless a sort is asked for.
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT][1])
        return queryset
