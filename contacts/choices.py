"""Choice lists of the contacts app."""

from django.db import models


class OrganizationKind(models.TextChoices):
    MINISTRY = "ministry", "Ministry"
    SERVICE_HQ = "service_hq", "Service headquarters"
    COMMAND = "command", "Command"
    UNIT = "unit", "Unit"
    SCHOOL = "school", "School"
    OTHER = "other", "Other"


class Service(models.TextChoices):
    ARMY = "army", "Army"
    NAVY = "navy", "Navy"
    AIR_FORCE = "air_force", "Air force"
    MARINES = "marines", "Marines"
    JOINT = "joint", "Joint"
    CIVILIAN = "civilian", "Civilian"
    OTHER = "other", "Other"


class NatoGrade(models.TextChoices):
    OF10 = "OF-10", "OF-10"
    OF9 = "OF-9", "OF-9"
    OF8 = "OF-8", "OF-8"
    OF7 = "OF-7", "OF-7"
    OF6 = "OF-6", "OF-6"
    OF5 = "OF-5", "OF-5"
    OF4 = "OF-4", "OF-4"
    OF3 = "OF-3", "OF-3"
    OF2 = "OF-2", "OF-2"
    OF1 = "OF-1", "OF-1"
    OR9 = "OR-9", "OR-9"
    OR8 = "OR-8", "OR-8"
    OR7 = "OR-7", "OR-7"
    OR6 = "OR-6", "OR-6"
    OR5 = "OR-5", "OR-5"
    OR4 = "OR-4", "OR-4"
    OR3 = "OR-3", "OR-3"
    OR2 = "OR-2", "OR-2"
    OR1 = "OR-1", "OR-1"
    CIVILIAN = "CIV", "Civilian"


# Seniority for sorting officers of different nations: higher is more senior.
GRADE_SENIORITY = {grade: len(NatoGrade.values) - i for i, grade in enumerate(NatoGrade.values)}
GRADE_SENIORITY[NatoGrade.CIVILIAN] = 0


class CounterpartStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REASSIGNED = "reassigned", "Reassigned"
    RETIRED = "retired", "Retired"
    DECEASED = "deceased", "Deceased"
