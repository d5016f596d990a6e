"""Posts, memberships, host-nation organizations, counterparts and their appointments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from tenancy.markings import Channel
from tenancy.records import Record

from . import names
from .choices import GRADE_SENIORITY, CounterpartStatus, NatoGrade, OrganizationKind, Service

# Where lists keep a counterpart's prefetched tags (contacts.selectors.with_tags). A plain
# prefetch_related("tags") rebuilds taggit's query for every row before dropping it: about a
# fifth of the counterpart list's time.
TAG_LIST_ATTR = "tag_list"
# Bounds of a counterpart's stay-in-touch cadence: from weekly to every two years.
CONTACT_EVERY_MIN_DAYS = 7
CONTACT_EVERY_MAX_DAYS = 730


# Last contact per channel (Channel values), kept by engagements.last_contact.
LAST_MET_FIELDS = {
    Channel.POST: "last_met_post_at",
    Channel.ATTACHE: "last_met_attache_at",
    Channel.RESTRICTED: "last_met_restricted_at",
}


class Organization(Record):
    """A host-nation ministry, service headquarters, command, unit or school."""

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=16, choices=OrganizationKind.choices, default=OrganizationKind.OTHER)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    country = CountryField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["post", "channel", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An organization cannot be its own parent."})
        if self.parent_id and self.post_id and self.parent.post_id != self.post_id:
            raise ValidationError({"parent": "The parent organization belongs to another post."})


class Counterpart(Record):
    """A host-nation officer or official the office keeps a relationship with."""

    OWNER_FIELD = "owner"

    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150, blank=True)
    native_name = models.CharField(max_length=200, blank=True, help_text="The name in its original script.")
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other transliterations and nicknames, comma-separated.",
    )
    country = CountryField()
    service = models.CharField(max_length=12, choices=Service.choices, default=Service.OTHER)
    rank_title = models.CharField(max_length=80, blank=True, help_text="National rank title.")
    nato_grade = models.CharField(max_length=5, choices=NatoGrade.choices, blank=True)
    position = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counterparts",
    )
    languages = models.CharField(max_length=200, blank=True)
    education = models.TextField(blank=True, help_text="Schools attended, including ours.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    biography = models.TextField(blank=True)
    protocol_notes = models.TextField(blank=True)
    restricted_notes = models.TextField(blank=True, help_text="Attaché channel only, whatever the record's channel.")
    status = models.CharField(
        max_length=12,
        choices=CounterpartStatus.choices,
        default=CounterpartStatus.ACTIVE,
    )
    last_verified_on = models.DateField(null=True, blank=True)
    contact_every_days = models.PositiveSmallIntegerField(
        "contact every (days)",
        null=True,
        blank=True,
        validators=[MinValueValidator(CONTACT_EVERY_MIN_DAYS), MaxValueValidator(CONTACT_EVERY_MAX_DAYS)],
        help_text="Stay in touch: how often this counterpart should be met",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tags = TaggableManager(blank=True)

    # Derived for sorting and search; kept in step by save().
    grade_seniority = models.PositiveSmallIntegerField(default=0, editable=False)
    # Search keys (contacts.names): ' folded words ' and ' PHONETIC =skeleton ' keys, space-padded so
    # that LIKE '% word %' is a whole word. GIN trigram indexes on PostgreSQL (migration 0002).
    name_folded = models.CharField(max_length=names.FOLDED_MAX, blank=True, editable=False)
    name_phonetic = models.CharField(max_length=names.PHONETIC_MAX, blank=True, editable=False)
    # The start of the latest conducted meeting with them at their post, per channel: derived from
    # the meetings by engagements.last_contact (its UPDATE statements only, never save()), so that
    # stay in touch reads one row per counterpart instead of all their meetings.
    last_met_post_at = models.DateTimeField(null=True, editable=False)
    last_met_attache_at = models.DateTimeField(null=True, editable=False)
    last_met_restricted_at = models.DateTimeField(null=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["name_folded", "name_phonetic", "grade_seniority", *LAST_MET_FIELDS.values()]
    )

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["post", "channel", "family_name", "given_names"]),
            models.Index(fields=["post", "status"]),
            models.Index(fields=["post", "service"]),
            models.Index(fields=["post", "nato_grade"]),
            models.Index(fields=["post", "grade_seniority"]),
            models.Index(fields=["post", "owner"]),
            # Who is on someone's stay-in-touch watch (an active counterpart with a cadence of its
            # own), with what the access policy reads and their last contacts: a chief's dashboard
            # reads their thousands from the index alone, not from 150,000 counterpart rows.
            models.Index(
                fields=["post", "owner"],
                include=["contact_every_days", "channel", "id", *LAST_MET_FIELDS.values()],
                condition=models.Q(contact_every_days__isnull=False, status="active"),
                name="counterpart_watched_idx",
            ),
            # Name and seniority pages for users with a role at many posts (headquarters): without
            # them, ORDER BY … LIMIT 25 sorts every counterpart of those posts (150,000 at HQ volume).
            # One post's ~1,000 rows sort in memory; these serve the sorts across posts.
            models.Index(fields=["family_name", "given_names", "id"]),
            models.Index(fields=["-grade_seniority", "family_name", "given_names", "id"]),
            # The "verified most recently" sort across posts (last_verified_on DESC NULLS LAST,
            # family_name, id) is served by an index created by migration 0010 on PostgreSQL only:
            # SQLite cannot write NULLS LAST in an index.
            # Name search uses GIN trigram indexes on name_folded and name_phonetic, created by
            # migration 0002 on PostgreSQL only (a B-tree cannot serve LIKE '%key%').
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("counterpart_detail", args=[self.pk])

    @property
    def tag_names(self) -> list[str]:
        """Its tags' names, A–Z: from the list prefetched into `tag_list` (TAG_LIST_ATTR) when
        the page or the API read it, else one query."""
        tags = getattr(self, TAG_LIST_ATTR, None)
        return sorted(tag.name for tag in (self.tags.all() if tags is None else tags))

    @property
    def display_name(self) -> str:
        """Cable style: given names then FAMILY NAME."""
        return f"{self.given_names} {self.family_name.upper()}".strip()

    @property
    def rank_and_name(self) -> str:
        return f"{self.rank_title} {self.display_name}".strip()

    def refresh_derived_fields(self) -> None:
        self.grade_seniority = GRADE_SENIORITY.get(self.nato_grade, 0)
        self.name_folded, self.name_phonetic = names.derived_name_fields(
            self.family_name, self.given_names, self.native_name, self.aliases
        )

    def save(self, *args, **kwargs):
        self.refresh_derived_fields()
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # A copy read before a meeting was logged must not put the older last contacts back.
            kwargs["update_fields"] = SAVED_FIELDS
        super().save(*args, **kwargs)


# What save() writes to an existing counterpart: all but the last contacts.
SAVED_FIELDS = [
    field.name
    for field in Counterpart._meta.concrete_fields
    if not field.primary_key and field.name not in LAST_MET_FIELDS.values()
]


class CounterpartMerge(models.Model):
    """A counterpart merged into another and deleted: its old address leads to the survivor."""

    merged_id = models.PositiveBigIntegerField(unique=True, help_text="The id the merged counterpart had.")
    merged_name = models.CharField(max_length=260)
    survivor = models.ForeignKey("Counterpart", on_delete=models.CASCADE, related_name="merged_from")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged_name} (#{self.merged_id}) merged into #{self.survivor_id}"


class ImportBatch(models.Model):
    """A spreadsheet of records (counterparts or organizations) uploaded for import: its rows, the
    column mapping chosen, and what became of it. The latest batch of a post and kind gives the
    next one its mapping."""

    class Kind(models.TextChoices):
        COUNTERPART = "counterpart", "Counterparts"
        ORGANIZATION = "organization", "Organizations"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COUNTERPART)
    post = models.ForeignKey("tenancy.Post", on_delete=models.CASCADE, related_name="import_batches")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list, help_text="[line number, [cell, …]] per row.")
    mapping = models.JSONField(default=dict, help_text="Column header → field of the kind imported.")
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.post.code})"


class Appointment(models.Model):
    """A dated position in a counterpart's career; the one without an end is the current one."""

    counterpart = models.ForeignKey(Counterpart, on_delete=models.CASCADE, related_name="appointments")
    organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.CharField(max_length=200, blank=True)
    rank_title = models.CharField(max_length=80, blank=True)
    nato_grade = models.CharField(max_length=5, choices=NatoGrade.choices, blank=True)
    start_on = models.DateField()
    end_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="appointment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["counterpart"],
                condition=Q(end_on__isnull=True),
                name="one_current_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank_title} {self.position} from {self.start_on}".strip()

    def clean(self):
        if self.end_on and self.start_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": "The appointment cannot end before it starts."})


class CounterpartUserObjectPermission(UserObjectPermissionBase):
    """A single counterpart shared with a single user (direct foreign key, cascades on delete)."""

    content_object = models.ForeignKey(Counterpart, on_delete=models.CASCADE)


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)
