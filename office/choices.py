"""Choice lists of the office app (the clearance lifecycle: office/lifecycles.py)."""

from django.db import models


class ClearanceKind(models.TextChoices):
    OVERFLIGHT = "overflight", "Aircraft overflight"
    LANDING = "landing", "Aircraft landing"
    SHIP_VISIT = "ship_visit", "Ship visit"
    OFFICIAL_VISIT = "official_visit", "Country clearance (visiting official)"


# Aircraft requests count their lead time in the host nation's working days.
AIRCRAFT_KINDS = {ClearanceKind.OVERFLIGHT, ClearanceKind.LANDING}

# The lead time a post has not set for a kind: (days, counted in working days?).
DEFAULT_LEAD_TIMES = {
    ClearanceKind.OVERFLIGHT: (10, True),
    ClearanceKind.LANDING: (10, True),
    ClearanceKind.SHIP_VISIT: (30, False),
    ClearanceKind.OFFICIAL_VISIT: (30, False),
}


class ClearanceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"
    CANCELLED = "cancelled", "Cancelled"


# Not yet answered by the host nation.
PENDING_STATUSES = [ClearanceStatus.DRAFT, ClearanceStatus.SUBMITTED]


class GiftDirection(models.TextChoices):
    RECEIVED = "received", "Received from a foreign official"
    GIVEN = "given", "Given to a foreign official"


class GiftDisposition(models.TextChoices):
    UNDISPOSED = "", "Not yet disposed of"
    RETAINED = "retained", "Retained for official use"
    DEPOSITED = "deposited", "Deposited"
    PURCHASED = "purchased", "Purchased by the recipient"
    RETURNED = "returned", "Returned to the donor"
