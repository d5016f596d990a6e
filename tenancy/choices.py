"""Choice lists of the tenancy app."""

from django.db import models


class Role(models.TextChoices):
    ATTACHE = "attache", "Attaché"
    DIPLOMAT = "diplomat", "Diplomat"
    CHIEF = "chief", "Chief of mission"
    ADMIN = "admin", "Administrator"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"
