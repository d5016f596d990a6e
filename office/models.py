"""Diplomatic clearances and the foreign gift register, with the tables that set their deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from attache_crm.lifecycle.models import LifecycleStep
from tenancy.records import Record

from .choices import (
    DEFAULT_LEAD_TIMES,
    ClearanceKind,
    ClearanceStatus,
    GiftDirection,
    GiftDisposition,
)

# A gift above the minimal value must be reported this many days after receipt.
GIFT_REPORT_DAYS = 60


class ClearanceLeadTime(models.Model):
    """How long before travel the host nation wants a request of one kind, at one post."""

    post = models.ForeignKey("tenancy.Post", on_delete=models.CASCADE, related_name="clearance_lead_times")
    kind = models.CharField(max_length=16, choices=ClearanceKind.choices)
    days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(365)])
    working_days = models.BooleanField(
        default=False, help_text="Counted in the host nation's working days (weekends and public holidays excluded)."
    )

    class Meta:
        ordering = ["post", "kind"]
        constraints = [models.UniqueConstraint(fields=["post", "kind"], name="one_lead_time_per_post_and_kind")]

    def __str__(self) -> str:
        unit = "working days" if self.working_days else "days"
        return f"{self.post.code} {self.get_kind_display()}: {self.days} {unit}"

    @classmethod
    def for_kind(cls, post_id: int, kind: str) -> tuple[int, bool]:
        """(days, working days?) the post asks for this kind, or the house default."""
        row = cls.objects.filter(post_id=post_id, kind=kind).values_list("days", "working_days").first()
        return row or DEFAULT_LEAD_TIMES[ClearanceKind(kind)]


class Clearance(Record):
    """A request to the host nation: aircraft overflight or landing, a ship visit, a visiting official."""

    kind = models.CharField(max_length=16, choices=ClearanceKind.choices, default=ClearanceKind.OVERFLIGHT)
    mission = models.CharField("mission, callsign or hull", max_length=120)
    itinerary = models.TextField(blank=True)
    starts_on = models.DateField("travel from")
    ends_on = models.DateField("travel until")
    host_reference = models.CharField("host-nation reference", max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=ClearanceStatus.choices, default=ClearanceStatus.DRAFT)
    submitted_on = models.DateField(null=True, blank=True)
    replied_on = models.DateField("host-nation reply on", null=True, blank=True)
    host_reply = models.TextField("host-nation reply", blank=True)
    # The last day the request meets the host nation's lead time (set by the services from the table).
    submit_by = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [
            models.Index(fields=["post", "channel", "status", "starts_on"]),
            models.Index(fields=["post", "status", "submit_by"]),
            # The list's orders across posts (a chief of many posts): read in index order and stop
            # after a page instead of sorting every clearance of every post.
            models.Index(fields=["starts_on", "id"], name="clearance_travel_order_idx"),
            models.Index(fields=["submit_by"], name="clearance_submit_by_order_idx"),
            # The ?q= search on mission uses a GIN trigram index on UPPER(mission), created by
            # migration 0005 on PostgreSQL only (a B-tree cannot serve LIKE '%key%').
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="clearance_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mission}"

    def get_absolute_url(self) -> str:
        return reverse("clearance_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The travel cannot end before it starts."})
        if self.submitted_on and self.replied_on and self.replied_on < self.submitted_on:
            raise ValidationError({"replied_on": "The reply cannot come before the request was submitted."})

    def is_pending(self) -> bool:
        return self.status in (ClearanceStatus.DRAFT, ClearanceStatus.SUBMITTED)

    def is_late(self, today: dt.date) -> bool:
        """Still a draft after the last day that met the host nation's lead time."""
        return self.status == ClearanceStatus.DRAFT and self.submit_by is not None and self.submit_by < today


class ClearanceStatusChange(LifecycleStep):
    """One dated step of a clearance request (office/lifecycles.py), with who took it."""

    clearance = models.ForeignKey(Clearance, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=ClearanceStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ClearanceStatus.choices)

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} on {self.changed_on}"


class GiftThreshold(models.Model):
    """The minimal value in force from a date: a received gift above it is reported."""

    effective_on = models.DateField(unique=True)
    value_usd = models.DecimalField("minimal value (USD)", max_digits=8, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"${self.value_usd} from {self.effective_on:%d %b %Y}"

    @classmethod
    def in_force_on(cls, day: dt.date) -> Decimal | None:
        """The minimal value in force on `day` (None before the first entry)."""
        return cls.objects.filter(effective_on__lte=day).values_list("value_usd", flat=True).first()


class Gift(Record):
    """A gift received from, or given to, a foreign official."""

    direction = models.CharField(max_length=8, choices=GiftDirection.choices, default=GiftDirection.RECEIVED)
    official = models.CharField("foreign official", max_length=200, help_text="Name and title.")
    counterpart = models.ForeignKey(
        "contacts.Counterpart", on_delete=models.SET_NULL, null=True, blank=True, related_name="gifts"
    )
    government = CountryField("foreign government", blank=True)
    received_on = models.DateField("date", help_text="The day it was received or given.")
    meeting = models.ForeignKey(
        "engagements.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="gifts"
    )
    description = models.TextField()
    value_usd = models.DecimalField(
        "estimated value (USD)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    value_basis = models.CharField("basis of the estimate", max_length=200)
    recipient = models.CharField("recipient", max_length=200, help_text="Who received it, or to whom it was given.")
    disposition = models.CharField(max_length=10, choices=GiftDisposition.choices, blank=True)
    disposed_on = models.DateField(null=True, blank=True)
    # Set by the services from the threshold table: the minimal value on the day, and the report due.
    threshold_usd = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, editable=False)
    report_due_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["post", "channel", "-received_on"]),
            models.Index(fields=["post", "disposition", "report_due_on"]),
            # The list's orders across posts (a chief of many posts), as for clearances.
            models.Index(fields=["-received_on", "-id"], name="gift_newest_idx"),
            models.Index(fields=["value_usd"], name="gift_value_order_idx"),
            # Gifts still to be reported, earliest report due first (the dashboard's panel, the
            # handover pack): read in order across every post of a chief, stopping at a panel.
            models.Index(
                fields=["report_due_on", "id"],
                include=["post", "channel", "created_by"],
                condition=models.Q(direction="received", disposition="", report_due_on__isnull=False),
                name="gift_to_report_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("gift_detail", args=[self.pk])

    def clean(self):
        if self.direction == GiftDirection.GIVEN and self.disposition:
            raise ValidationError({"disposition": "Only a gift received is disposed of."})
        if self.disposition and not self.disposed_on:
            raise ValidationError({"disposed_on": "Give the date of the disposition."})
        if self.disposed_on and not self.disposition:
            raise ValidationError({"disposition": "Say how the gift was disposed of."})
        if self.disposed_on and self.received_on and self.disposed_on < self.received_on:
            raise ValidationError({"disposed_on": "A gift cannot be disposed of before it was received."})

    @property
    def above_threshold(self) -> bool:
        return self.report_due_on is not None

    @property
    def undisposed(self) -> bool:
        return self.above_threshold and not self.disposition


class ClearanceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Clearance, on_delete=models.CASCADE)


class GiftUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Gift, on_delete=models.CASCADE)
