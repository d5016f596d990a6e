"""Meetings, agreements, exercises and the follow-up actions they produce."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from attache_crm.lifecycle.models import LifecycleStep
from contacts.choices import NatoGrade
from contacts.models import Counterpart, Organization
from tenancy.markings import Channel
from tenancy.records import Record, SpillGuarded

from .choices import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    ExerciseKind,
    ExercisePhase,
    MeetingKind,
    MeetingStatus,
)


class Agreement(Record):
    """An MOU, SOFA, technical arrangement … followed through its lifecycle."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=AgreementKind.choices, default=AgreementKind.MOU)
    parties = models.ManyToManyField(Organization, blank=True, related_name="agreements")
    status = models.CharField(max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.PROPOSED)
    signed_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["post", "channel", "status"]),
            models.Index(fields=["post", "expires_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gt=F("effective_on")),
                name="agreement_expires_after_effect",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreement_detail", args=[self.pk])

    def clean(self):
        if self.expires_on and self.effective_on and self.expires_on <= self.effective_on:
            raise ValidationError({"expires_on": "The agreement must expire after it takes effect."})
        if self.signed_on and self.effective_on and self.effective_on < self.signed_on:
            raise ValidationError({"effective_on": "An agreement cannot take effect before it is signed."})


class AgreementStatusChange(SpillGuarded, LifecycleStep):
    """One dated step of an agreement's lifecycle (engagements/lifecycles.py), with who made it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=AgreementStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=AgreementStatus.choices)
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} on {self.changed_on}"


class Exercise(Record):
    """A bilateral or multilateral exercise, followed through its planning phases."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=14, choices=ExerciseKind.choices, default=ExerciseKind.BILATERAL)
    host_country = CountryField()
    participating_countries = CountryField(multiple=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    phase = models.CharField(max_length=14, choices=ExercisePhase.choices, default=ExercisePhase.CONCEPT)
    summary = models.TextField(blank=True)
    ipc_on = models.DateField("initial planning conference", null=True, blank=True)
    mpc_on = models.DateField("main planning conference", null=True, blank=True)
    fpc_on = models.DateField("final planning conference", null=True, blank=True)
    counterparts = models.ManyToManyField(Counterpart, blank=True, related_name="exercises")
    history = HistoricalRecords(m2m_fields=[counterparts])

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["post", "channel", "starts_on"]), models.Index(fields=["post", "phase"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="exercise_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercise_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The exercise cannot end before it starts."})
        # Planning conferences come in order, and before the exercise starts.
        dates = [
            ("ipc_on", self.ipc_on),
            ("mpc_on", self.mpc_on),
            ("fpc_on", self.fpc_on),
            ("starts_on", self.starts_on),
        ]
        known = [(name, value) for name, value in dates if value]
        for (earlier, first), (later, second) in zip(known, known[1:], strict=False):
            if second < first:
                label = self._meta.get_field(earlier).verbose_name
                raise ValidationError({later: f"This date comes before the {label} ({first:%d %b %Y})."})


class ExercisePhaseChange(LifecycleStep):
    """One dated step of an exercise's planning cycle (engagements/lifecycles.py), with who made it."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=14, choices=ExercisePhase.choices, blank=True)
    to_phase = models.CharField(max_length=14, choices=ExercisePhase.choices)

    def __str__(self) -> str:
        return f"{self.from_phase or '—'} → {self.to_phase} on {self.changed_on}"


class Meeting(Record):
    """A key leader engagement, office call, working group, conference, social event or call."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=14, choices=MeetingKind.choices, default=MeetingKind.OFFICE_CALL)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    counterparts = models.ManyToManyField(
        Counterpart, through="MeetingParticipant", related_name="meetings", blank=True
    )
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended")
    objectives = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    restricted_notes = models.TextField(blank=True, help_text="Attaché channel only, whatever the record's channel.")
    include_in_weekly = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="meetings")
    exercises = models.ManyToManyField(Exercise, blank=True, related_name="meetings")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["post", "channel", "-starts_at"]),
            models.Index(fields=["post", "status", "starts_at"]),
            models.Index(fields=["post", "kind", "starts_at"]),
            # The meeting list, newest first: read in index order and stop after a page, instead of
            # sorting a post's 10,000 meetings (one post) or all 1.5 million (a user of every post).
            models.Index(fields=["post", "-starts_at", "-id"], name="meeting_post_newest_idx"),
            models.Index(fields=["-starts_at", "-id"], name="meeting_newest_idx"),
            # The list filtered by status across posts: planned meetings lie in the future and
            # conducted ones in the past, so reading meeting_newest_idx from either end skips
            # hundreds of thousands of the other status before it finds a page.
            models.Index(fields=["status", "-starts_at", "-id"], name="meeting_status_newest_idx"),
            # What the access policy filters on (post, channel, owner, grants by id), so that counting
            # a post's visible meetings (pagination) and joining them (timelines) reads the index only;
            # with the start and status alongside, a counterpart's timeline keys (and its last
            # contact) are read from the index too, not from a post's 10,000 meeting rows.
            models.Index(
                fields=["post", "channel", "created_by", "id"],
                include=["starts_at", "status"],
                name="meeting_visibility_cover_idx",
            ),
            # Conducted meetings by start with the policy's columns: the dashboard's weekly chart
            # counts half a year of them at every post of a chief from the index alone.
            models.Index(
                fields=["starts_at", "post", "channel", "created_by", "id"],
                condition=models.Q(status="conducted"),
                name="meeting_conducted_start_idx",
            ),
            # My meetings ahead (the dashboard): the next few of an author, read in order.
            models.Index(fields=["created_by", "starts_at"], name="meeting_author_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    @property
    def status_disagrees_with_date(self) -> bool:
        """Planned though its time has passed, or conducted though it is still to come."""
        if self.starts_at is None:
            return False
        past = self.starts_at <= timezone.now()
        return (past and self.status == MeetingStatus.PLANNED) or (not past and self.status == MeetingStatus.CONDUCTED)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "The meeting cannot end before it starts."})


class MeetingParticipant(models.Model):
    """A counterpart at a meeting, with the position and rank they held at the time."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    counterpart = models.ForeignKey(Counterpart, on_delete=models.CASCADE, related_name="participations")
    position_at_time = models.CharField(max_length=200, blank=True)
    rank_title_at_time = models.CharField(max_length=80, blank=True)
    nato_grade_at_time = models.CharField(max_length=5, choices=NatoGrade.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "counterpart"], name="one_participation_per_meeting")]
        indexes = [models.Index(fields=["counterpart", "meeting"])]

    def __str__(self) -> str:
        return f"{self.counterpart} at {self.meeting}"


class MeetingWeek(models.Model):
    """How many conducted meetings a post had in one channel in one week (from Monday, in the
    post's calendar). Derived from the meetings, never written by hand: engagements.meeting_weeks
    recounts a week whenever a meeting in it changes. The dashboard's weekly chart sums these
    instead of counting a half-year of meetings at every post of a chief."""

    post = models.ForeignKey("tenancy.Post", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    week = models.DateField()
    meetings = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "channel", "week"], name="one_count_per_post_week")]
        indexes = [models.Index(fields=["week", "post", "channel", "meetings"], name="meeting_week_read_idx")]

    def __str__(self) -> str:
        return f"{self.meetings} meetings in the week of {self.week} ({self.channel})"


class ActionItem(Record):
    """A follow-up from a meeting, agreement or exercise."""

    description = models.CharField(max_length=500)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items", null=True, blank=True
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="action_items")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="action_items"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, null=True, blank=True, related_name="action_items")
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["post", "status", "due_on"]),
            models.Index(fields=["assignee", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def source(self):
        return self.meeting or self.agreement or self.exercise


class MeetingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)


class AgreementUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Agreement, on_delete=models.CASCADE)


class ExerciseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Exercise, on_delete=models.CASCADE)


class ActionItemUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ActionItem, on_delete=models.CASCADE)
