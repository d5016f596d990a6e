"""Reporting cables and the append-only audit log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from tenancy.markings import Channel, highest_marking, narrowest_channel
from tenancy.records import MarkingField, Record, SpillGuarded


class CableKind(models.TextChoices):
    WEEKLY_SUMMARY = "weekly_summary", "Weekly summary"
    CONTACT_REPORT = "contact_report", "Contact report"


class CableStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RETURNED = "returned", "Returned for edits"
    RELEASED = "released", "Released"


class Precedence(models.TextChoices):
    ROUTINE = "R", "ROUTINE"
    IMMEDIATE = "O", "IMMEDIATE"


class ParagraphBlock(models.TextChoices):
    """A paragraph is plain text, or the SUMMARY / COMMENT block the renderer frames."""

    TEXT = "", "Text"
    SUMMARY = "summary", "Summary"
    COMMENT = "comment", "Comment"


class ParagraphOrigin(models.TextChoices):
    """Who wrote a paragraph: a redraft from the records replaces only what nobody has touched."""

    DRAFTED = "drafted", "Drafted from the records"
    EDITED = "edited", "Drafted, then edited by a person"
    WRITTEN = "written", "Written by a person"


class CableFrozen(ValidationError):
    """A released cable never changes: a correction is a new cable that refers to it."""

    def __init__(self, message="This cable has been released and can no longer change."):
        super().__init__(message, code="cable_released")


class Cable(Record):
    """A reporting cable: drafted, edited, then released by the chief and frozen."""

    # The access policy reads the statuses from the model (it imports no app above it).
    Status = CableStatus

    kind = models.CharField(max_length=16, choices=CableKind.choices)
    serial_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    serial_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    period_start = models.DateField()
    period_end = models.DateField()
    precedence = models.CharField(max_length=1, choices=Precedence.choices, default=Precedence.ROUTINE)
    tags = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=250)
    status = models.CharField(max_length=10, choices=CableStatus.choices, default=CableStatus.DRAFT)
    drafted_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_text = models.TextField(blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    meeting = models.ForeignKey(
        "engagements.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_reports"
    )
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    return_note = models.CharField(max_length=500, blank=True, help_text="Why the chief returned it for edits.")
    # The first person who drafted, redrafted or edited it; the scheduler's drafts have none until
    # then, and the scheduler refreshes only a draft that still has none.
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An attaché the chief names to gather clearances on the chief's behalf.
    clearance_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The narrowest channel of everything the cable was ever drafted or edited from (paragraphs,
    # subject, participants): raised by drafting and every edit, never lowered except by the
    # chief's audited widening. Removing attaché-channel paragraphs and typing the same text back
    # as `post` therefore leaves the cable in the attaché channel.
    channel_floor = models.CharField(max_length=12, choices=Channel.choices, default=Channel.POST, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "kind", "period_start"],
                condition=Q(corrects__isnull=True, kind="weekly_summary"),
                name="one_weekly_summary_per_post_and_week",
            ),
            # Drafting a contact report twice from one meeting (a double click) finds the first.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(corrects__isnull=True, kind="contact_report"),
                name="one_contact_report_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["post", "serial_year", "serial_number"],
                condition=Q(serial_number__isnull=False),
                name="unique_serial_per_post_and_year",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="cable_period_order"),
        ]
        indexes = [models.Index(fields=["post", "status", "period_start"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("cable_detail", args=[self.pk])

    @property
    def is_released(self) -> bool:
        return self.status == CableStatus.RELEASED

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None

    @property
    def touched_by_person(self) -> bool:
        return self.drafted_by_id is not None

    def save(self, *args, **kwargs):
        # The last line of defence under the services and the admin: a stored released cable
        # is never written again (the release itself writes a row that was not released yet).
        if self.pk is not None and Cable.objects.filter(pk=self.pk, status=CableStatus.RELEASED).exists():
            raise CableFrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk is not None and Cable.objects.filter(pk=self.pk, status=CableStatus.RELEASED).exists():
            raise CableFrozen()
        return super().delete(*args, **kwargs)

    def settle(self, paragraphs) -> None:
        """Marking and channel from these paragraphs: the marking is the highest of them; the floor
        rises to the narrowest of them, and the channel is the narrowest of the floor and them."""
        paragraphs = list(paragraphs)
        self.marking = highest_marking(p.marking for p in paragraphs)
        self.channel_floor = narrowest_channel([self.channel_floor, *(p.channel for p in paragraphs)])
        self.channel = self.channel_floor

    @property
    def serial(self) -> str:
        """e.g. 'BANDAR 000123'; empty until released."""
        if self.serial_number is None:
            return ""
        return f"{self.post.code} {self.serial_number:06d}"


class CableParagraph(SpillGuarded, models.Model):
    """One portion-marked paragraph of a cable, numbered when the cable is rendered."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    # 60 so that a heading and its underline always fit the 69-character cable line.
    heading = models.CharField(max_length=60, blank=True)
    block = models.CharField(max_length=8, choices=ParagraphBlock.choices, default=ParagraphBlock.TEXT, blank=True)
    marking = MarkingField()
    # The narrowest channel of the records this paragraph was drafted from; the cable takes the
    # narrowest of its paragraphs, so nobody reads a cable they could not read the sources of.
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.POST)
    text = models.TextField()
    origin = models.CharField(max_length=8, choices=ParagraphOrigin.choices, default=ParagraphOrigin.DRAFTED)
    # Which records a drafted paragraph was written from ("meeting:12", "summary", "comment"…):
    # a redraft matches its new paragraphs to these, so an edited one is kept instead of the new text.
    source = models.CharField(max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position}. ({self.marking}) {self.text[:40]}"

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.channel == Channel.RESTRICTED:
            raise ValidationError({"channel": "Restricted-channel material never goes into a cable."})

    @property
    def by_person(self) -> bool:
        return self.origin != ParagraphOrigin.DRAFTED

    def _refuse_if_frozen(self):
        if self.cable_id and Cable.objects.filter(pk=self.cable_id, status=CableStatus.RELEASED).exists():
            raise CableFrozen()


class Clearance(models.Model):
    """A colleague asked to clear a draft, and when they did: release is the approval."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="clearances")
    clearer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [models.UniqueConstraint(fields=["cable", "clearer"], name="one_clearance_per_cable_and_person")]

    def __str__(self) -> str:
        return f"{self.clearer} on cable {self.cable_id}"

    @property
    def is_cleared(self) -> bool:
        return self.cleared_at is not None


class PostReporting(models.Model):
    """What a post's weekly summary reports beyond its engagements (absent row: the defaults)."""

    post = models.OneToOneField("tenancy.Post", on_delete=models.CASCADE, related_name="reporting")
    weekly_follow_ups = models.BooleanField(
        default=False,
        help_text="Report the follow-ups due, or become overdue, in the reporting week.",
    )

    def __str__(self) -> str:
        return f"Reporting of {self.post}"


class Notice(models.Model):
    """A reminder or alert already e-mailed: the unique key makes a second run of a daily job send nothing."""

    kind = models.CharField(max_length=24)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(
        max_length=80, help_text="What was announced, e.g. the local date or agreement:threshold:expiry."
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "user", "key"], name="one_notice_per_kind_user_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.user_id}"
