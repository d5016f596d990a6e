"""/api/v1/counterparts/ (with appointments) and /api/v1/organizations/.

Reads through policy.visible(); a counterpart's organization (and an appointment's) is shown
only when the reader may see that organization too. Writes call contacts.services.
"""

from __future__ import annotations

from contextlib import contextmanager

import django_filters
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from rest_framework import serializers

from attache_crm.api.errors import Conflict
from attache_crm.api.filters import (
    CountryFilter,
    DateTimeFilter,
    RecordFilterSet,
    StrictFilterForm,
    VisibleIdFilter,
)
from attache_crm.api.serializers import (
    ChannelInputField,
    CountryOutField,
    MarkingInputField,
    OutputModelSerializer,
    PostField,
    PostMemberField,
    RecordSerializer,
    StrictModelInputSerializer,
    UserRefSerializer,
    VisibleRecordField,
    optional_text_field,
)
from attache_crm.api.viewsets import WritableRecordViewSet, record_schema
from tenancy import policy

from . import selectors, services
from .choices import OrganizationKind
from .filters import CounterpartFilter
from .models import Appointment, Counterpart, Organization

# ---------------------------------------------------------------- output


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    acronym = serializers.CharField(read_only=True)


class VisibleOrganizationRef(OrganizationRefSerializer):
    """The organization when the reader may see it (annotated `organization_visible`), else null."""

    def get_attribute(self, instance):
        if not getattr(instance, "organization_visible", False):
            return None
        return instance.organization


def visible_organization_exists(user, field: str = "organization_id"):
    return Exists(policy.visible(user, Organization).filter(pk=OuterRef(field)))


class AppointmentSerializer(OutputModelSerializer):
    organization = VisibleOrganizationRef(read_only=True, allow_null=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "organization",
            "position",
            "rank_title",
            "nato_grade",
            "start_on",
            "end_on",
        ]
        read_only_fields = fields


class OrganizationSerializer(RecordSerializer):
    parent = serializers.SerializerMethodField()
    country = CountryOutField()

    class Meta:
        model = Organization
        fields = [
            "id", "post", "name", "acronym", "kind", "parent", "country",
            "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_parent(self, obj) -> int | None:
        return obj.parent_id if getattr(obj, "parent_visible", False) else None


class CounterpartSerializer(RecordSerializer):
    RESTRICTED_FIELDS = ("restricted_notes",)

    display_name = serializers.CharField(read_only=True)
    country = CountryOutField()
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")
    organization = VisibleOrganizationRef(read_only=True, allow_null=True)
    owner = UserRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    restricted_notes = optional_text_field(read_only=False, help_text="Attaché channel only: absent for others.")
    appointments = AppointmentSerializer(many=True, read_only=True)

    class Meta:
        model = Counterpart
        fields = [
            "id", "post", "family_name", "given_names", "native_name", "aliases", "display_name",
            "country", "service", "rank_title", "nato_grade", "position", "organization",
            "languages", "education", "email", "phone", "biography", "protocol_notes",
            "restricted_notes", "status", "last_verified_on", "contact_every_days", "owner", "tags",
            "appointments", "marking", "channel", "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f != "restricted_notes"]

    def get_tags(self, obj) -> list[str]:
        return obj.tag_names


# ---------------------------------------------------------------- input


class RestrictedNotesInputMixin:
    """`restricted_notes` is writable only by those who may read it; for others it is unknown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if view is None or getattr(view, "swagger_fake_view", False):
            return  # building the schema: document the field
        request, post = self.context.get("request"), self.context.get("post")
        if "restricted_notes" in self.fields and not policy.can_see_restricted_notes(request.user, post):
            del self.fields["restricted_notes"]


COUNTERPART_INPUT_FIELDS = [
    "family_name", "given_names", "native_name", "aliases", "country", "service", "rank_title",
    "nato_grade", "position", "organization", "languages", "education", "email", "phone",
    "biography", "protocol_notes", "restricted_notes", "status", "last_verified_on",
    "contact_every_days", "owner", "tags", "marking", "channel", "confirm_duplicate",
]  # fmt: skip


class CounterpartUpdateSerializer(RestrictedNotesInputMixin, StrictModelInputSerializer):
    organization = VisibleRecordField(Organization, allow_null=True, required=False)
    owner = PostMemberField(allow_null=True, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100, allow_blank=False),
        max_length=50,
        required=False,
    )
    marking = MarkingInputField(required=False)
    channel = ChannelInputField(required=False)
    confirm_duplicate = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text="Save even though the counterpart may already be on record (the 409 `duplicate` answer).",
    )

    class Meta:
        model = Counterpart
        fields = COUNTERPART_INPUT_FIELDS
        extra_kwargs = {"country": {"required": False}}


class CounterpartCreateSerializer(CounterpartUpdateSerializer):
    post = PostField()

    class Meta(CounterpartUpdateSerializer.Meta):
        fields = ["post", *COUNTERPART_INPUT_FIELDS]


ORGANIZATION_INPUT_FIELDS = [
    "name",
    "acronym",
    "kind",
    "parent",
    "country",
    "marking",
    "channel",
]


class OrganizationUpdateSerializer(StrictModelInputSerializer):
    parent = VisibleRecordField(Organization, allow_null=True, required=False)
    marking = MarkingInputField(required=False)
    channel = ChannelInputField(required=False)

    class Meta:
        model = Organization
        fields = ORGANIZATION_INPUT_FIELDS
        extra_kwargs = {"country": {"required": False}}


class OrganizationCreateSerializer(OrganizationUpdateSerializer):
    post = PostField()

    class Meta(OrganizationUpdateSerializer.Meta):
        fields = ["post", *ORGANIZATION_INPUT_FIELDS]


# ---------------------------------------------------------------- filters


class CounterpartApiFilter(CounterpartFilter):
    """The counterpart page's filters (?q=, organization, service, nato_grade, status, owner,
    tag, sort), plus ?search= (same as ?q=), country, post, channel, marking and updated_since."""

    search = django_filters.CharFilter(method="filter_alias", label="Name (same as q)")
    country = CountryFilter()
    post = RecordFilterSet.base_filters["post"]
    marking = RecordFilterSet.base_filters["marking"]
    channel = RecordFilterSet.base_filters["channel"]
    updated_since = DateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta(CounterpartFilter.Meta):
        form = StrictFilterForm

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("search") and not data.get("q"):
            data = data.copy()
            data["q"] = data["search"]
        super().__init__(data, *args, **kwargs)

    def filter_alias(self, queryset, name, value):
        return queryset  # copied into ?q= above, which does the searching


class OrganizationFilter(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    country = CountryFilter()
    parent = VisibleIdFilter(field_name="parent_id", model=Organization)
    search = django_filters.CharFilter(method="filter_search", max_length=200, label="Name or acronym contains")

    class Meta(RecordFilterSet.Meta):
        model = Organization
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))


# ---------------------------------------------------------------- endpoints


@contextmanager
def duplicate_conflict():
    """A suspected duplicate answers 409 `duplicate` with the candidates the writer may see."""
    try:
        yield
    except services.DuplicateSuspected as exc:
        candidates = [
            {
                "id": candidate.counterpart.pk,
                "display_name": candidate.counterpart.display_name,
                "url": reverse("api-counterpart-detail", args=[candidate.counterpart.pk]),
                "reasons": list(candidate.reasons),
            }
            for candidate in exc.candidates
        ]
        raise Conflict(
            exc.messages[0], code=services.DuplicateSuspected.code, extra={"candidates": candidates}
        ) from exc


@record_schema(
    output=CounterpartSerializer,
    create=CounterpartCreateSerializer,
    update=CounterpartUpdateSerializer,
    tag="counterparts",
)
class CounterpartViewSet(WritableRecordViewSet):
    """Host-nation counterparts, with their position history (appointments)."""

    model = Counterpart
    serializer_class = CounterpartSerializer
    create_serializer_class = CounterpartCreateSerializer
    update_serializer_class = CounterpartUpdateSerializer
    filterset_class = CounterpartApiFilter
    ordering_fields = [
        "family_name",
        "grade_seniority",
        "last_verified_on",
        "updated_at",
        "created_at",
    ]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def optimize(self, queryset):
        user = self.request.user
        appointments = (
            Appointment.objects.select_related("organization")
            .annotate(organization_visible=visible_organization_exists(user))
            .order_by("-start_on", "-id")
        )
        return selectors.with_tags(
            queryset.select_related("organization", "owner", "created_by")
            .annotate(organization_visible=visible_organization_exists(user))
            .prefetch_related(Prefetch("appointments", queryset=appointments))
        )

    def perform_service_create(self, *, post, data):
        with duplicate_conflict():
            return services.counterpart_create(post=post, by=self.request.user, **data)

    def perform_service_update(self, *, instance, data):
        with duplicate_conflict():
            return services.counterpart_update(counterpart=instance, by=self.request.user, **data)


@record_schema(
    output=OrganizationSerializer,
    create=OrganizationCreateSerializer,
    update=OrganizationUpdateSerializer,
    tag="organizations",
)
class OrganizationViewSet(WritableRecordViewSet):
    """Host-nation ministries, headquarters, commands, units and schools."""

    model = Organization
    serializer_class = OrganizationSerializer
    create_serializer_class = OrganizationCreateSerializer
    update_serializer_class = OrganizationUpdateSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "acronym", "kind", "updated_at", "created_at"]
    default_ordering = ("name", "pk")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def optimize(self, queryset):
        return queryset.select_related("created_by").annotate(
            parent_visible=visible_organization_exists(self.request.user, "parent_id")
        )

    def perform_service_create(self, *, post, data):
        return services.organization_create(post=post, by=self.request.user, **data)

    def perform_service_update(self, *, instance, data):
        return services.organization_update(organization=instance, by=self.request.user, **data)
