"""Posts and memberships (who holds which role where), and the audit log of what they did."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .choices import Role, Weekday
from .records import SpillGuarded


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Unknown time zone %(value)s.", params={"value": value})


class Post(SpillGuarded, models.Model):
    """One embassy's defense attaché office."""

    code = models.CharField(max_length=16, unique=True, help_text="Short upper-case code, e.g. BANDAR.")
    name = models.CharField(max_length=120)
    host_country = CountryField()
    cable_country_tag = models.CharField(
        max_length=2,
        help_text="Two-letter cable geographic tag (not ISO: Germany is GM).",
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    cable_from = models.CharField(max_length=80, help_text="e.g. AMEMBASSY BANDAR")
    cable_to = models.CharField(max_length=80, default="SECSTATE WASHDC")
    cable_info = models.TextField(blank=True, help_text="INFO addressees, one per line.")
    default_tags = models.CharField(max_length=120, blank=True, help_text="Comma-separated, e.g. MARR, PREL")
    signature = models.CharField(max_length=40, help_text="The chief's surname, last line of cables.")
    weekly_cutoff_weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.FRIDAY)
    weekly_cutoff_time = models.TimeField(default="12:00")
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self.code = self.code.upper()
        self.cable_country_tag = self.cable_country_tag.upper()
        super().save(*args, **kwargs)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def default_tag_list(self) -> list[str]:
        return [t.strip().upper() for t in self.default_tags.split(",") if t.strip()]

    @property
    def cable_info_lines(self) -> list[str]:
        return [line.strip() for line in self.cable_info.splitlines() if line.strip()]


class Membership(models.Model):
    """A user's role at a post."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="one_role_per_user_and_post")]
        ordering = ["post__code", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.post.code}"


class AuditAction(models.TextChoices):
    LOGIN = "login", "Login"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOCKOUT = "lockout", "Lockout"
    LOGOUT = "logout", "Logout"
    VIEW = "view", "View"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DELETE = "delete", "Delete"
    EXPORT = "export", "Export"
    RELEASE = "release", "Release"
    GRANT = "grant", "Permission grant"
    REVOKE = "revoke", "Permission revoke"
    ACCESS_DENIED = "access_denied", "Access denied"
    CLASSIFIED_REFUSED = "classified_refused", "Classified marking refused"
    # Account changes (attache_crm.accounts.services).
    ROLE_CHANGE = "role_change", "Role change"
    PASSWORD_CHANGE = "password_change", "Password change"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
    DEACTIVATE = "deactivate", "Account deactivated"
    REACTIVATE = "reactivate", "Account reactivated"
    # A cable's channel floor widened by the chief (reports.services).
    WIDEN = "widen", "Channel widened"


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    DENIED = "denied", "Denied"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("The audit log is append-only.")

    def delete(self):
        raise ValidationError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Who did what to which object, from where, with what outcome. Never edited, never deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text="As typed, for failed logins.")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    detail = models.CharField(max_length=300, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["post", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S}Z {self.username} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only.")
